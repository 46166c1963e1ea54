"""Reads of the workshops app."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from interviews.choices import Industry, SizeClass
from interviews.models import Finding
from interviews.selectors import finding_list_order
from smeportal.areas.models import PriorityArea

from .models import Proposal, Workshop, WorkshopGroup


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


@dataclass(frozen=True)
class EvidenceSummary:
    finding_count: int
    shareable_count: int  # the findings that are not business secrets
    company_count: int
    industries: list[tuple[str, int]]  # (label, number of companies), most first
    sizes: list[tuple[str, int]]
    # (id, is a business secret) of every finding, in the order of interviews' finding_list.
    findings_in_order: list[tuple[int, bool]]

    def finding_ids(self, *, internal: bool) -> list[int]:
        """The ids of the findings this audience may read, in the order of finding_list:
        the proposal page pages through them and reads a page's findings by id."""
        return [pk for pk, secret in self.findings_in_order if internal or not secret]


def evidence_summary(proposal: Proposal) -> EvidenceSummary:
    """How many findings and distinct companies stand behind a proposal, and which kinds; and
    the findings' ids in the order of interviews' finding_list.

    One query. The page of findings is then read by id: asked through the evidence table, as
    a join of seven tables, Postgres took 1.5 ms to plan it and 0.1 ms to run it.
    """
    read = list(
        Finding.objects.filter(proposals=proposal).values_list(
            "area__order",
            "importance",
            "interview_id",
            "pk",
            "is_confidential",
            "interview__company_id",
            "interview__company__industry",
            "interview__company__size_class",
        )
    )
    in_order = sorted(read, key=lambda row: finding_list_order(*row[:4]))
    rows = [(company, industry, size, secret) for *_order, secret, company, industry, size in read]
    companies = {company_id: (industry, size) for company_id, industry, size, _c in rows}
    industry_counts: dict[str, int] = {}
    size_counts: dict[str, int] = {}
    for industry, size in companies.values():
        industry_counts[industry] = industry_counts.get(industry, 0) + 1
        size_counts[size] = size_counts.get(size, 0) + 1
    industry_labels = dict(Industry.choices)
    size_labels = dict(SizeClass.choices)
    size_order = [value for value, _label in SizeClass.choices]
    return EvidenceSummary(
        findings_in_order=[(pk, secret) for _a, _i, _v, pk, secret, *_company in in_order],
        finding_count=len(rows),
        shareable_count=sum(1 for *_rest, confidential in rows if not confidential),
        company_count=len(companies),
        industries=sorted(
            ((str(industry_labels.get(code, code)), n) for code, n in industry_counts.items()),
            key=lambda item: (-item[1], item[0]),
        ),
        sizes=[
            (str(size_labels[code]), size_counts[code])
            for code in size_order
            if code in size_counts
        ],
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
