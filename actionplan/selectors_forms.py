"""Reads of the activity forms (new, edit, from proposals): the activity, and the choices of
its fields, each read compiled once (smeportal.core.compiled).

A form's model choice fields read their choices when the page draws them (ChoicesInOneQuery);
the form is told the objects read here instead (choice_objects_known), so the page compiles
none of those queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Q, Value

from smeportal.accounts.models import User
from smeportal.accounts.roles import STAFF_ROLES, role_holders
from smeportal.areas.models import PriorityArea
from smeportal.core.compiled import CompiledRead, columns, instance, prefetched, related
from workshops.models import Proposal, Workshop, WorkshopGroup

from .models import Activity, Goal, Milestone

_ACTIVITY = columns(Activity)
_AREA = columns(PriorityArea)
_USER = columns(User, "username", "first_name", "last_name")

_ACTIVITY_ROW = CompiledRead(lambda pk: Activity.objects.filter(pk=pk).values_list(*_ACTIVITY))
# What the activity links to, one (kind, id) row each: its areas, its proposals, and its
# milestones and sub-activities (whether it has any decides whether its progress is set by hand).
# The parts unordered: SQLite orders no part of a union.
_AREA_LINK, _PROPOSAL_LINK, _ITEM = 1, 2, 3
_LINKS = CompiledRead(
    lambda pk: (
        Activity.areas.through.objects.filter(activity_id=pk)
        .annotate(kind=Value(_AREA_LINK))
        .values_list("kind", "priorityarea_id")
        .union(
            Activity.proposals.through.objects.filter(activity_id=pk)
            .annotate(kind=Value(_PROPOSAL_LINK))
            .values_list("kind", "proposal_id"),
            Milestone.objects.filter(activity_id=pk)
            .order_by()
            .annotate(kind=Value(_ITEM))
            .values_list("kind", "pk"),
            Activity.objects.filter(parent_id=pk)
            .order_by()
            .annotate(kind=Value(_ITEM))
            .values_list("kind", "pk"),
            all=True,
        )
    )
)
_AREAS = CompiledRead(lambda: PriorityArea.objects.order_by("order", "name").values_list(*_AREA))
_GOALS = CompiledRead(
    lambda: Goal.objects.order_by("-plan__start_year", "area__order", "pk").values_list(
        "pk", "title", "plan__start_year", "plan__end_year", "area__order"
    )
)
_PARENTS = CompiledRead(
    lambda plan_id: (
        Activity.objects.filter(plan_id=plan_id)
        .order_by("-plan__start_year", "title", "pk")
        .values_list("pk", "title", "plan__start_year", "plan__end_year")
    )
)
_STAFF = CompiledRead(lambda: role_holders(STAFF_ROLES).values_list(*_USER))
_HAS_ITEMS = CompiledRead(
    lambda pk: Activity.objects.filter(
        Q(pk=pk), Q(milestones__isnull=False) | Q(children__isnull=False)
    ).values_list("pk")[:1]
)


def activity_for_form(pk: int) -> Activity | None:
    """The activity `pk` with its areas and proposals as prefetch_related() gives them (the
    form's initial values: their ids are all it reads of them) and `has_items` (milestones or
    sub-activities), in two queries; None when there is none."""
    rows = _ACTIVITY_ROW.rows(pk)
    if not rows:
        return None
    activity = instance(Activity, _ACTIVITY, rows[0])
    links: dict[int, list[int]] = {_AREA_LINK: [], _PROPOSAL_LINK: [], _ITEM: []}
    for kind, linked_id in _LINKS.rows(pk):
        links[kind].append(linked_id)
    prefetched(
        activity, "areas", [instance(PriorityArea, ["id"], [area]) for area in links[_AREA_LINK]]
    )
    prefetched(
        activity,
        "proposals",
        [instance(Proposal, ["id"], [proposal]) for proposal in links[_PROPOSAL_LINK]],
    )
    activity.has_items = bool(links[_ITEM])
    return activity


def areas_for_choice(chosen_ids: Iterable[int | None] | None) -> list[PriorityArea]:
    """The areas not archived and the chosen ones, in their order; every area for None."""
    areas = [instance(PriorityArea, _AREA, values) for values in _AREAS.rows()]
    if chosen_ids is None:
        return areas
    chosen = set(chosen_ids)
    return [area for area in areas if not area.is_archived or area.pk in chosen]


def goal_choices() -> list[tuple[int, str]]:
    """(id, label) of every goal, newest plan first: "2026–2029 · 3. Kortare handläggning"."""
    return [
        (pk, f"{start_year}–{end_year} · {area_order}. {title}")
        for pk, title, start_year, end_year, area_order in _GOALS.rows()
    ]


def parent_choices(plan_id: int) -> list[tuple[int, str]]:
    """(id, label) of the plan's activities, by title: "Företagslots (2026–2029)"."""
    return [
        (pk, f"{title} ({start_year}–{end_year})")
        for pk, title, start_year, end_year in _PARENTS.rows(plan_id)
    ]


def staff_choices() -> list[tuple[int, str]]:
    """(id, label) of selectors.staff_user_choices(): the name, or the user name without one
    (User.get_full_name() or get_username())."""
    return [
        (pk, f"{first_name} {last_name}".strip() or username)
        for pk, username, first_name, last_name in _STAFF.rows()
    ]


def has_items(pk: int) -> bool:
    """Whether the activity has milestones or sub-activities, whose progress makes its own
    (progress.rolled_up_progress). One query."""
    return bool(_HAS_ITEMS.rows(pk))


_PICKED = columns(Proposal, "group_id", "area_id", "title")
_PICKED_AREA = columns(PriorityArea, "order")
_PICKED_GROUP = columns(WorkshopGroup, "workshop_id")
_PICKED_WORKSHOP = columns(Workshop, "title")
_CHOSEN = CompiledRead(
    lambda ids: (
        Proposal.objects.filter(pk__in=ids)
        .order_by("area__order", "-votes", "title", "pk")
        .values_list(
            *_PICKED,
            *related("area", _PICKED_AREA),
            *related("group", _PICKED_GROUP),
            *related("group__workshop", _PICKED_WORKSHOP),
        )
    )
)


def chosen_proposals(ids: Sequence[int]) -> list[Proposal]:
    """The proposals of these ids in the picker's order (area, votes, title), each with its
    area's number and its workshop's title (one query)."""
    proposals = []
    area_end = len(_PICKED) + len(_PICKED_AREA) - 1
    group_end = area_end + len(_PICKED_GROUP) - 1
    for row in _CHOSEN.rows(list(dict.fromkeys(ids))):
        proposal = instance(Proposal, _PICKED, row[: len(_PICKED)])
        proposal.area = instance(
            PriorityArea, _PICKED_AREA, [proposal.area_id, *row[len(_PICKED) : area_end]]
        )
        group = instance(
            WorkshopGroup, _PICKED_GROUP, [proposal.group_id, *row[area_end:group_end]]
        )
        group.workshop = instance(Workshop, _PICKED_WORKSHOP, [group.workshop_id, *row[group_end:]])
        proposal.group = group
        proposals.append(proposal)
    return proposals
