"""Anonymising a contact masks their name where it was written: the notes and texts about the
interviews they took part in, their company's notes, and every history row of those records."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import RetentionDecision
from audit.redaction import REDACTED_NAME, name_pattern, redact
from audit.selectors import RetentionCriteria
from audit.services import retention_decision_execute
from interviews.models import Company, Contact, Finding, FollowUp, Interview
from tests.audit.plan_rules import rule_fields
from tests.confirmations import post_confirmed
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    FollowUpFactory,
    InterviewFactory,
)

URL = reverse("audit:retention")
MASK = REDACTED_NAME

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Åsa Öberg ringde.", f"{MASK} ringde."),
        ("ÅSA ÖBERG ringde.", f"{MASK} ringde."),
        ("åsa sa att öberg-familjen äger det", f"{MASK} sa att {MASK}-familjen äger det"),
        ("Öbergs firma och Åsas idé", f"{MASK} firma och {MASK} idé"),
        ("Åsa-Öberg, Åsa  Öberg", f"{MASK}, {MASK}"),
        # Whole words only: a place or a word that merely contains the name stays.
        ("Åsalund och Västeröberga", "Åsalund och Västeröberga"),
        ("Inget namn här.", "Inget namn här."),
    ],
)
def test_a_name_is_masked_in_full_and_by_part_as_whole_words(text, expected):
    assert redact(text, name_pattern(["Åsa Öberg"])) == expected


def test_one_letter_parts_are_not_masked_alone():
    pattern = name_pattern(["K. Lind"])
    assert redact("K. Lind och k-värdet", pattern) == f"{MASK} och k-värdet"
    assert name_pattern(["", "  "]) is None


def test_a_decomposed_name_is_masked_too():
    decomposed = "A\u030asa"  # "Åsa" written as A + combining ring
    assert redact(f"Hej {decomposed}!", name_pattern(["Åsa"])) == f"Hej {MASK}!"


@pytest.fixture
def asa(developer, client):
    """Åsa Öberg, once named Åsa Lind, took part in one interview; Sven in another."""
    company = CompanyFactory(notes="Ägaren Åsa Öberg vill bli kontaktad per e-post.")
    contact = ContactFactory(company=company, name="Åsa Lind")
    contact.name = "Åsa Öberg"
    contact.save()
    # Interviewed long enough ago for the plan's rule for contact persons (archive).
    interview = InterviewFactory(
        company=company, date=datetime.date(2025, 2, 3), notes="Samtal med ÅSA och hennes kollega."
    )
    interview.interviewees.add(contact)
    interview.notes = "Samtal med Åsa Öberg (tidigare Lind) om lokaler; Åsas idé var bra."
    interview.save()
    finding = FindingFactory(
        interview=interview, text="Lind säger att bygglovet dröjer.", quote="Jag, åsa, väntar."
    )
    follow_up = FollowUpFactory(interview=interview, title="Ring Åsa", notes="Öberg vill ha svar")
    other_interview = InterviewFactory(notes="Åsa från grannföretaget var också där.")
    other_interview.interviewees.add(ContactFactory(company=other_interview.company, name="Sven"))
    return {
        "contact": contact,
        "company": company,
        "interview": interview,
        "finding": finding,
        "follow_up": follow_up,
        "other_interview": other_interview,
    }


def test_anonymising_masks_the_name_in_notes_texts_and_their_history(admin_client, asa):
    response = post_confirmed(
        admin_client,
        URL,
        {
            **rule_fields("kontakter"),
            "reference": "KS 2026/5",
            "reason": "Personen har begärt radering.",
            "records": [str(asa["contact"].pk)],
            "confirm": "on",
        },
    )
    assert response.status_code == 302

    interview = Interview.objects.get(pk=asa["interview"].pk)
    assert interview.notes == f"Samtal med {MASK} (tidigare {MASK}) om lokaler; {MASK} idé var bra."
    assert interview.version == asa["interview"].version + 1  # an edit begun before is refused
    finding = Finding.objects.get(pk=asa["finding"].pk)
    assert (finding.text, finding.quote) == (
        f"{MASK} säger att bygglovet dröjer.",
        f"Jag, {MASK}, väntar.",
    )
    follow_up = FollowUp.objects.get(pk=asa["follow_up"].pk)
    assert (follow_up.title, follow_up.notes) == (f"Ring {MASK}", f"{MASK} vill ha svar")
    company = Company.objects.get(pk=asa["company"].pk)
    assert company.notes == f"Ägaren {MASK} vill bli kontaktad per e-post."

    history_texts = [
        *Interview.history.filter(id=interview.pk).values_list("notes", flat=True),
        *Finding.history.filter(id=finding.pk).values_list("text", flat=True),
        *Finding.history.filter(id=finding.pk).values_list("quote", flat=True),
        *FollowUp.history.filter(id=follow_up.pk).values_list("title", flat=True),
        *FollowUp.history.filter(id=follow_up.pk).values_list("notes", flat=True),
        *Company.history.filter(id=company.pk).values_list("notes", flat=True),
        *Contact.history.filter(id=asa["contact"].pk).values_list("name", flat=True),
    ]
    assert len(history_texts) >= 9
    for text in history_texts:
        for name in ("åsa", "öberg", "lind"):
            assert name not in text.lower(), text

    # Another interview that Åsa did not take part in is not touched.
    other = Interview.objects.get(pk=asa["other_interview"].pk)
    assert other.notes == "Åsa från grannföretaget var också där."

    decision = RetentionDecision.objects.get()
    assert decision.counts == {"interviews.contact": 1}
    masked = set(
        decision.items.filter(action="namn_maskat").values_list("model_label", "object_id")
    )
    assert {
        ("interviews.interview", interview.pk),
        ("interviews.finding", finding.pk),
        ("interviews.followup", follow_up.pk),
        ("interviews.company", company.pk),
    } <= masked
    assert any(label == "interviews.historicalinterview" for label, _pk in masked)
    listing = admin_client.get(reverse("audit:decision_list")).content.decode()
    assert "Intervjuer: namn maskerat (1)" in listing
    assert "Ändringshistorik för intervjuer: namn maskerat" in listing


NAMES = [
    "Åsa Öberg",
    "Örjan Ekström",
    "Karin Björk",
    "Per-Olof Sjöberg",
    "Maja Åkesson",
    "Nils Ärlig",
    "Eva Lundqvist",
    "Oskar Hägg",
    "Ida Wiklund",
    "Jonas Ågren",
]


def _contacts_with_texts(developer, names: list[str]) -> list[int]:
    """Each contact in an interview whose notes, finding and follow-up name them, edited once."""
    ids = []
    for name in names:
        company = CompanyFactory(notes=f"Kontakt: {name}")
        contact = ContactFactory(company=company, name=name)
        interview = InterviewFactory(company=company, notes=f"Samtal med {name}.")
        interview.interviewees.add(contact)
        interview.notes += " Uppföljning bokad."
        interview.save()
        finding = FindingFactory(interview=interview, text=f"{name} vill ha kortare handläggning")
        finding.quote = f"Jag heter {name.split()[0]}"
        finding.save()
        FollowUpFactory(interview=interview, title=f"Ring {name}", owner=developer)
        ids.append(contact.pk)
    return ids


def test_masking_many_contacts_costs_no_more_queries_than_a_few(administrator, developer):
    def decide(ids: list[int]) -> int:
        with CaptureQueriesContext(connection) as queries:
            retention_decision_execute(
                user=administrator,
                criteria=RetentionCriteria(scope="kontakter"),
                reference="KS 2026/9",
                reason="Skäl",
                record_ids=ids,
            )
        return len(queries.captured_queries)

    few = decide(_contacts_with_texts(developer, NAMES[:2]))
    many = decide(_contacts_with_texts(developer, NAMES[2:]))
    assert many <= few  # the first decision also loads the administrator's role once
    assert few <= 45
    for name in NAMES:
        for text in Interview.history.values_list("notes", flat=True):
            assert name not in text
    assert not Finding.objects.filter(text__contains="Ekström").exists()
