import datetime

import pytest
from django.utils import timezone

from actionplan.models import Celebration
from tests.factories import (
    ActivityFactory,
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    InterviewFactory,
    MilestoneFactory,
    ProposalFactory,
)
from workshops.services import proposals_merge

AUTUMN = (datetime.date(2026, 9, 1), datetime.date(2026, 11, 30))


@pytest.fixture
def dialogue(developer):
    """Three companies: one whose contact agreed to e-mail, one without, one interviewed in
    the spring; one finding supports a proposal (merged into another) in an activity."""
    told = CompanyFactory(name="Hällby Åkeri AB")
    contact = ContactFactory(
        company=told,
        name="Gunborg Åkesson",
        email="gunborg@hallby.invalid",
        results_consent_on=datetime.date(2026, 10, 2),
        results_consent_by=developer,
    )
    ContactFactory(company=told, name="Utan Samtycke", email="ingen@hallby.invalid")
    interview = InterviewFactory(company=told, date=datetime.date(2026, 10, 2))
    interview.interviewees.add(contact)
    said = FindingFactory(interview=interview, text="Bygglovet tar för lång tid för oss")
    FindingFactory(
        interview=interview, text="Hemlig expansionsplan i Torshälla", is_confidential=True
    )
    duplicate = ProposalFactory(title="Snabbare bygglov")
    survivor = ProposalFactory(title="En väg in för bygglov", group=duplicate.group)
    duplicate.evidence.add(said)
    proposals_merge(survivor=survivor, duplicates=[duplicate])
    activity = ActivityFactory(
        title="Bygglovslotsen",
        municipality_owner="Stadsbyggnadsförvaltningen",
        business_owner="Företagarna Eskilstuna",
    )
    activity.proposals.add(survivor)
    MilestoneFactory(activity=activity, title="Lotsen bemannad", date=datetime.date(2027, 2, 1))
    Celebration.objects.create(
        kind="aktivitet",
        title="Bygglovslotsen har öppnat",
        occurred_on=timezone.localdate(),
        activity=activity,
    )
    post_only = CompanyFactory(name="Eskilstuna Mekaniska")
    InterviewFactory(company=post_only, date=datetime.date(2026, 11, 5))
    spring = CompanyFactory(name="Vårens Bageri")
    InterviewFactory(company=spring, date=datetime.date(2026, 4, 1))
    return {
        "told": told,
        "contact": contact,
        "post_only": post_only,
        "spring": spring,
        "activity": activity,
        "survivor": survivor,
    }
