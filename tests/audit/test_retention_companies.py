"""The company scope: a sole trader (name = a person, number = a personal identity number) can be
erased with everything about it, and the decision keeps no name."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from audit.models import RetentionDecision
from interviews.models import Company, Contact, Finding, FollowUp, Interview
from tests.audit.plan_rules import rule_fields
from tests.confirmations import post_confirmed
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    FollowUpFactory,
    InterviewFactory,
    ProposalFactory,
)

URL = reverse("audit:retention")
TODAY = datetime.date(2026, 6, 1)
SOLE_TRADER = "Kalle Karlssons Måleri"
PERSONAL_NUMBER = "640823-3234"

pytestmark = pytest.mark.django_db


@pytest.fixture
def companies(developer, client):
    """An old sole trader with everything, a recent sole trader and an old limited company."""
    with freeze_time("2020-05-04 10:00"):
        sole_trader = CompanyFactory(
            name=SOLE_TRADER, organisation_number=PERSONAL_NUMBER, is_personal_data=True
        )
        sole_trader.notes = "Kalle driver firman själv."
        sole_trader.save()
        contact = ContactFactory(company=sole_trader, name="Kalle Karlsson")
        interview = InterviewFactory(
            company=sole_trader, date=datetime.date(2020, 5, 4), interviewers=[developer]
        )
        interview.interviewees.add(contact)
        finding = FindingFactory(interview=interview, text="Kalle vill ha fler parkeringar")
        follow_up = FollowUpFactory(interview=interview, due_date=datetime.date(2020, 6, 1))
    recent = CompanyFactory(name="Nyliga Nilssons Firma", is_personal_data=True)
    InterviewFactory(company=recent, date=TODAY - datetime.timedelta(days=20))
    limited = CompanyFactory(name="Gamla Bolaget AB")
    InterviewFactory(company=limited, date=datetime.date(2019, 1, 10))
    never = CompanyFactory(name="Aldrig Intervjuad AB")
    other_finding = FindingFactory(text="Kvar i förslaget")
    proposal = ProposalFactory()
    proposal.evidence.add(finding, other_finding)
    return {
        "sole_trader": sole_trader,
        "contact": contact,
        "interview": interview,
        "finding": finding,
        "follow_up": follow_up,
        "recent": recent,
        "limited": limited,
        "never": never,
        "proposal": proposal,
        "other_finding": other_finding,
    }


def _criteria(**extra) -> dict:
    """The plan's rule for companies: disposed of 5 years after the last interview."""
    return {**rule_fields("foretag", 5), "search": "", **extra}


@freeze_time(TODAY)
def test_companies_not_interviewed_since_are_offered_sole_traders_first(admin_client, companies):
    listed = admin_client.post(URL, {**_criteria(sole_traders_only="on"), "show": "1"})
    assert listed.status_code == 200
    assert list(listed.context["candidates"]) == [companies["sole_trader"]]
    assert PERSONAL_NUMBER in listed.content.decode()  # the administrator sees what is erased

    everyone = admin_client.post(URL, {**_criteria(), "show": "1"})
    assert set(everyone.context["candidates"]) == {
        companies["sole_trader"],
        companies["limited"],
        companies["never"],
    }


@freeze_time(TODAY)
def test_a_sole_trader_is_erased_with_everything_and_its_history(admin_client, companies):
    sole_trader, contact = companies["sole_trader"], companies["contact"]
    interview, finding = companies["interview"], companies["finding"]
    response = post_confirmed(
        admin_client,
        URL,
        {
            **_criteria(sole_traders_only="on", search="Kalle"),
            "reference": "KS 2026/70 § 1",
            "reason": "Enskild firma som upphört; uppgifterna behövs inte längre.",
            "records": [str(sole_trader.pk)],
            "confirm": "on",
        },
    )
    assert response.status_code == 302

    assert not Company.objects.filter(pk=sole_trader.pk).exists()
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert not Interview.objects.filter(pk=interview.pk).exists()
    assert not Finding.all_objects.filter(pk=finding.pk).exists()
    assert not FollowUp.objects.filter(pk=companies["follow_up"].pk).exists()
    for model, pk in [
        (Company, sole_trader.pk),
        (Contact, contact.pk),
        (Interview, interview.pk),
        (Finding, finding.pk),
        (FollowUp, companies["follow_up"].pk),
    ]:
        assert not model.history.filter(id=pk).exists(), model
    assert not Company.history.filter(organisation_number=PERSONAL_NUMBER).exists()
    assert not Interview.interviewees.through.objects.filter(contact_id=contact.pk).exists()
    # The proposal stays, without the link to the erased finding.
    assert list(companies["proposal"].evidence.all()) == [companies["other_finding"]]
    # The others stay.
    assert (
        Company.objects.filter(
            pk__in=[companies["recent"].pk, companies["limited"].pk, companies["never"].pk]
        ).count()
        == 3
    )

    decision = RetentionDecision.objects.get()
    assert decision.scope == "foretag"
    assert decision.counts == {
        "interviews.company": 1,
        "interviews.contact": 1,
        "interviews.interview": 1,
        "interviews.finding": 1,
        "interviews.followup": 1,
    }
    kept = f"{decision.scope_description} {decision.reason} {decision.reference}"
    assert "Kalle" not in kept and PERSONAL_NUMBER not in kept and "Karlsson" not in kept
    assert "endast enskilda firmor" in decision.scope_description
    assert "urval efter sökning" in decision.scope_description
    assert set(decision.items.values_list("model_label", "object_id", "action")) >= {
        ("interviews.company", sole_trader.pk, "gallrad"),
        ("interviews.contact", contact.pk, "gallrad"),
    }
    listing = admin_client.get(reverse("audit:decision_list")).content.decode()
    assert "Företag: 1" in listing
    assert SOLE_TRADER not in listing


@freeze_time(TODAY)
def test_a_recently_interviewed_company_cannot_be_erased(admin_client, companies):
    response = admin_client.post(
        URL,
        {
            **_criteria(),
            "reference": "KS 1",
            "reason": "Skäl",
            "records": [str(companies["recent"].pk)],
            "confirm": "on",
        },
    )
    assert response.status_code == 400
    assert Company.objects.filter(pk=companies["recent"].pk).exists()
    assert not RetentionDecision.objects.exists()
