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
from django.utils.safestring import SafeString

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
    else:
        context = {
            "field": field,
            "widget": field.as_widget(attrs={"class": _bootstrap_class(field)}),
            "checkbox": isinstance(widget, forms.CheckboxInput),
            "options": None,
        }
    return field.render(FIELD_TEMPLATE, context)
