"""Free text has limits that hold wherever it is saved from: forms (tests/security/
test_hostile_forms.py walks every text field), imports, and services' full_clean()."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from interviews.models import Interview
from smeportal.core.text import NOTES_MAX_LENGTH, BoundedTextField
from tests.factories import CompanyFactory, InterviewFactory
from tests.interviews.test_interview_views import interview_post


@pytest.mark.django_db
def test_full_clean_refuses_notes_over_the_limit_in_swedish():
    company = CompanyFactory(notes="x" * NOTES_MAX_LENGTH)
    company.full_clean()
    company.notes += "x"
    with pytest.raises(ValidationError) as refused:
        company.full_clean()
    assert refused.value.message_dict["notes"] == [
        "Säkerställ att detta värde har som mest 10000 tecken (den har 10001)."
    ]


@pytest.mark.django_db
def test_a_nine_megabyte_note_is_refused_and_nothing_is_saved(developer_client, developer):
    interview = InterviewFactory(interviewers=[developer], notes="Korta anteckningar.")
    history_before = Interview.history.filter(id=interview.pk).count()
    data = interview_post(
        interview.company, developer, version=interview.version, notes="x" * 9_000_000
    )
    response = developer_client.post(
        reverse("interviews:interview_update", args=[interview.pk]), data
    )
    assert response.status_code == 400
    assert "Säkerställ att detta värde har som mest 10000 tecken" in response.content.decode()
    interview.refresh_from_db()
    assert interview.notes == "Korta anteckningar."
    assert Interview.history.filter(id=interview.pk).count() == history_before


def test_the_form_field_carries_the_limit_to_the_browser():
    field = BoundedTextField(max_length=4000).formfield()
    assert field.max_length == 4000
    assert field.widget.attrs["maxlength"] == "4000"
