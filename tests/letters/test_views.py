"""The letters' pages, the company's “Vad hände sedan?” and the contact's agreement."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Contact
from letters.models import LetterRound, ResultsLetter
from tests.factories import ContactFactory

from .conftest import AUTUMN

pytestmark = pytest.mark.django_db


def _draft(client) -> LetterRound:
    response = client.post(
        reverse("letters:round_list"),
        {
            "title": "Hösten 2026",
            "interviews_from": AUTUMN[0].isoformat(),
            "interviews_to": AUTUMN[1].isoformat(),
            "opening": "Tack för samtalet.",
        },
    )
    assert response.status_code == 302
    return LetterRound.objects.get()


@pytest.mark.parametrize("name", ["facilitator_client", "council_client"])
def test_only_business_developers_and_administrators_send_letters(request, name):
    client = request.getfixturevalue(name)
    assert client.get(reverse("letters:round_list")).status_code == 403


def test_draft_preview_adjust_and_send(
    developer_client, dialogue, django_capture_on_commit_callbacks
):
    letter_round = _draft(developer_client)
    page = developer_client.get(reverse("letters:round_detail", args=[letter_round.pk]))
    html = page.content.decode()
    assert "Hällby Åkeri AB" in html and "Eskilstuna Mekaniska" in html
    letter = letter_round.letters.get(company=dialogue["told"])
    preview = developer_client.get(reverse("letters:letter_detail", args=[letter.pk]))
    assert "Bygglovet tar för lång tid för oss" in preview.content.decode()
    assert "Hemlig expansionsplan" not in preview.content.decode()
    saved = developer_client.post(
        reverse("letters:letter_detail", args=[letter.pk]), {"opening": "Egen <b>inledning</b>"}
    )
    assert saved.status_code == 302
    shown = developer_client.get(reverse("letters:letter_detail", args=[letter.pk]))
    assert "Egen &lt;b&gt;inledning&lt;/b&gt;" in shown.content.decode()

    refused = developer_client.post(reverse("letters:round_send", args=[letter_round.pk]), {})
    assert refused.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        sent = developer_client.post(
            reverse("letters:round_send", args=[letter_round.pk]), {"previewed": "on"}
        )
    assert sent.status_code == 302
    letter.refresh_from_db()
    assert letter.status == ResultsLetter.Status.SENT


def test_a_round_with_the_end_before_the_start_is_refused(developer_client):
    response = developer_client.post(
        reverse("letters:round_list"),
        {
            "title": "Fel",
            "interviews_from": "2026-11-01",
            "interviews_to": "2026-10-01",
            "opening": "x",
        },
    )
    assert response.status_code == 400
    assert not LetterRound.objects.exists()


def test_the_pdf_download(developer_client, dialogue):
    letter_round = _draft(developer_client)
    letter = letter_round.letters.get(company=dialogue["post_only"])
    response = developer_client.get(reverse("letters:letter_pdf", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_what_happened_next_on_the_company(developer_client, dialogue):
    response = developer_client.get(reverse("letters:company_story", args=[dialogue["told"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "En väg in för bygglov" in html and "Bygglovslotsen" in html
    assert "Hemlig expansionsplan" not in html
    company_page = developer_client.get(
        reverse("interviews:company_detail", args=[dialogue["told"].pk])
    )
    assert reverse("letters:company_story", args=[dialogue["told"].pk]) in (
        company_page.content.decode()
    )


def test_unknown_letter_is_404(developer_client):
    assert developer_client.get(reverse("letters:letter_detail", args=[99999])).status_code == 404


def test_the_contact_form_records_the_agreement(developer_client, developer):
    contact = ContactFactory(email="", name="Åsa Öberg")
    url = reverse("interviews:contact_update", args=[contact.pk])
    fields = {"name": "Åsa Öberg", "role": "VD", "phone": ""}
    without_email = developer_client.post(url, {**fields, "email": "", "results_consent": "on"})
    assert without_email.status_code == 400
    developer_client.post(url, {**fields, "email": "asa@example.invalid", "results_consent": "on"})
    contact.refresh_from_db()
    assert contact.results_consent_on == timezone.localdate()
    assert contact.results_consent_by == developer
    developer_client.post(url, {**fields, "email": "asa@example.invalid"})
    contact.refresh_from_db()
    assert contact.results_consent_on is None and contact.results_consent_by is None
    assert Contact.history.filter(id=contact.pk).count() >= 3


def test_the_interview_form_records_who_agreed(developer_client, developer):
    from tests.factories import CompanyFactory

    company = CompanyFactory()
    agrees = ContactFactory(company=company, name="Åsa Öberg", email="asa@example.invalid")
    other = ContactFactory(company=company, name="Bo Ek")
    url = reverse("interviews:interview_create")
    page = developer_client.get(url, {"company": company.pk}).content.decode()
    assert 'name="results_consents"' in page
    data = {
        "company": company.pk,
        "date": "2026-10-01",
        "interviewers": [developer.pk],
        "interviewees": [agrees.pk, other.pk],
        "results_consents": [agrees.pk],
        "format": "besok",
        "status": "utkast",
        "consent": "anonymt",
        "grade": "",
        "notes": "",
        "findings-TOTAL_FORMS": "0",
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "1000",
    }
    response = developer_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    agrees.refresh_from_db()
    other.refresh_from_db()
    assert agrees.results_consent_on == timezone.localdate()
    assert agrees.results_consent_by == developer
    assert other.results_consent_on is None
