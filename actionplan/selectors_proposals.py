"""Proposals not yet in the plan, as the coverage page and the new-activity-from-proposals page
list them: counted per area, the first few of each area, an area's a page at a time. Each read
compiled once (smeportal.core.compiled).

Without `details` a proposal comes with its group's name and its workshop's title (the coverage
page); with them also its description and who acts, and its area (the form that picks them).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db.models import Count
from django.db.models.expressions import RawSQL

from smeportal.areas.models import PriorityArea
from smeportal.core.compiled import CompiledRead, columns, instance, related
from workshops.models import UNSETTLED, Proposal, Workshop, WorkshopGroup

from .selectors import first_proposal_ids

_PROPOSAL = columns(Proposal, "group_id", "area_id", "title", "votes", "status", "company_count")
_DETAILED = columns(Proposal, "group_id", "area_id", "title", "description", "actor", "votes",
                    "status", "company_count")  # fmt: skip
_AREA = columns(PriorityArea, "name", "name_en", "order", "colour")
_GROUP = columns(WorkshopGroup, "workshop_id", "name")
_WORKSHOP = columns(Workshop, "title")
# The ranking of selectors.proposals_not_in_plan().
_ORDER = ("area__order", "-company_count", "-votes", "title", "pk")


def _columns(details: bool) -> tuple[str, ...]:
    return (
        *(_DETAILED if details else _PROPOSAL),
        *related("group", _GROUP),
        *related("group__workshop", _WORKSHOP),
        *(related("area", _AREA) if details else ()),
    )


def _proposals(rows: list[tuple], details: bool) -> list[Proposal]:
    own = _DETAILED if details else _PROPOSAL
    group_end = len(own) + len(_GROUP) - 1
    workshop_end = group_end + len(_WORKSHOP) - 1
    areas: dict[int, PriorityArea] = {}
    proposals = []
    for row in rows:
        proposal = instance(Proposal, own, row[: len(own)])
        group = instance(WorkshopGroup, _GROUP, [proposal.group_id, *row[len(own) : group_end]])
        group.workshop = instance(
            Workshop, _WORKSHOP, [group.workshop_id, *row[group_end:workshop_end]]
        )
        proposal.group = group
        if details:
            area = areas.get(proposal.area_id)
            if area is None:
                area = areas[proposal.area_id] = instance(
                    PriorityArea, _AREA, [proposal.area_id, *row[workshop_end:]]
                )
            proposal.area = area
        proposals.append(proposal)
    return proposals


_COUNTS = CompiledRead(
    lambda: (
        Proposal.objects.filter(UNSETTLED)
        .order_by()
        .values("area")
        .annotate(total=Count("*"))
        .values_list("area", "total")
    )
)


def proposal_counts_by_area() -> dict[int, int]:
    """The number of proposals not in the plan (selectors.proposals_not_in_plan()) per area,
    in one query: the partial index on the proposals still to be decided answers it alone."""
    return dict(_COUNTS.rows())


@functools.cache
def _first_ids(per_area: int) -> CompiledRead:
    def build(area_ids: list[int]):
        first = first_proposal_ids(per_area, area_ids)
        if isinstance(first, RawSQL):  # Postgres: the union of each area's slice
            return first.sql, first.params
        return first.values_list("pk")

    return CompiledRead(build)


def first_proposals_per_area(
    *, area_ids: Sequence[int], per_area: int, details: bool = False
) -> list[Proposal]:
    """The first `per_area` proposals not in the plan of each of these areas, ranked as
    selectors.proposals_not_in_plan() ranks them: their ids (selectors.first_proposal_ids()),
    then their rows (two queries; as one, Postgres took four times as long to plan it as the
    two take to plan and run at 5,000 proposals)."""
    if not area_ids:
        return []
    ids = [pk for (pk,) in _first_ids(per_area).rows(area_ids)]
    return proposals_of_ids(ids, details=details)


@functools.cache
def _of_ids(details: bool) -> CompiledRead:
    return CompiledRead(
        lambda ids: (
            Proposal.objects.filter(pk__in=ids).order_by(*_ORDER).values_list(*_columns(details))
        )
    )


def proposals_of_ids(ids: Sequence[int], *, details: bool = False) -> list[Proposal]:
    """The proposals of these ids, in the ranking's order (one query)."""
    return _proposals(_of_ids(details).rows(list(dict.fromkeys(ids))), details)


_AREA_COUNT = CompiledRead(
    lambda area_id: (
        Proposal.objects.filter(UNSETTLED, area_id=area_id)
        .order_by()
        .values("area_id")
        .annotate(total=Count("*"))
        .values_list("total")
    )
)


# A read per page of an area's proposals, the latest pages asked for kept.
@functools.lru_cache(maxsize=64)
def _area_page(start: int, stop: int, details: bool) -> CompiledRead:
    return CompiledRead(
        lambda area_id: (
            Proposal.objects.filter(UNSETTLED, area_id=area_id)
            .order_by(*_ORDER)
            .values_list(*_columns(details))[start:stop]
        )
    )


class AreaProposals:
    """An area's proposals not in the plan (selectors.proposals_not_in_plan()), for Django's
    Paginator: counted, and a page read, by compiled reads."""

    def __init__(self, area_id: int, *, details: bool = False):
        self.area_id = area_id
        self.details = details

    def count(self) -> int:
        return sum(total for (total,) in _AREA_COUNT.rows(self.area_id))

    def __getitem__(self, page: slice) -> list[Proposal]:
        if not isinstance(page, slice) or page.step is not None:
            raise TypeError("a page of proposals is a slice start:stop")
        if page.stop <= page.start:
            return []
        return _proposals(
            _area_page(page.start, page.stop, self.details).rows(self.area_id), self.details
        )
