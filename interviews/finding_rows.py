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
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from markupsafe import escape

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
    rows: SafeString  # the rows, as interview_form.html's loop over the formset draws them
    empty_row: SafeString  # the row the script copies to add a finding (prefix __prefix__)


@dataclass(frozen=True, slots=True)
class _Field:
    """What every row draws alike for one field, escaped."""

    label: str
    required: bool
    help_text: str
    attrs: str  # the widget's own attributes (rows, maxlength...), drawn
    options: list[tuple[str, str, str]]  # a select's (value, escaped value, escaped label)
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
            label=escape(field.label),
            required=field.required,
            help_text=escape(field.help_text) if field.help_text else "",
            attrs="".join(
                f' {escape(key)}="{escape(value)}"' for key, value in field.widget.attrs.items()
            ),
            options=[
                (_drawn("select", value), escape(_drawn("select", value)), escape(text))
                for value, text in choices
            ],
            initial=field.initial,
        )
    return fields


def _label(field: _Field, field_id: str, css: str) -> str:
    if field.required:
        return (
            f'<label for="{field_id}" class="{css} requiredField">{field.label}'
            '<span class="asteriskField">*</span></label>'
        )
    return f'<label for="{field_id}" class="{css}">{field.label}</label>'


def _widget_end(field: _Field, field_id: str) -> tuple[str, str]:
    """The aria-describedby of a field with help text, and the help text's block."""
    if not field.help_text:
        return "", ""
    return (
        f' aria-describedby="{field_id}_helptext"',
        f'<div id="{field_id}_helptext" class="form-text">{field.help_text}</div>',
    )


def _draw_field(name: str, kind: str, field: _Field, prefix: str, value) -> str:
    """|as_field's markup for a field of the row (smeportal/core/templatetags/fields.py)."""
    html_name = f"{prefix}-{name}"
    field_id = f"id_{html_name}"
    described, help_block = _widget_end(field, field_id)
    if kind == "checkbox":
        checked = " checked" if value else ""
        return (
            f'<div class="mb-3"><div id="div_{field_id}" class="form-check">'
            f'<input type="checkbox" name="{html_name}"{field.attrs} class="form-check-input"'
            f'{described} id="{field_id}"{checked}>'
            f"{_label(field, field_id, 'form-check-label')}{help_block}</div></div>"
        )
    if kind == "select":
        options = "".join(
            f'\n  <option value="{escaped}"{" selected" if option == value else ""}>{text}</option>'
            for option, escaped, text in field.options
        )
        widget = (
            f'<select name="{html_name}"{field.attrs} class="form-select"{described} '
            f'id="{field_id}">{options}\n</select>'
        )
    else:
        widget = (
            f'<textarea name="{html_name}"{field.attrs} class="form-control"{described} '
            f'id="{field_id}">\n{escape(value) if value else ""}</textarea>'
        )
    return (
        f'<div id="div_{field_id}" class="mb-3">{_label(field, field_id, "form-label")}'
        f"{widget}{help_block}</div>"
    )


def _draw_row(fields: dict[str, _Field], prefix: str, number, initial: dict) -> str:
    """finding_form_row.html for an unbound form with this prefix and initial data."""
    prefix = escape(prefix)
    finding_id = _drawn("hidden", initial.get("id"))
    id_value = f' value="{escape(finding_id)}"' if finding_id is not None else ""
    columns = []
    for name, kind, column in _COLUMNS:
        field = fields[name]
        value = initial.get(name, field.initial)
        drawn = _draw_field(
            name, kind, field, prefix, _drawn(kind, value() if callable(value) else value)
        )
        if name == "DELETE":
            columns.append(f'<div class="{column}">{drawn}</div>' if initial.get("id") else "")
        else:
            columns.append(f'<div class="{column}">{drawn}</div>')
    legend = escape(gettext("Finding %(number)s") % {"number": number})
    return (
        '\n<fieldset class="card card-body mb-3 finding-form">\n'
        f'  <legend class="h6">{legend}</legend>\n'
        f'  <input type="hidden" name="{prefix}-id"{id_value} id="id_{prefix}-id">\n'
        "  \n"
        '  <div class="row g-2">\n'
        + "".join(f"    {column}\n" for column in columns)
        + "  </div>\n</fieldset>\n"
    )


def finding_rows(formset: BaseFindingFormSet) -> FindingRowsHtml | None:
    """The rows of an unbound formset of findings, drawn; None for a bound one.

    Every value is escaped here (markupsafe, as Django's Jinja2 widget templates and
    |as_field escape them), so the markup is safe to insert as it is.
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
    rows = "".join(f"\n        {row}\n      " for row in drawn)
    empty_row = _draw_row(fields, formset.add_prefix("__prefix__"), "__number__", {})
    # Escaped above, value by value.
    return FindingRowsHtml(rows=mark_safe(rows), empty_row=mark_safe(empty_row))  # noqa: S308
