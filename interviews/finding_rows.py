"""The unbound rows of an interview's findings, drawn from their initial values.

An interview's findings are a dozen forms of nine fields each on its edit page: building those
forms and drawing them field by field (finding_form_row.html, |as_field) cost four times the
rest of the page. A row that is not bound to sent data shows nothing but its initial values, so
such rows are drawn here from those values, without a form, into the same markup. A formset
sent back with errors is drawn form by form, as before. tests/interviews/test_finding_rows.py
keeps the two identical.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext
from markupsafe import Markup

from .forms import REMOVE_HELP_TEXT, REMOVE_LABEL, BaseFindingFormSet

# The fields of a row as finding_form_row.html lays them out: (name, kind of widget, the
# column's classes). The hidden id comes first, outside the columns.
_COLUMNS = (
    ("area", "select", "col-md-6"),
    ("type", "select", "col-md-3"),
    ("importance", "select", "col-md-3"),
    ("text", "textarea", "col-12"),
    ("quote", "textarea", "col-12"),
    ("is_key_quote", "checkbox", "col-md-4"),
    ("is_confidential", "checkbox", "col-md-4"),
    ("DELETE", "checkbox", "col-md-4"),  # existing findings only
)


@dataclass(frozen=True, slots=True)
class FindingRowsHtml:
    rows: Markup  # the rows, as interview_form.html's loop over the formset draws them
    empty_row: Markup  # the row the script copies to add a finding (prefix __prefix__)


@dataclass(frozen=True, slots=True)
class _Field:
    """What every row draws alike for one field."""

    label: str
    required: bool
    help_text: str
    attrs: Markup  # the widget's own attributes (rows, maxlength...), drawn
    options: list[tuple[str, str]]  # a select's (value, label)
    initial: object


def _drawn(kind: str, value) -> str | bool | None:
    """A value as Django's widget of that kind holds it (Widget.format_value)."""
    if kind == "checkbox":
        return not (value is False or value is None or value == "")
    if kind == "select":
        return "" if value is None else str(value)
    return None if value is None or value == "" else str(value)


def _fields(formset: BaseFindingFormSet) -> dict[str, _Field]:
    """What each field of a row draws alike: from the form's fields, as every row's form would
    have them (FindingForm.__init__: the areas' options; the formset: "Remove")."""
    fields = {}
    for name, kind, _column in _COLUMNS:
        field = formset.form.base_fields.get(name) or forms.BooleanField(
            label=REMOVE_LABEL, help_text=REMOVE_HELP_TEXT, required=False
        )
        if kind == "select":
            choices = formset.area_choices if name == "area" else field.choices
        else:
            choices = []
        fields[name] = _Field(
            label=str(field.label),
            required=field.required,
            # Escaped as text, as the portal's bound fields escape it (form_rendering).
            help_text=str(field.help_text) if field.help_text else "",
            attrs=Markup("").join(
                Markup(' {}="{}"').format(key, value) for key, value in field.widget.attrs.items()
            ),
            options=[(_drawn("select", value), str(text)) for value, text in choices],
            initial=field.initial,
        )
    return fields


def _label(field: _Field, field_id: str, css: str) -> Markup:
    if field.required:
        return Markup(
            '<label for="{}" class="{} requiredField">{}<span class="asteriskField">*</span>'
            "</label>"
        ).format(field_id, css, field.label)
    return Markup('<label for="{}" class="{}">{}</label>').format(field_id, css, field.label)


def _widget_end(field: _Field, field_id: str) -> tuple[Markup, Markup]:
    """The aria-describedby of a field with help text, and the help text's block."""
    if not field.help_text:
        return Markup(""), Markup("")
    return (
        Markup(' aria-describedby="{}_helptext"').format(field_id),
        Markup('<div id="{}_helptext" class="form-text">{}</div>').format(
            field_id, field.help_text
        ),
    )


def _draw_field(name: str, kind: str, field: _Field, prefix: str, value) -> Markup:
    """|as_field's markup for a field of the row (smeportal/core/templatetags/fields.py).
    Markup.format escapes every value it is given."""
    html_name = f"{prefix}-{name}"
    field_id = f"id_{html_name}"
    described, help_block = _widget_end(field, field_id)
    if kind == "checkbox":
        return Markup(
            '<div class="mb-3"><div id="div_{id}" class="form-check">'
            '<input type="checkbox" name="{name}"{attrs} class="form-check-input"'
            '{described} id="{id}"{checked}>{label}{help}</div></div>'
        ).format(
            id=field_id,
            name=html_name,
            attrs=field.attrs,
            described=described,
            checked=Markup(" checked") if value else "",
            label=_label(field, field_id, "form-check-label"),
            help=help_block,
        )
    if kind == "select":
        options = Markup("").join(
            Markup('\n  <option value="{}"{}>{}</option>').format(
                option, Markup(" selected") if option == value else "", text
            )
            for option, text in field.options
        )
        widget = Markup('<select name="{}"{} class="form-select"{} id="{}">{}\n</select>').format(
            html_name, field.attrs, described, field_id, options
        )
    else:
        widget = Markup(
            '<textarea name="{}"{} class="form-control"{} id="{}">\n{}</textarea>'
        ).format(html_name, field.attrs, described, field_id, value or "")
    return Markup('<div id="div_{}" class="mb-3">{}{}{}</div>').format(
        field_id, _label(field, field_id, "form-label"), widget, help_block
    )


def _draw_row(fields: dict[str, _Field], prefix: str, number, initial: dict) -> Markup:
    """finding_form_row.html for an unbound form with this prefix and initial data."""
    finding_id = _drawn("hidden", initial.get("id"))
    id_value = Markup(' value="{}"').format(finding_id) if finding_id is not None else ""
    columns = []
    for name, kind, column in _COLUMNS:
        field = fields[name]
        value = initial.get(name, field.initial)
        drawn = _draw_field(
            name, kind, field, prefix, _drawn(kind, value() if callable(value) else value)
        )
        if name == "DELETE" and not initial.get("id"):
            columns.append(Markup(""))
        else:
            columns.append(Markup('<div class="{}">{}</div>').format(column, drawn))
    return Markup(
        '\n<fieldset class="card card-body mb-3 finding-form">\n'
        '  <legend class="h6">{legend}</legend>\n'
        '  <input type="hidden" name="{prefix}-id"{id_value} id="id_{prefix}-id">\n'
        "  \n"
        '  <div class="row g-2">\n'
        "{columns}"
        "  </div>\n</fieldset>\n"
    ).format(
        legend=gettext("Finding %(number)s") % {"number": number},
        prefix=prefix,
        id_value=id_value,
        columns=Markup("").join(Markup("    {}\n").format(column) for column in columns),
    )


def finding_rows(formset: BaseFindingFormSet) -> FindingRowsHtml | None:
    """The rows of an unbound formset of findings, drawn; None for a bound one.

    The markup is built with markupsafe's Markup.format, which escapes every value it is
    given, as Django's Jinja2 widget templates and |as_field escape them: nothing here is
    declared safe by hand.
    """
    if formset.is_bound:
        return None
    fields = _fields(formset)
    initial = formset.initial or []
    drawn = [
        _draw_row(
            fields,
            formset.add_prefix(index),
            index + 1,
            initial[index] if index < len(initial) else {},
        )
        for index in range(formset.total_form_count())
    ]
    # As interview_form.html's loop lays out each row it includes.
    rows = Markup("").join(Markup("\n        {}\n      ").format(row) for row in drawn)
    empty_row = _draw_row(fields, formset.add_prefix("__prefix__"), "__number__", {})
    return FindingRowsHtml(rows=rows, empty_row=empty_row)
