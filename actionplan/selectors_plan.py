"""Reads of the plan overview (and the areas of the plan's filter forms), each compiled once
(smeportal.core.compiled).

The overview filters and pages the plan's activities from the rows the roll-up of progress
reads anyway (plan_activity_facts: every activity's status, due date and title, in the table's
order), so the page's activities, their number and the overdue count need no query of their
own: only the page's 25 rows are read in full, by id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from smeportal.accounts.models import User
from smeportal.areas.models import PriorityArea
from smeportal.core.compiled import CompiledRead, columns, instance, related

from .models import ActionPlan, Activity, Goal, Indicator
from .progress import CLOSED_ACTIVITY_STATUSES, is_overdue
from .selectors import PlanProgress

_PLAN = columns(ActionPlan)
_AREA = columns(PriorityArea)
_ROW = columns(Activity, "parent_id", "title", "party_kind", "party_name", "contact_user_id",
               "due_date", "status", "manual_progress", "is_public")  # fmt: skip
_PARENT = columns(Activity, "title")
_USER = columns(User, "username", "first_name", "last_name")
_GOAL = columns(Goal, "area_id", "title", "description", "is_public")
_INDICATOR = columns(Indicator, "name")

_PLANS = CompiledRead(lambda: ActionPlan.objects.order_by("-start_year", "-pk").values_list(*_PLAN))
_ACTIVE_AREAS = CompiledRead(
    lambda: (
        PriorityArea.objects.filter(is_archived=False).order_by("order", "name").values_list(*_AREA)
    )
)
_IN_AREA = CompiledRead(
    lambda plan_id, area_id: Activity.objects.filter(plan_id=plan_id, areas=area_id).values_list(
        "pk"
    )
)
_ROWS = CompiledRead(
    lambda ids: Activity.objects.filter(pk__in=ids).values_list(
        *_ROW, *related("parent", _PARENT), *related("contact_user", _USER)
    )
)
_ROW_AREAS = CompiledRead(
    lambda ids: (
        Activity.areas.through.objects.filter(activity_id__in=ids)
        .order_by("priorityarea__order")
        .values_list("activity_id", "priorityarea_id", *related("priorityarea", _AREA))
    )
)
_GOALS = CompiledRead(
    lambda plan_id: (
        Goal.objects.filter(plan_id=plan_id)
        .order_by("area__order", "area__name", "pk")
        .values_list(*_GOAL, *related("area", _AREA))
    )
)
_GOAL_INDICATORS = CompiledRead(
    lambda plan_id: (
        Goal.indicators.through.objects.filter(goal__plan_id=plan_id)
        .order_by("indicator__name")
        .values_list("goal_id", "indicator_id", *related("indicator", _INDICATOR))
    )
)


def plans() -> list[ActionPlan]:
    """Every plan, newest first (selectors.plan_list())."""
    return [instance(ActionPlan, _PLAN, values) for values in _PLANS.rows()]


def active_areas() -> list[PriorityArea]:
    """The areas not archived, in their order (smeportal.areas.selectors.area_list()): the
    choices of the plan's area filters."""
    return [instance(PriorityArea, _AREA, values) for values in _ACTIVE_AREAS.rows()]


def overview_rows(
    facts: Sequence[tuple],
    *,
    today: date,
    plan_id: int,
    area_id: int | None = None,
    status: str = "",
    overdue_only: bool = False,
) -> list[tuple]:
    """The rows of plan_activity_facts() that the overview's filters keep, in its order (due
    date, title, id): in the area (one query), of the status, overdue (due before today and
    neither done nor cancelled)."""
    in_area = {pk for (pk,) in _IN_AREA.rows(plan_id, area_id)} if area_id is not None else None
    return [
        row
        for row in facts
        if (in_area is None or row[0] in in_area)
        and (not status or row[2] == status)
        and (
            not overdue_only
            or (row[4] is not None and row[4] < today and row[2] not in CLOSED_ACTIVITY_STATUSES)
        )
    ]


def overview_activities(ids: Sequence[int], progress: PlanProgress, today: date) -> list[Activity]:
    """The activities of these ids (a page of overview_rows()), in that order, with what the
    table shows: parent, contact person, areas (`area_list`), progress and its basis, and
    `overdue`."""
    areas: dict[int, PriorityArea] = {}
    areas_of: dict[int, list[PriorityArea]] = defaultdict(list)
    for activity_id, area_id, *values in _ROW_AREAS.rows(list(ids)):
        area = areas.get(area_id)
        if area is None:
            area = areas[area_id] = instance(PriorityArea, _AREA, [area_id, *values])
        areas_of[activity_id].append(area)
    by_pk = {}
    parent_end = len(_ROW) + len(_PARENT) - 1
    for row in _ROWS.rows(list(ids)):
        activity = instance(Activity, _ROW, row[: len(_ROW)])
        if activity.parent_id is not None:
            activity.parent = instance(
                Activity, _PARENT, [activity.parent_id, *row[len(_ROW) : parent_end]]
            )
        if activity.contact_user_id is not None:
            activity.contact_user = instance(
                User, _USER, [activity.contact_user_id, *row[parent_end:]]
            )
        activity.area_list = areas_of.get(activity.pk, [])
        activity.progress = progress.progress.get(activity.pk, activity.manual_progress)
        activity.progress_basis = progress.basis.get(activity.pk)
        activity.overdue = is_overdue(activity.due_date, activity.status, today)
        by_pk[activity.pk] = activity
    return [by_pk[pk] for pk in ids if pk in by_pk]


def plan_goals(plan_id: int) -> list[Goal]:
    """The plan's goals by area, each with its area and its indicators by name
    (`indicator_list`)."""
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for goal_id, indicator_id, *values in _GOAL_INDICATORS.rows(plan_id):
        indicators[goal_id].append(instance(Indicator, _INDICATOR, [indicator_id, *values]))
    areas: dict[int, PriorityArea] = {}
    goals = []
    for row in _GOALS.rows(plan_id):
        goal = instance(Goal, _GOAL, row[: len(_GOAL)])
        area = areas.get(goal.area_id)
        if area is None:
            area = areas[goal.area_id] = instance(
                PriorityArea, _AREA, [goal.area_id, *row[len(_GOAL) :]]
            )
        goal.area = area
        goal.indicator_list = indicators.get(goal.pk, [])
        goals.append(goal)
    return goals


@dataclass(frozen=True)
class GoalGroup:
    area: PriorityArea
    goals: list[Goal]


def goals_by_area(goals: Sequence[Goal]) -> list[GoalGroup]:
    """The goals (plan_goals()) in runs of the same area, as {% regroup %} groups them."""
    groups: list[GoalGroup] = []
    for goal in goals:
        if not groups or groups[-1].area.pk != goal.area_id:
            groups.append(GoalGroup(goal.area, []))
        groups[-1].goals.append(goal)
    return groups
