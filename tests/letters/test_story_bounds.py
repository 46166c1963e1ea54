"""A company's story stays the same size however much the company said (issue 12): the newest
interviews only, a few findings and proposals per area with how many more there are, and the
same number of queries for a company with one interview and one with many."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from letters import selectors
from letters.selectors import company_story
from tests.factories import (
    ActivityFactory,
    CompanyFactory,
    FindingFactory,
    InterviewFactory,
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
    assert len(few) == len(many) <= 10
