from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from workshops.demo import PROPOSALS, WORKSHOP_TITLE, workshop_date
from workshops.models import Proposal, Workshop, WorkshopGroup
from workshops.selectors import evidence_summary


@pytest.fixture
def demo_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "eskilstuna-demo-2030")


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _snapshot() -> list[tuple]:
    """What a user would see of the demo workshop, without database ids."""
    return [
        (
            proposal.title,
            proposal.group.name,
            proposal.area.slug,
            proposal.votes,
            proposal.status,
            proposal.merged_into.title if proposal.merged_into else "",
            tuple(sorted(proposal.evidence.values_list("text", "interview__date"))),
        )
        for proposal in Proposal.objects.select_related("group", "area", "merged_into").order_by(
            "title"
        )
    ]


@pytest.mark.django_db
def test_seed_demo_adds_the_sme_dialogue_workshop(demo_password):
    output = _seed()

    assert "Workshops:" in output
    workshop = Workshop.objects.get()
    assert workshop.title == WORKSHOP_TITLE
    assert (workshop.date.month, workshop.date.day) == (11, 11)
    assert workshop.place == "Munktellstaden, Eskilstuna"
    assert workshop.status == "genomford"
    assert (
        workshop.participants_total,
        workshop.participants_companies,
        workshop.participants_municipality,
        workshop.participants_other,
    ) == (80, 52, 22, 6)
    assert set(workshop.facilitators.values_list("username", flat=True)) == {
        "processledare",
        "admin",
    }

    groups = list(workshop.groups.select_related("area", "facilitator").order_by("name"))
    assert [group.name for group in groups] == [f"Bord {n}" for n in range(1, 7)]
    assert len({group.area_id for group in groups}) == 6
    assert all(11 <= group.member_count <= 15 for group in groups)
    assert sum(group.member_count for group in groups) == 80
    assert all(group.facilitator.username == "processledare" for group in groups)

    proposals = list(Proposal.objects.filter(group__workshop=workshop))
    assert 28 <= len(proposals) <= 32
    merged = [proposal for proposal in proposals if proposal.is_merged]
    assert len(merged) == 2
    assert len({proposal.merged_into_id for proposal in merged}) == 2
    assert all(proposal.status == "sammanslagen" for proposal in merged)
    # The workshop leaves "in the action plan" to the action plan's seeder, which runs after it.
    assert {spec.status for spec in PROPOSALS} == {"ny", "under_beredning", "avslagen"}
    statuses = {proposal.status for proposal in proposals}
    assert {"ny", "avslagen"} <= statuses
    assert all(p.rejection_reason for p in proposals if p.status == "avslagen")
    assert {p.actor for p in proposals} == {"kommunen", "naringslivet", "tillsammans"}
    assert {p.horizon for p in proposals} == {"inom_1_ar", "1_3_ar", "langre"}
    assert all(0 <= p.votes <= 50 for p in proposals)

    live = [proposal for proposal in proposals if not proposal.is_merged]
    with_evidence = [p for p in live if evidence_summary(p).finding_count >= 2]
    assert len(with_evidence) >= 0.75 * len(live)
    assert max(evidence_summary(p).finding_count for p in live) <= 16  # 8 each, after a merge
    # Evidence is of the proposal's own area (merges may bring a duplicate's area along).
    for proposal in live:
        areas = set(proposal.evidence.values_list("area_id", flat=True))
        own = {proposal.area_id} | {d.area_id for d in proposal.merged_from.all()}
        assert areas <= own
    assert not Proposal.objects.filter(evidence__is_confidential=True).exists()


@pytest.mark.django_db
def test_merges_carried_votes_and_evidence(demo_password):
    _seed()
    for duplicate in Proposal.objects.filter(merged_into__isnull=False).select_related(
        "merged_into"
    ):
        survivor = duplicate.merged_into
        assert survivor.votes >= duplicate.votes
        assert set(duplicate.evidence.all()) <= set(survivor.evidence.all())


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(demo_password):
    _seed()
    before = _snapshot()
    counts = (Workshop.objects.count(), WorkshopGroup.objects.count(), Proposal.objects.count())
    links = Proposal.evidence.through.objects.count()

    output = _seed()

    assert "already present" in output
    assert _snapshot() == before
    assert (Workshop.objects.count(), WorkshopGroup.objects.count(), Proposal.objects.count()) == (
        counts
    )
    assert Proposal.evidence.through.objects.count() == links
    assert Workshop.objects.annotate(n=Count("groups")).values_list("n", flat=True).get() == 6


def test_workshop_date_is_never_in_the_future():
    assert workshop_date(date(2026, 11, 29)) == date(2026, 11, 11)
    assert workshop_date(date(2026, 11, 11)) == date(2026, 11, 11)
    assert workshop_date(date(2026, 6, 1)) == date(2025, 11, 11)
