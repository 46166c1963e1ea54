"""The findings of the interview form drawn from plain values (interviews.finding_rows) are the
rows the forms draw (finding_form_row.html), for an interview's findings, a new interview's
empty rows and the row the script copies; and every value stays text."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from interviews.finding_rows import finding_rows
from interviews.forms import FindingFormSet, finding_initial
from smeportal.areas.models import PriorityArea
from tests.factories import FindingFactory, InterviewFactory

# The loop of interview_form.html over the forms, and its <template> row.
FORMS = Template(
    "{% for finding_form in formset %}\n"
    '        {% include "interviews/finding_form_row.html" with finding_form=finding_form '
    "number=forloop.counter %}\n"
    "      {% endfor %}"
)
EMPTY_FORM = Template(
    '{% include "interviews/finding_form_row.html" with finding_form=formset.empty_form '
    'number="__number__" %}'
)
HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"


def drawn_by_forms(formset) -> tuple[str, str]:
    context = Context({"formset": formset})
    return FORMS.render(context), EMPTY_FORM.render(context)


def drawn_from_values(formset) -> tuple[str, str]:
    rows = finding_rows(formset)
    return str(rows.rows), str(rows.empty_row)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_an_interviews_rows_are_the_forms_rows(language):
    interview = InterviewFactory()
    areas = list(PriorityArea.objects.order_by("order")[:3])
    FindingFactory(interview=interview, area=areas[0], text=HOSTILE, quote=HOSTILE)
    FindingFactory(
        interview=interview,
        area=areas[1],
        type="ide",
        importance=3,
        quote="Ett citat\npå två rader",
        is_key_quote=True,
        is_confidential=True,
    )
    FindingFactory(interview=interview, area=areas[2], type="styrka", importance=1, quote="")
    with translation.override(language):
        formset = FindingFormSet(
            prefix="findings", initial=finding_initial(interview), interview=interview
        )
        assert drawn_from_values(formset) == drawn_by_forms(formset)


@pytest.mark.django_db
def test_a_new_interviews_empty_rows_are_the_forms_rows():
    with translation.override("sv"):
        formset = FindingFormSet(prefix="findings")
        assert drawn_from_values(formset) == drawn_by_forms(formset)


@pytest.mark.django_db
def test_values_stay_text():
    interview = InterviewFactory()
    FindingFactory(interview=interview, text=HOSTILE, quote=HOSTILE)
    formset = FindingFormSet(
        prefix="findings", initial=finding_initial(interview), interview=interview
    )
    rows, _empty = drawn_from_values(formset)
    assert "<script>" not in rows
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quoted&#39;" in rows


@pytest.mark.django_db
def test_a_bound_formset_is_drawn_by_its_forms():
    """Sent back with errors, the rows show what was typed and the errors: the forms draw them."""
    formset = FindingFormSet(
        {"findings-TOTAL_FORMS": "1", "findings-INITIAL_FORMS": "0"}, prefix="findings"
    )
    assert finding_rows(formset) is None
