"""Help text is escaped by every renderer the portal uses: Django's, crispy's and the admin's.

Their templates print help text with |safe (Django's convention: help text is trusted HTML); the
portal's form renderer escapes it in the bound field first (smeportal/core/form_rendering.py).
"""

from __future__ import annotations

import pytest
from django import forms
from django.contrib import admin
from django.forms.renderers import Jinja2
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from smeportal.areas.models import PriorityArea
from smeportal.core.form_rendering import EscapedHelpTextBoundField, PortalFormRenderer

MARKUP = "<b hx-post=/x hx-trigger=load>Grupp</b>"
ESCAPED = "&lt;b hx-post=/x hx-trigger=load&gt;Grupp&lt;/b&gt;"


class HelpfulForm(forms.Form):
    name = forms.CharField(help_text=MARKUP)
    count = forms.IntegerField(help_text=mark_safe(MARKUP))  # noqa: S308 - the point of the test
    kind = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect, help_text=MARKUP)
    agree = forms.BooleanField(help_text=MARKUP)


TEMPLATES = {
    "django default": "{{ form }}",
    "django as_p": "{{ form.as_p }}",
    "django as_table": "{{ form.as_table }}",
    "django as_ul": "{{ form.as_ul }}",
    "django field group": "{% for field in form %}{{ field.as_field_group }}{% endfor %}",
    "crispy form": "{% load crispy_forms_tags %}{{ form|crispy }}",
    "crispy fields": (
        "{% load crispy_forms_tags %}{% for field in form %}{{ field|as_crispy_field }}{% endfor %}"
    ),
    "portal fields": "{% load fields %}{% for field in form %}{{ field|as_field }}{% endfor %}",
}


@pytest.mark.parametrize("source", TEMPLATES.values(), ids=TEMPLATES.keys())
def test_help_text_is_escaped_by_every_form_template(source):
    page = Template(source).render(Context({"form": HelpfulForm()}))
    assert MARKUP not in page
    assert page.count(ESCAPED) == 4  # each field's help text, once


def test_help_text_is_escaped_in_a_bound_form_with_errors():
    form = HelpfulForm(data={})
    page = Template("{% load crispy_forms_tags %}{{ form|crispy }}{{ form }}").render(
        Context({"form": form})
    )
    assert form.errors and MARKUP not in page


def test_an_escaped_help_text_is_not_escaped_twice():
    class Plain(forms.Form):
        reference = forms.CharField(help_text="For example “KS 2025/123 § 4” & more.")

    page = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(
        Context({"form": Plain()})
    )
    assert "For example “KS 2025/123 § 4” &amp; more." in page


@pytest.mark.django_db
def test_the_admin_forms_use_the_escaping_bound_field(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    form_class = admin.site._registry[PriorityArea].get_form(request)
    form = form_class()
    assert isinstance(form["name_en"], EscapedHelpTextBoundField)
    assert form["name_en"].help_text  # the model's help text is there, escaped


@pytest.mark.parametrize(
    "widget",
    [
        forms.Select(attrs={"class": "form-select", "data-x": "<y>"}),
        forms.SelectMultiple(attrs={"disabled": True}),
        forms.NullBooleanSelect(),
    ],
)
def test_a_select_is_drawn_with_djangos_markup(widget):
    choices = [
        ("", "Alla"),
        ("a", "A & <b>B</b>"),
        ("Grupp <i>", [("c", "C"), ("d", "D")]),
        (7, "Sju"),
    ]
    if isinstance(widget, forms.NullBooleanSelect):
        choices = widget.choices
    widget.choices = choices
    value = ["a", "d"] if isinstance(widget, forms.SelectMultiple) else "a"
    django_markup = widget.render("kind", value, renderer=Jinja2())
    portal_markup = widget.render("kind", value, renderer=PortalFormRenderer())
    assert portal_markup == django_markup
    assert "<b>" not in portal_markup


def test_the_portal_draws_selects_without_a_template(monkeypatch):
    renderer = PortalFormRenderer()

    def no_template(name):
        raise AssertionError(f"{name} was read as a template")

    monkeypatch.setattr(renderer, "get_template", no_template)
    widget = forms.Select(choices=[("a", "A")])
    assert widget.render("kind", "a", renderer=renderer) == widget.render(
        "kind", "a", renderer=Jinja2()
    )


HOSTILE = "\"><script>alert(1)</script>& 'x'"


@pytest.mark.parametrize(
    "widget, value",
    [
        (forms.TextInput(attrs={"class": "form-control", "data-x": HOSTILE}), HOSTILE),
        (forms.TextInput(attrs={"required": True, "disabled": False}), None),
        (forms.NumberInput(attrs={"min": 0, "step": "0.5"}), 3.5),
        (forms.EmailInput(), "a@b.se"),
        (forms.URLInput(), "https://example.se/?a=1&b=2"),
        (forms.PasswordInput(render_value=True), "hemligt"),
        (forms.HiddenInput(), 7),
        (forms.DateInput(attrs={"type": "date"}), "2026-11-30"),
        (forms.DateTimeInput(), None),
        (forms.TimeInput(), "12:30"),
        (forms.SearchInput(), "ord"),
        (forms.TelInput(), "016-710 10 00"),
        (forms.ColorInput(), "#aabbcc"),
        (forms.CheckboxInput(attrs={"class": "form-check-input"}), True),
        (forms.CheckboxInput(), False),
        (forms.Textarea(attrs={"rows": 3, "aria-describedby": "x_helptext"}), HOSTILE + "\nrad 2"),
        (forms.Textarea(), ""),
        (forms.Textarea(), None),
    ],
)
def test_simple_widgets_are_drawn_in_python_with_djangos_markup(widget, value):
    django_markup = widget.render("falt", value, attrs={"id": "id_falt"}, renderer=Jinja2())
    portal_markup = widget.render(
        "falt", value, attrs={"id": "id_falt"}, renderer=PortalFormRenderer()
    )
    assert portal_markup == django_markup
    assert "<script>" not in portal_markup


def test_a_template_that_is_not_a_simple_widget_is_still_rendered_by_its_template():
    widget = forms.RadioSelect(choices=[("a", "A <b>")])
    markup = widget.render("val", "a", renderer=PortalFormRenderer())
    assert markup == widget.render("val", "a", renderer=Jinja2())
    assert 'type="radio"' in markup and "&lt;b&gt;" in markup
