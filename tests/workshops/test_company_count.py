"""Proposal.company_count, the stored number of distinct companies behind a proposal's evidence,
stays exact after every kind of write, and ranks the action plan's proposals as counting did."""

from __future__ import annotations

import random

import pytest
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from actionplan.selectors import proposals_not_in_plan
from interviews.services import finding_archive
from smeportal.areas.models import PriorityArea
from tests.factories import (
    CompanyFactory,
    FindingFactory,
    InterviewFactory,
    ProposalFactory,
    WorkshopGroupFactory,
)
from workshops.models import Proposal
from workshops.services import (
    evidence_link,
    evidence_unlink,
    proposal_company_counts_refresh,
    proposals_merge,
)

pytestmark = pytest.mark.django_db


def _counted() -> Coalesce:
    """The count as the action plan computed it before it was stored: a subquery per row."""
    companies = (
        Proposal.evidence.through.objects.filter(proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(total=Count("finding__interview__company", distinct=True))
        .values("total")
    )
    return Coalesce(Subquery(companies, output_field=IntegerField()), 0)


def _stored(proposal: Proposal) -> int:
    return Proposal.objects.values_list("company_count", flat=True).get(pk=proposal.pk)


def _assert_exact() -> None:
    rows = Proposal.objects.annotate(counted=_counted()).values_list(
        "pk", "company_count", "counted"
    )
    assert [(pk, stored) for pk, stored, _ in rows] == [(pk, counted) for pk, _, counted in rows]


@pytest.fixture
def group():
    return WorkshopGroupFactory()


def _findings_of(*companies):
    return [FindingFactory(interview=InterviewFactory(company=company)) for company in companies]


def test_linking_counts_distinct_companies(group):
    proposal = ProposalFactory(group=group)
    assert _stored(proposal) == 0
    one, other = CompanyFactory(), CompanyFactory()
    evidence_link(proposal=proposal, findings=_findings_of(one, one, other))
    assert _stored(proposal) == 2
    evidence_link(proposal=proposal, findings=_findings_of(one))  # a company already counted
    assert _stored(proposal) == 2
    _assert_exact()


def test_unlinking_recounts(group):
    proposal = ProposalFactory(group=group)
    one, other = CompanyFactory(), CompanyFactory()
    first, second, third = _findings_of(one, one, other)
    evidence_link(proposal=proposal, findings=[first, second, third])
    evidence_unlink(proposal=proposal, findings=[first])
    assert _stored(proposal) == 2  # `second` still stands for the company
    evidence_unlink(proposal=proposal, findings=[third])
    assert _stored(proposal) == 1
    proposal.evidence.clear()
    assert _stored(proposal) == 0


def test_links_from_the_findings_side_recount_the_proposals(group):
    first, second = ProposalFactory(group=group), ProposalFactory(group=group)
    (finding,) = _findings_of(CompanyFactory())
    finding.proposals.add(first, second)
    assert (_stored(first), _stored(second)) == (1, 1)
    finding.proposals.remove(first)
    assert (_stored(first), _stored(second)) == (0, 1)
    finding.proposals.clear()
    assert _stored(second) == 0


def test_a_merge_counts_the_carried_evidence_on_the_survivor(group):
    survivor, duplicate = ProposalFactory(group=group), ProposalFactory(group=group)
    one, other, third = CompanyFactory(), CompanyFactory(), CompanyFactory()
    evidence_link(proposal=survivor, findings=_findings_of(one, other))
    evidence_link(proposal=duplicate, findings=_findings_of(other, third))

    proposals_merge(survivor=survivor, duplicates=[duplicate])

    assert _stored(survivor) == 3
    assert _stored(duplicate) == 2  # the merged record keeps its own links
    _assert_exact()


def test_archiving_a_finding_unlinks_it_and_recounts(group, developer):
    proposal = ProposalFactory(group=group)
    first, second = _findings_of(CompanyFactory(), CompanyFactory())
    evidence_link(proposal=proposal, findings=[first, second])

    finding_archive(finding=first, user=developer)

    assert _stored(proposal) == 1
    _assert_exact()


def test_the_refresh_repairs_any_count_and_touches_only_the_given_proposals(group):
    proposal, other = ProposalFactory(group=group), ProposalFactory(group=group)
    evidence_link(proposal=proposal, findings=_findings_of(CompanyFactory()))
    evidence_link(proposal=other, findings=_findings_of(CompanyFactory()))
    Proposal.objects.update(company_count=7)

    proposal_company_counts_refresh([proposal.pk])
    assert (_stored(proposal), _stored(other)) == (1, 7)
    proposal_company_counts_refresh()
    assert (_stored(proposal), _stored(other)) == (1, 1)
    proposal_company_counts_refresh([])  # nothing to do, no query needed


def test_the_ranking_is_the_one_counting_gave():
    rng = random.Random(12)
    companies = CompanyFactory.create_batch(6)
    area_list = list(PriorityArea.objects.order_by("order")[:3])
    findings = {
        area.pk: [
            FindingFactory(area=area, interview=InterviewFactory(company=rng.choice(companies)))
            for _ in range(8)
        ]
        for area in area_list
    }
    for area in area_list:
        group = WorkshopGroupFactory(area=area)
        for _ in range(6):
            proposal = ProposalFactory(group=group, votes=rng.choice([0, 1, 3]))
            evidence_link(
                proposal=proposal, findings=rng.sample(findings[area.pk], rng.randint(0, 5))
            )
    _assert_exact()

    ranked = list(proposals_not_in_plan().values_list("pk", flat=True))
    counted = list(
        proposals_not_in_plan()
        .annotate(counted=_counted())
        .order_by("area__order", "-counted", "-votes", "title", "pk")
        .values_list("pk", flat=True)
    )
    assert ranked == counted
    assert len(ranked) == 18
