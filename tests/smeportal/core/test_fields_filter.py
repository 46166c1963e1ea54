"""{{ field|as_field }}: Bootstrap 5's field markup from one Jinja2 template (crispy's elsewhere).

The same elements as `|as_crispy_field` for the widgets it draws: a label tied to the widget,
Bootstrap's classes, errors that the widget's aria-describedby names, the help text.
"""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template import Context, Template

from smeportal.core.dates import DateInput


class EveryKind(forms.Form):
    name = forms.CharField(label="Namn", help_text="Som i registret", max_length=20)
    count = forms.IntegerField(label="Antal", required=False)
    day = forms.DateField(label="Dag", required=False, widget=DateInput())
    kind = forms.ChoiceField(label="Sort", choices=[("", "Alla"), ("a", "A & B")], required=False)
    notes = forms.CharField(
        label="Anteckningar",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "font-monospace"}),
    )
    agree = forms.BooleanField(label="Jag godkänner", help_text="Krävs")
    way = forms.ChoiceField(
        label="Väg", choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect, required=False
    )
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


def render(form, name: str) -> str:
    source = "{% load fields %}{{ field|as_field }}"
    return Template(source).render(Context({"field": form[name]}))


def crispy(form, name: str) -> str:
    source = "{% load crispy_forms_tags %}{{ field|as_crispy_field }}"
    return Template(source).render(Context({"field": form[name]}))


def test_an_input_has_its_label_bootstrap_class_and_help_text():
    html = render(EveryKind(), "name")
    assert html.startswith('<div id="div_id_name" class="mb-3">')
    assert (
        '<label for="id_name" class="form-label requiredField">Namn'
        '<span class="asteriskField">*</span></label>'
    ) in html
    assert re.search(r'<input type="text" name="name"[^>]* class="form-control"', html)
    assert 'aria-describedby="id_name_helptext"' in html
    assert '<div id="id_name_helptext" class="form-text">Som i registret</div>' in html


def test_selects_textareas_and_dates_get_bootstrap_classes_beside_their_own():
    form = EveryKind(initial={"kind": "a"})
    assert 'class="form-select"' in render(form, "kind")
    assert '<option value="a" selected>A &amp; B</option>' in render(form, "kind")
    assert 'class="font-monospace form-control"' in render(form, "notes")
    assert 'type="date"' in render(form, "day") and 'class="form-control"' in render(form, "day")
    assert 'type="number"' in render(form, "count")


def test_errors_are_shown_and_named_by_the_widget():
    form = EveryKind(data={"name": "x" * 21, "count": "many"})
    assert not form.is_valid()
    html = render(form, "count")
    assert 'class="form-control is-invalid"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_count_error"' in html
    assert (
        '<div id="id_count_error" class="invalid-feedback"><p id="error_1_id_count"><strong>'
        in html
    )
    # The same error block as crispy's (what the error summary and the tests look for).
    assert re.sub(r"\s+", "", html) == re.sub(r"\s+", "", crispy(form, "count")).replace(
        "numberinputform-control", "form-control"
    )


def test_a_checkbox_has_its_label_after_it():
    html = render(EveryKind(data={}), "agree")
    assert html.startswith('<div class="mb-3"><div id="div_id_agree" class="form-check">')
    assert re.search(
        r'<input type="checkbox" name="agree"[^>]* class="form-check-input is-invalid"', html
    )
    assert '<label for="id_agree" class="form-check-label requiredField">Jag godkänner' in html
    assert '<div id="id_agree_helptext" class="form-text">Krävs</div>' in html


def _same_markup(html: str) -> str:
    return re.sub(r"\s+", "", html)


@pytest.mark.parametrize(
    "data", [None, {"way": "z", "pick": ["9"], "name": "x"}, {"way": "y", "pick": ["a", "b"]}]
)
def test_radio_buttons_and_checkbox_lists_have_crispys_markup(data):
    class Choices(forms.Form):
        way = forms.ChoiceField(
            label="Väg",
            choices=[("x", "X"), ("y", "Y & <b>Z</b>")],
            widget=forms.RadioSelect,
            help_text="Välj en",
        )
        pick = forms.MultipleChoiceField(
            label="Välj",
            choices=[("a", "A"), ("b", "B")],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )

    form = Choices(data=data)
    if data:
        form.is_valid()
    for name in ("way", "pick"):
        assert _same_markup(render(form, name)) == _same_markup(crispy(form, name))
    assert "&lt;b&gt;Z&lt;/b&gt;" in render(form, "way")


def test_hidden_fields_are_left_to_crispy():
    form = EveryKind()
    assert render(form, "secret") == crispy(form, "secret")


def test_labels_and_choices_are_escaped():
    class Hostile(forms.Form):
        name = forms.CharField(label="<b>Namn</b>")
        kind = forms.ChoiceField(choices=[("<x>", "<script>alert(1)</script>")])

    form = Hostile()
    assert "&lt;b&gt;Namn&lt;/b&gt;" in render(form, "name")
    html = render(form, "kind")
    assert "<script>" not in html and "&lt;script&gt;" in html


class Hostile(forms.Form):
    name = forms.CharField(label='<b hx-get="/x">Namn</b>', help_text="<i>hjälp</i> & mer")
    agree = forms.BooleanField(label="<script>x</script>", required=False, help_text="<u>u</u>")
    unlabelled = forms.CharField(label="", required=False)
    kind = forms.ChoiceField(label="Sort & typ", choices=[("<a>", "<A>")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["class"] = "extra"


FORMS = {
    "unbound": lambda: EveryKind(),
    "errors": lambda: EveryKind(data={"name": "x" * 21, "count": "many", "day": "igår"}),
    "hostile": lambda: Hostile(),
    "hostile with errors": lambda: Hostile(data={"kind": "nej"}),
}


@pytest.mark.parametrize("make_form", FORMS.values(), ids=FORMS.keys())
def test_fields_drawn_in_python_match_the_field_template(make_form):
    """draw_field reproduces portal/forms/field.html byte for byte (errors, help, labels)."""
    from smeportal.core.templatetags.fields import FIELD_TEMPLATE, _bootstrap_class

    form = make_form()
    form.is_bound and form.is_valid()
    for field in form:
        if field.is_hidden or isinstance(field.field.widget, forms.RadioSelect):
            continue
        context = {
            "field": field,
            "widget": field.as_widget(attrs={"class": _bootstrap_class(field)}),
            "checkbox": isinstance(field.field.widget, forms.CheckboxInput),
            "options": None,
        }
        assert render(form, field.name) == field.render(FIELD_TEMPLATE, context), field.name
    assert "<script>" not in "".join(render(form, field.name) for field in form)
