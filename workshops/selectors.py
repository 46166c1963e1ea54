"""Reads of the workshops app."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from interviews.models import Finding
from interviews.selectors import FINDING_LIST_ORDER, FindingsSummary, findings_summary
from smeportal.areas.models import PriorityArea

from .models import Proposal, ProposalMerge, Workshop, WorkshopGroup


def workshop_list() -> QuerySet[Workshop]:
    """Workshops, latest first, with their numbers of groups and proposals.

    The numbers are subqueries, which Postgres runs for the rows of the page only; a join
    with GROUP BY counted every group and proposal of every workshop for each page.
    """
    groups = (
        WorkshopGroup.objects.filter(workshop=OuterRef("pk"))
        .order_by()
        .values("workshop")
        .annotate(total=Count("pk"))
        .values("total")
    )
    proposals = (
        Proposal.objects.filter(group__workshop=OuterRef("pk"))
        .order_by()
        .values("group__workshop")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Workshop.objects.annotate(
        group_count=Coalesce(Subquery(groups), 0),
        proposal_count=Coalesce(Subquery(proposals), 0),
    ).order_by("-date", "-pk")


def live_proposals() -> QuerySet[Proposal]:
    """Proposals that have not been merged into another."""
    return Proposal.objects.filter(merged_into__isnull=True)


def workshop_detail(pk: int) -> Workshop:
    return get_object_or_404(
        Workshop.objects.prefetch_related(
            "facilitators",
            Prefetch(
                "groups",
                queryset=WorkshopGroup.objects.select_related("area", "facilitator").annotate(
                    proposal_count=Count("proposals"),
                    live_proposal_count=Count(
                        "proposals", filter=Q(proposals__merged_into__isnull=True)
                    ),
                ),
            ),
        ),
        pk=pk,
    )


def workshop_proposals(workshop: Workshop) -> QuerySet[Proposal]:
    """All proposals of a workshop, ranked by votes, with what the pages show of each."""
    return (
        Proposal.objects.filter(group__workshop=workshop)
        .select_related("group", "area", "merged_into")
        .annotate(evidence_count=Count("evidence", distinct=True))
        .order_by("-votes", "title", "pk")
    )


@dataclass(frozen=True)
class ProposalCounts:
    """A workshop's live proposals counted by (area, actor), and their votes in total."""

    by_area_and_actor: list[tuple[PriorityArea, str, int]]
    vote_total: int


def workshop_proposal_counts(workshop: Workshop, areas: list[PriorityArea]) -> ProposalCounts:
    """Live proposals by (area, actor) and their votes, in one query; `areas` are every area
    (archived ones too: a workshop may have proposals in an area since archived)."""
    rows = list(
        live_proposals()
        .filter(group__workshop=workshop)
        .order_by()
        .values_list("area", "actor")
        .annotate(total=Count("pk"), votes=Sum("votes"))
    )
    by_id = {area.pk: area for area in areas}
    return ProposalCounts(
        by_area_and_actor=[(by_id[area_id], actor, total) for area_id, actor, total, _v in rows],
        vote_total=sum(votes or 0 for *_rest, votes in rows),
    )


def evidence_summary(proposal: Proposal) -> FindingsSummary:
    """The findings and companies behind a proposal, its findings' ids in the finding list's
    order (the proposal page reads a page of them by id)."""
    return findings_summary(Finding.objects.filter(proposals=proposal), FINDING_LIST_ORDER)


def latest_merge_into(proposal: Proposal) -> ProposalMerge | None:
    """The latest merge into the proposal that has not been undone (the one undo applies to)."""
    return (
        ProposalMerge.objects.filter(survivor=proposal, undone_at__isnull=True)
        .order_by("-pk")
        .first()
    )


def proposal_lineage(proposal: Proposal) -> list[Proposal]:
    """The proposals merged into this one, directly or through earlier merges, oldest first,
    each with `group_name`.

    One recursive query however deep the merges go (a query per level made the page's count
    of queries depend on its history). The lineage's ids are handed over as an array on
    Postgres: joined as a table, their count was guessed at a hundred and every proposal was
    read to find the one or two (2.3 ms instead of 0.4 at 5,000 proposals).
    """
    proposals = Proposal._meta.db_table
    groups = WorkshopGroup._meta.db_table
    in_lineage = (
        "= ANY(ARRAY(SELECT id FROM lineage))"
        if connection.vendor == "postgresql"
        else "IN (SELECT id FROM lineage)"
    )
    return list(
        Proposal.objects.raw(
            f"""
            WITH RECURSIVE lineage(id) AS (
                SELECT id FROM {proposals} WHERE merged_into_id = %s
                UNION
                SELECT p.id FROM {proposals} p JOIN lineage l ON p.merged_into_id = l.id
            )
            SELECT p.*, g.name AS group_name
            FROM {proposals} p
            JOIN {groups} g ON g.id = p.group_id
            WHERE p.id {in_lineage}
            ORDER BY p.id
            """,  # noqa: S608 - table names from the models, the id a parameter
            [proposal.pk],
        )
    )
