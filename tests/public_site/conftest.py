"""A small dialogue with public and unpublished objects, personal-looking values everywhere a
person could be named, and a summary of it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from actionplan.choices import CelebrationKind
from actionplan.models import Celebration
from reports.models import SummarySnapshot
from reports.summary import summary_compute
from smeportal.areas.models import PriorityArea
from tests.factories import (
    ActivityFactory,
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    GoalFactory,
    IndicatorFactory,
    InterviewFactory,
    MeasurementFactory,
    MilestoneFactory,
    ProposalFactory,
    UserFactory,
)

# Values that must never reach the public page or its feed.
SECRETS = {
    "contact": "Greta Hemligsson",
    "email": "greta.hemligsson@example.invalid",
    "phone": "016-99 88 77",
    "sole_trader": "Hemligssons Snickeri",
    "sole_trader_number": "800101-1234",
    "company": "Namngivna Bolaget AB",
    "interviewer": "Ivar Intervjuarsson",
    "notes": "Anteckning som aldrig får visas",
    "confidential": "Affärshemlighet om kalkylen",
    "internal_quote": "Citat bara för internt bruk",
    "rejection": "Avslagsskäl med Greta i texten",
    "proposal_description": "Beskrivning av förslaget med personuppgifter",
    "activity_description": "Beskrivning av aktiviteten som inte visas",
    "owner": "Olle Ägaresson",
    "celebration_note": "Berättat av Olle på mötet",
    "hidden_proposal": "Opublicerat förslag om parkering",
    "hidden_activity": "Opublicerad aktivitet om skyltar",
    "hidden_goal": "Opublicerat mål om lokaler",
    "hidden_indicator": "Opublicerat mätetal om lokaler",
    "hidden_celebration": "Opublicerad aktivitet firad",
}
NAMED_QUOTE = "Det tar alldeles för lång tid att få ett bygglov här."
ANONYMOUS_QUOTE = "Vi vill gärna vara med och ta emot praktikanter."


@dataclass
class Dialogue:
    area: PriorityArea
    proposal: object
    hidden_proposal: object
    activity: object
    hidden_activity: object
    goal: object
    indicator: object
    celebration: Celebration
    snapshot: SummarySnapshot


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous():
    return Client()


def summarise() -> SummarySnapshot:
    return SummarySnapshot.objects.create(taken_at=timezone.now(), data=summary_compute())


@pytest.fixture
def dialogue(db) -> Dialogue:
    area = PriorityArea.objects.order_by("order").first()
    interviewer = UserFactory(first_name="Ivar", last_name="Intervjuarsson")
    named = CompanyFactory(name=SECRETS["company"])
    contact = ContactFactory(
        company=named, name=SECRETS["contact"], email=SECRETS["email"], phone=SECRETS["phone"]
    )
    interview = InterviewFactory(
        company=named, consent="med_namn", notes=SECRETS["notes"], interviewers=[interviewer]
    )
    interview.interviewees.set([contact])
    FindingFactory(interview=interview, area=area, quote=NAMED_QUOTE, is_key_quote=True)
    FindingFactory(
        interview=interview,
        area=area,
        text=SECRETS["confidential"],
        quote=SECRETS["confidential"],
        is_key_quote=True,
        is_confidential=True,
    )
    sole_trader = CompanyFactory(
        name=SECRETS["sole_trader"],
        organisation_number=SECRETS["sole_trader_number"],
        is_personal_data=True,
    )
    FindingFactory(
        interview=InterviewFactory(company=sole_trader, consent="med_namn"),
        area=area,
        quote=ANONYMOUS_QUOTE,
        is_key_quote=True,
    )
    FindingFactory(
        interview=InterviewFactory(consent="internt"),
        area=area,
        quote=SECRETS["internal_quote"],
        is_key_quote=True,
    )

    proposal = ProposalFactory(
        area=area,
        title="Snabbare bygglov för små företag",
        description=SECRETS["proposal_description"],
        status="i_handlingsplan",
        votes=12,
        is_public=True,
    )
    ProposalFactory(
        area=area,
        title="Avslaget förslag om torghandel",
        status="avslagen",
        rejection_reason=SECRETS["rejection"],
        is_public=True,
    )
    hidden_proposal = ProposalFactory(area=area, title=SECRETS["hidden_proposal"])
    activity = ActivityFactory(
        title="Bygglovslots för små företag",
        description=SECRETS["activity_description"],
        municipality_owner=SECRETS["owner"],
        contact_user=interviewer,
        status="klar",
        is_public=True,
        areas=[area],
    )
    activity.proposals.set([proposal])
    hidden_activity = ActivityFactory(title=SECRETS["hidden_activity"], plan=activity.plan)
    indicator = IndicatorFactory(name="Sammanfattande omdöme", owner=interviewer)
    MeasurementFactory(indicator=indicator, value="3.40", date=datetime.date(2024, 6, 1))
    goal = GoalFactory(
        plan=activity.plan, area=area, title="Ett bättre företagsklimat", is_public=True
    )
    goal.indicators.set([indicator])
    hidden_goal = GoalFactory(plan=activity.plan, area=area, title=SECRETS["hidden_goal"])
    hidden_goal.indicators.set([IndicatorFactory(name=SECRETS["hidden_indicator"])])
    celebration = Celebration.objects.create(
        kind=CelebrationKind.MILESTONE_DONE,
        title="Delmål uppnått: lotsen anställd",
        occurred_on=datetime.date(2026, 10, 1),
        milestone=MilestoneFactory(activity=activity, title="Lotsen anställd", is_done=True),
        activity=activity,
        is_celebrated=True,
        celebrated_by=interviewer,
        note=SECRETS["celebration_note"],
        is_public=True,
    )
    Celebration.objects.create(
        kind=CelebrationKind.ACTIVITY_DONE,
        title=SECRETS["hidden_celebration"],
        occurred_on=datetime.date(2026, 11, 1),
        activity=hidden_activity,
    )
    return Dialogue(
        area=area,
        proposal=proposal,
        hidden_proposal=hidden_proposal,
        activity=activity,
        hidden_activity=hidden_activity,
        goal=goal,
        indicator=indicator,
        celebration=celebration,
        snapshot=summarise(),
    )
