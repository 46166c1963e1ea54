"""{{ field|as_field }}: a form field in Bootstrap 5's markup, drawn by Jinja2.

`|as_crispy_field` renders crispy-bootstrap5's field templates with Django's template engine,
several includes per field: on a list page's filter form or an interview's dozen findings that
is most of the page's time. For the widgets those forms use (inputs, selects, textareas, single
checkboxes, radio buttons and checkbox lists) this filter renders the same markup (label, widget,
errors, help text) from one Jinja2 template, portal/forms/field.html, through the portal's form
renderer (smeportal.core.form_rendering), which draws the widget itself too. Any other widget
(files, multi-widgets, hidden fields) goes to crispy unchanged.
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, optgroups
from django import forms, template
from django.forms import widgets
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString, mark_safe
from markupsafe import escape

from smeportal.core.form_rendering import PortalFormRenderer

register = template.Library()

FIELD_TEMPLATE = "portal/forms/field.html"
_DRAWN = (widgets.Input, widgets.Select, widgets.Textarea)
# Radio buttons and checkbox lists (CheckboxSelectMultiple is a RadioSelect) are drawn option by
# option in field.html, as crispy's radio_checkbox_select.html does.
_CHOICE_LISTS = (widgets.RadioSelect,)
_LEFT_TO_CRISPY = (widgets.FileInput, widgets.MultiWidget)


def _bootstrap_class(field: BoundField) -> str:
    """The widget's own classes, then Bootstrap's for its kind (and is-invalid on an error)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        wanted = ["form-check-input"]
    elif isinstance(widget, forms.Select):
        wanted = ["form-select"]
    else:
        wanted = ["form-control"]
    if field.errors:
        wanted.append("is-invalid")
    own = widget.attrs.get("class", "").split()
    return " ".join([*own, *(css for css in wanted if css not in own)])


def _errors_and_help(field: BoundField) -> str:
    parts = []
    if field.errors:
        parts.append(f'<div id="{escape(field.errors.field_id)}_error" class="invalid-feedback">')
        parts.extend(
            f'<p id="error_{number}_{escape(field.auto_id)}"><strong>{escape(error)}</strong></p>'
            for number, error in enumerate(field.errors, start=1)
        )
        parts.append("</div>")
    if field.help_text:
        named = f'id="{escape(field.auto_id)}_helptext" ' if field.auto_id else ""
        parts.append(f'<div {named}class="form-text">{escape(field.help_text)}</div>')
    return "".join(parts)


def draw_field(field: BoundField, widget: str, *, checkbox: bool) -> str:
    """field.html's markup for a single widget (not a list of options), drawn in Python: an
    interview's findings have a hundred fields, and a template render per field costs more
    than the rest of the field. tests/smeportal/core/test_fields_filter.py keeps the two
    identical. Every value is escaped as Jinja2 escapes it; `widget` is Django's markup."""
    required = field.field.required
    label = f"{escape(field.label)}"
    if required:
        label += '<span class="asteriskField">*</span>'
    css_classes = field.css_classes()
    extra = f" {escape(css_classes)}" if css_classes else ""
    required_class = " requiredField" if required else ""
    if checkbox:
        return (
            f'<div class="mb-3"><div id="div_{escape(field.auto_id)}" class="form-check{extra}">'
            f'{widget}<label for="{escape(field.id_for_label)}" class="form-check-label'
            f'{required_class}">{label}</label>{_errors_and_help(field)}</div></div>'
        )
    label_tag = ""
    if field.label:
        target = f'for="{escape(field.id_for_label)}" ' if field.id_for_label else ""
        label_tag = f'<label {target}class="form-label{required_class}">{label}</label>'
    return (
        f'<div id="div_{escape(field.auto_id)}" class="mb-3{extra}">'
        f"{label_tag}{widget}{_errors_and_help(field)}</div>"
    )


@register.filter
def as_field(field: BoundField) -> SafeString:
    widget = field.field.widget
    if (
        field.is_hidden
        or not isinstance(widget, (*_DRAWN, *_CHOICE_LISTS))
        or isinstance(widget, _LEFT_TO_CRISPY)
        or not isinstance(field.form.renderer, PortalFormRenderer)
    ):
        return as_crispy_field(field)
    if isinstance(widget, _CHOICE_LISTS):
        context = {"field": field, "options": optgroups(field), "widget": "", "checkbox": False}
        return field.render(FIELD_TEMPLATE, context)
    drawn = field.as_widget(attrs={"class": _bootstrap_class(field)})
    # The widget is Django's markup (escaped by it); every other value is escaped above.
    return mark_safe(draw_field(field, drawn, checkbox=isinstance(widget, forms.CheckboxInput)))  # noqa: S308
