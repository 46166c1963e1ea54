"""Reads of the coverage page's challenges (interview findings no proposal answers yet): per
area how many, the first few, and an area's a page at a time, each read compiled once
(smeportal.core.compiled). Its proposals: selectors_proposals.

The same reads as interviews.selectors.finding_counts_by_area(), findings_first_per_area() and
findings_by_area() (one short slice per area on Postgres, a numbering on SQLite), run with the
areas' ids, the findings with their interviews' companies.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from interviews.models import Company, Finding, Interview
from interviews.selectors import FINDING_ORDER
from smeportal.core.compiled import CompiledRead, columns, instance, related
from smeportal.core.slices import union_of_slices

from .selectors import unanswered_challenges

_CHALLENGE = columns(
    Finding, "interview_id", "area_id", "text", "quote", "importance", "is_confidential"
)
_INTERVIEW = columns(Interview, "company_id", "consent")
_COMPANY = columns(Company, "name", "industry", "size_class", "is_personal_data")
_CHALLENGE_COLUMNS = (
    *_CHALLENGE,
    *related("interview", _INTERVIEW),
    *related("interview__company", _COMPANY),
)
_CHALLENGES = CompiledRead(
    lambda ids: Finding.objects.filter(pk__in=ids).values_list(*_CHALLENGE_COLUMNS)
)


@functools.cache
def _first_challenge_keys(internal: bool, limit: int) -> CompiledRead:
    def build(area_ids: list[int]):
        challenges = unanswered_challenges(internal=internal)
        keys = ("id", "area_id", "importance", "interview_id")
        if connection.vendor == "postgresql":
            first = challenges.order_by(*FINDING_ORDER).values_list(*keys)
            return union_of_slices(first, "area_id", area_ids, limit)
        return (
            challenges.filter(area_id__in=area_ids)
            .annotate(
                position=Window(
                    RowNumber(),
                    partition_by=[F("area_id")],
                    order_by=[F("importance").desc(), F("interview_id").desc(), F("pk").asc()],
                )
            )
            .filter(position__lte=limit)
            .values_list(*keys)
        )

    return CompiledRead(build)


@dataclass(frozen=True)
class ChallengesOverview:
    counts: dict[int, int]  # per area, counted up to the cap
    first: dict[int, list[Finding]]  # per area, the first few


def challenges_overview(
    *, internal: bool, area_ids: Sequence[int], cap: int, per_area: int
) -> ChallengesOverview:
    """Per area, its challenges no proposal answers counted up to `cap`, and the first
    `per_area` of them (FINDING_ORDER) with their interviews' companies, in two queries: the
    first `cap` of each area's keys from the area's index (as many as interviews.selectors'
    finding_counts_by_area() reads to count them), then the rows of the first few."""
    if not area_ids:
        return ChallengesOverview(counts={}, first={})
    keys: dict[int, list[tuple]] = {area_id: [] for area_id in area_ids}
    for pk, area_id, importance, interview_id in _first_challenge_keys(internal, cap).rows(
        area_ids
    ):
        keys[area_id].append((-importance, -interview_id, pk))
    first_ids = [pk for area_keys in keys.values() for *_order, pk in sorted(area_keys)[:per_area]]
    # FINDING_ORDER: most important first, then the latest interview, then the id.
    findings = sorted(
        _challenges(_CHALLENGES.rows(first_ids)),
        key=lambda finding: (-finding.importance, -finding.interview_id, finding.pk),
    )
    first: dict[int, list[Finding]] = {area_id: [] for area_id in area_ids}
    for finding in findings:
        first[finding.area_id].append(finding)
    return ChallengesOverview(
        counts={area_id: len(area_keys) for area_id, area_keys in keys.items()}, first=first
    )


# --- One area's page: its challenges and proposals a page at a time --------------------------


@functools.cache
def _area_challenge_count(internal: bool, limit: int) -> CompiledRead:
    def build(area_id: int):
        capped = (
            unanswered_challenges(internal=internal)
            .filter(area_id=area_id)
            .order_by()
            .values_list("pk")[:limit]
        )
        sql, params = capped.query.sql_with_params()
        return f"SELECT COUNT(*) FROM ({sql}) AS capped", params  # noqa: S608

    return CompiledRead(build)


def area_challenge_count(*, internal: bool, area_id: int, limit: int) -> int:
    """The area's challenges no proposal answers, counted up to `limit` (one query)."""
    ((count,),) = _area_challenge_count(internal, limit).rows(area_id)
    return count


# Pages of an area's challenges are at most CappedPaginator's ten: a read per page is kept.
@functools.lru_cache(maxsize=64)
def _area_challenge_ids(internal: bool, start: int, stop: int) -> CompiledRead:
    return CompiledRead(
        lambda area_id: (
            unanswered_challenges(internal=internal)
            .filter(area_id=area_id)
            .order_by(*FINDING_ORDER)
            .values_list("pk")[start:stop]
        )
    )


def area_challenges(*, internal: bool, area_id: int, start: int, stop: int) -> list[Finding]:
    """Challenges [start:stop] of the area no proposal answers (FINDING_ORDER), each with its
    interview's company (two queries, as interviews.selectors.findings_by_area() reads one
    area: its ids in the order of the area's index, then their rows)."""
    if stop <= start:
        return []
    ids = [pk for (pk,) in _area_challenge_ids(internal, start, stop).rows(area_id)]
    by_pk = {finding.pk: finding for finding in _challenges(_CHALLENGES.rows(ids))}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def _challenges(rows: list[tuple]) -> list[Finding]:
    findings = []
    company_start = len(_CHALLENGE) + len(_INTERVIEW) - 1
    for row in rows:
        finding = instance(Finding, _CHALLENGE, row[: len(_CHALLENGE)])
        interview = instance(
            Interview, _INTERVIEW, [finding.interview_id, *row[len(_CHALLENGE) : company_start]]
        )
        interview.company = instance(
            Company, _COMPANY, [interview.company_id, *row[company_start:]]
        )
        finding.interview = interview
        findings.append(finding)
    return findings
