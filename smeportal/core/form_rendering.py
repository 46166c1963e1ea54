"""The form renderer of the portal (settings.FORM_RENDERER): escaped help text, fast widgets.

Django treats a field's help text as trusted HTML: its own form templates, crispy-bootstrap5's
and the Django admin's print it with `|safe`. A help text that ever held user text (a group's
name, an indicator's unit) would then reach the page as markup, and htmx would act on it. The
portal's help texts are plain text, so every bound field escapes its help text once, here, and
those templates print the escaped text whatever they do with it. Labels, choices and errors need
nothing: Django and crispy escape them already.
"""

from __future__ import annotations

from functools import cached_property

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.html import escape
from markupsafe import escape as jinja_escape


def _attrs(attrs: dict) -> str:
    """Django's widgets/attrs.html, as Jinja2 draws it (markupsafe's escaping)."""
    return "".join(
        f" {jinja_escape(name)}"
        if value is True
        else f' {jinja_escape(name)}="{jinja_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    """Django's widgets/input.html (text, number, date, checkbox, hidden... include it)."""
    value = "" if widget["value"] is None else f' value="{jinja_escape(widget["value"])}"'
    return (
        f'<input type="{jinja_escape(widget["type"])}" name="{jinja_escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    """Django's widgets/textarea.html."""
    value = jinja_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{jinja_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict) -> str:
    """Django's widgets/select.html with its options (select_option.html) in place."""
    parts = [f'<select name="{jinja_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{jinja_escape(group_name)}">')
        parts.extend(
            f'\n  <option value="{jinja_escape(option["value"])}"{_attrs(option["attrs"])}>'
            f"{jinja_escape(option['label'])}</option>"
            for option in group_choices
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


# The simplest widgets are drawn here, in Python, into exactly the markup of Django's Jinja2
# templates for them (tests/smeportal/core/test_form_rendering.py compares the two): a template
# costs a fresh context per include, three of them for a text input, and an interview's
# findings have a hundred fields.
_DRAWN_IN_PYTHON = {
    **{
        f"django/forms/widgets/{name}.html": _input
        for name in (
            "input",
            "text",
            "number",
            "email",
            "url",
            "password",
            "hidden",
            "search",
            "tel",
            "date",
            "datetime",
            "time",
            "color",
            "checkbox",
        )
    },
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class EscapedHelpTextBoundField(BoundField):
    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        # escape(), not conditional_escape(): not even a mark_safe'd help text becomes markup.
        self.help_text = escape(self.help_text) if self.help_text else ""


class PortalFormRenderer(DjangoTemplates):
    """Bound fields that escape their help text; widgets drawn fast, in Django's markup.

    Django draws every widget, and every option of a select, from a template. With Django's
    template engine that is most of the time a list page takes (a filter form's selects, an
    interview's findings). Inputs, textareas and selects are drawn in Python (above); the other
    widgets from the Jinja2 templates Django ships for them, which render several times faster
    into the same markup, escaped the same way (autoescape on). Templates only the Django
    engine has (the admin's widgets, crispy's) fall back to it.
    """

    bound_field_class = EscapedHelpTextBoundField

    @cached_property
    def jinja2(self) -> Jinja2:
        return Jinja2()

    def render(self, template_name, context, request=None):
        draw = _DRAWN_IN_PYTHON.get(template_name)
        if draw is not None and "widget" in context:
            return draw(context["widget"])
        return super().render(template_name, context, request=request)

    def get_template(self, template_name):
        # Django's widget templates, and the portal's field group (templatetags/fields.py).
        if template_name.startswith(("django/forms/", "portal/forms/")):
            try:
                return self.jinja2.get_template(template_name)
            except TemplateDoesNotExist:
                pass
        return super().get_template(template_name)
