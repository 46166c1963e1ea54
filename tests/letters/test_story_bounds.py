"""A company's story stays the same size however much the company said (issue 12): the newest
interviews only, a few findings and proposals per area with how many more there are, and the
same number of queries for a company with one interview and one with many."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplan.models import Celebration
from letters import selectors
from letters.selectors import company_story
from tests.factories import (
    ActivityFactory,
    CompanyFactory,
    FindingFactory,
    InterviewFactory,
    MilestoneFactory,
    PriorityAreaFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_bounds(monkeypatch):
    monkeypatch.setattr(selectors, "STORY_INTERVIEWS", 3)
    monkeypatch.setattr(selectors, "FINDINGS_PER_AREA", 2)
    monkeypatch.setattr(selectors, "PROPOSALS_PER_AREA", 1)


def _company_with(interviews: int, *, area):
    """A company with `interviews` interviews a month apart, each with two findings of `area`,
    each finding supporting a proposal of its own; every other proposal is in the plan."""
    company = CompanyFactory()
    for number in range(interviews):
        interview = InterviewFactory(
            company=company, date=datetime.date(2026, 1, 1) + datetime.timedelta(days=30 * number)
        )
        for side in ("a", "b"):
            finding = FindingFactory(
                interview=interview, area=area, text=f"Intervju {number} säger {side}"
            )
            proposal = ProposalFactory(area=area, title=f"Förslag {number}{side}")
            proposal.evidence.add(finding)
            if side == "b":
                ActivityFactory(title=f"Aktivitet {number}").proposals.add(proposal)
    return company


def test_the_story_tells_the_newest_interviews_and_how_many_more_there_are(small_bounds):
    area = PriorityAreaFactory()
    company = _company_with(5, area=area)
    story = company_story(company)
    assert story.more_interviews
    [told] = story.areas
    # The newest interview first; three interviews of two findings each are in the story.
    assert told.findings == ["Intervju 4 säger a", "Intervju 4 säger b"]
    assert told.finding_count == 6 and told.findings_left_out == 4
    # Of the six proposals those findings support, one is told: one the plan took up.
    [proposal] = told.proposals
    assert proposal.title.endswith("b") and proposal.activities
    assert told.proposal_count == 6 and told.proposals_left_out == 5


def test_a_small_story_is_told_whole(small_bounds):
    area = PriorityAreaFactory()
    company = _company_with(1, area=area)
    story = company_story(company)
    assert not story.more_interviews
    [told] = story.areas
    assert told.findings_left_out == 0 and told.proposals_left_out == 1


def test_the_page_says_what_it_leaves_out(small_bounds, developer_client):
    area = PriorityAreaFactory()
    company = _company_with(5, area=area)
    page = developer_client.get(reverse("letters:company_story", args=[company.pk]))
    text = page.content.decode()
    assert "de senaste 3 intervjuerna" in text
    assert "Och 4 saker till som ni berättade inom området." in text
    assert "Och 5 förslag till." in text


def test_the_same_queries_for_one_interview_and_many(small_bounds):
    area = PriorityAreaFactory()
    small, large = _company_with(1, area=area), _company_with(8, area=area)
    with CaptureQueriesContext(connection) as few:
        company_story(small)
    with CaptureQueriesContext(connection) as many:
        company_story(large)
    assert len(few) == len(many) == 5


def test_the_same_queries_whether_or_not_anything_came_to_the_plan():
    """The bench's company at scale has proposals none of which is in the plan: its story
    must cost as many queries as one whose proposals are (as the demo's is)."""
    area = PriorityAreaFactory()
    in_plan, not_yet = _company_with(2, area=area), CompanyFactory()
    interview = InterviewFactory(company=not_yet)
    ProposalFactory(area=area).evidence.add(FindingFactory(interview=interview, area=area))
    with CaptureQueriesContext(connection) as planned:
        assert company_story(in_plan).areas[0].proposals[0].activities
    with CaptureQueriesContext(connection) as unplanned:
        assert not company_story(not_yet).areas[0].proposals[0].activities
    assert len(planned) == len(unplanned) == 5


def test_an_activity_of_two_proposals_is_told_with_each(monkeypatch):
    """Its celebrations are told once, newest first, whichever proposal tells it."""
    monkeypatch.setattr(selectors, "PROPOSALS_PER_AREA", 2)
    area = PriorityAreaFactory()
    company = CompanyFactory()
    interview = InterviewFactory(company=company)
    first, second = ProposalFactory(area=area), ProposalFactory(area=area)
    first.evidence.add(FindingFactory(interview=interview, area=area))
    second.evidence.add(FindingFactory(interview=interview, area=area))
    activity = ActivityFactory(title="Lotsen")
    activity.proposals.add(first, second)
    for day in (1, 2):
        milestone = MilestoneFactory(activity=activity, title=f"Delmål {day}", is_done=True)
        Celebration.objects.create(
            kind="delmal",
            title=f"Delmål {day} nått",
            occurred_on=datetime.date(2026, 5, day),
            activity=activity,
            milestone=milestone,
        )
    [told] = company_story(company).areas
    told_first, told_second = told.proposals
    assert told_first.activities == told_second.activities
    [story] = told_first.activities
    assert [text.split(":")[1].split("(")[0].strip() for text in story.celebrations] == [
        "Delmål 2",
        "Delmål 1",
    ]
