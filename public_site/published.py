"""What is published, as query sets: the one definition of "public" that the open API
(api/, /api/v1/public/) and the open data files (opendata/) read, as the public page
(selectors.py) does.

Staff publish a proposal, an activity, a goal or a celebration by marking it `is_public`; an
indicator is published when a published goal measures it, with all its measurements. An archived
area's proposals and goals are not published, nor is a proposal merged into another (its
survivor carries it). Of these objects only the fields listed in PUBLIC_FIELDS may leave the
portal: titles, statuses, dates and figures that staff write for the plan, never descriptions,
notes, comments, owners, contact persons, evidence or who entered what. Everything is ordered
by a unique key so that pages and files come out the same every time.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet

from actionplan.models import Activity, Celebration, Goal, Indicator, Measurement
from actionplan.selectors import plans_progress
from reports.models import SummarySnapshot
from smeportal.areas.models import PriorityArea
from workshops.models import Proposal

# The fields of each published model that may be shown outside the portal.
PUBLIC_FIELDS: dict[str, tuple[str, ...]] = {
    "area": ("id", "name", "name_en", "order"),
    "proposal": ("id", "area_id", "title", "actor", "status", "votes"),
    "activity": ("id", "title", "status", "start_date", "due_date"),
    "goal": ("id", "area_id", "title"),
    "indicator": (
        "id",
        "name",
        "unit",
        "direction",
        "source",
        "baseline_value",
        "baseline_date",
        "target_value",
        "target_date",
        "reporting_interval",
    ),
    "measurement": ("id", "indicator_id", "date", "value"),
    "celebration": ("id", "kind", "title", "value", "occurred_on"),
}


def latest_whole_snapshot_id() -> int | None:
    """The id of the newest summary of the whole period (one query, served by its index)."""
    return (
        SummarySnapshot.objects.filter(period_start__isnull=True, period_end__isnull=True)
        .order_by("-taken_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )


def published_areas() -> QuerySet[PriorityArea]:
    return PriorityArea.objects.filter(is_archived=False).order_by("order", "pk")


def published_proposals() -> QuerySet[Proposal]:
    return Proposal.objects.filter(
        is_public=True, merged_into__isnull=True, area__is_archived=False
    ).order_by("pk")


def published_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(is_public=True).order_by("pk")


def published_goals() -> QuerySet[Goal]:
    return Goal.objects.filter(is_public=True, area__is_archived=False).order_by("pk")


def published_indicators() -> QuerySet[Indicator]:
    """The indicators a published goal measures (an EXISTS, so each comes once)."""
    measured = Goal.indicators.through.objects.filter(
        indicator_id=OuterRef("pk"), goal__is_public=True, goal__area__is_archived=False
    )
    return Indicator.objects.filter(Exists(measured)).order_by("pk")


def published_measurements() -> QuerySet[Measurement]:
    return Measurement.objects.filter(indicator__in=published_indicators().values("pk")).order_by(
        "indicator_id", "date", "pk"
    )


def published_celebrations() -> QuerySet[Celebration]:
    return Celebration.objects.filter(is_public=True).order_by("-occurred_on", "-pk")


def published_celebrations_with_titles() -> QuerySet[Celebration]:
    """The published celebrations with what their title (`display_title`) is made of, and
    nothing else: not the note on how it was communicated, nor who celebrated it."""
    return (
        published_celebrations()
        .select_related("activity", "milestone", "indicator")
        .only(
            "pk",
            "kind",
            "title",
            "value",
            "occurred_on",
            "activity__title",
            "milestone__title",
            "indicator__name",
        )
    )


def activities_progress(activities: Iterable[Activity]) -> dict[int, int]:
    """The rolled-up progress (percent) of these activities, as the plan computes it, in one
    query for their plans; an activity the roll-up does not know keeps its manual progress."""
    activities = list(activities)
    rolled_up = plans_progress({activity.plan_id for activity in activities}).progress
    return {
        activity.pk: rolled_up.get(activity.pk, activity.manual_progress) for activity in activities
    }


def published_activity_links(
    activity_ids: Iterable[int],
) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """For these activities: the ids of their active areas and of the published proposals they
    realise (two queries), so a published activity never points at an unpublished proposal."""
    activity_ids = list(activity_ids)
    areas: dict[int, list[int]] = {pk: [] for pk in activity_ids}
    for activity_id, area_id in (
        Activity.areas.through.objects.filter(
            activity_id__in=activity_ids, priorityarea__is_archived=False
        )
        .order_by("priorityarea__order", "priorityarea_id")
        .values_list("activity_id", "priorityarea_id")
    ):
        areas[activity_id].append(area_id)
    proposals: dict[int, list[int]] = {pk: [] for pk in activity_ids}
    for activity_id, proposal_id in (
        Activity.proposals.through.objects.filter(
            activity_id__in=activity_ids, proposal__in=published_proposals().values("pk")
        )
        .order_by("proposal_id")
        .values_list("activity_id", "proposal_id")
    ):
        proposals[activity_id].append(proposal_id)
    return areas, proposals


# --- Read in step with the published rows (the open data files, opendata/) ---------------------
# Each of these is ordered by the id of the row it belongs to, as the published query set of
# those rows is, so that a file reads both side by side in one pass, a query each, whatever
# their number: no query per row and no id list held in memory.


def published_activities_progress() -> dict[int, int]:
    """The rolled-up progress (percent) of every published activity, as the plan computes it
    (two queries: their plans, then the plans' activities). The roll-up needs the whole plan,
    so the dict holds the plans' other activities too: look the published ones up in it."""
    plan_ids = published_activities().order_by().values_list("plan_id", flat=True).distinct()
    return plans_progress(plan_ids).progress


def published_activity_area_links() -> QuerySet:
    """(activity id, area id) of each published activity's active areas, by activity, then in
    the areas' order."""
    return (
        Activity.areas.through.objects.filter(
            activity__in=published_activities().values("pk"), priorityarea__is_archived=False
        )
        .order_by("activity_id", "priorityarea__order", "priorityarea_id")
        .values_list("activity_id", "priorityarea_id")
    )


def published_activity_proposal_links() -> QuerySet:
    """(activity id, proposal id) of the published proposals each published activity realises,
    by activity, then proposal: a published activity never points at an unpublished proposal."""
    return (
        Activity.proposals.through.objects.filter(
            activity__in=published_activities().values("pk"),
            proposal__in=published_proposals().values("pk"),
        )
        .order_by("activity_id", "proposal_id")
        .values_list("activity_id", "proposal_id")
    )


def published_goal_indicator_links() -> QuerySet:
    """(goal id, indicator id) of the indicators each published goal is measured by (all of
    them published, published_indicators()), by goal, then indicator."""
    return (
        Goal.indicators.through.objects.filter(goal__in=published_goals().values("pk"))
        .order_by("goal_id", "indicator_id")
        .values_list("goal_id", "indicator_id")
    )


def published_area_figures() -> tuple[str | None, dict[int, dict]]:
    """The latest summary of the whole period, as the public page shows it: when it was taken
    (ISO date-time, None without a summary) and per area id its aggregates only, never a quote
    or a name: {"interviews": interviews that raised it, "companies": distinct companies that
    raised the area, "findings_by_type": {finding type: count}} (two queries, reading the summary's small dashboard part)."""
    snapshot_id = latest_whole_snapshot_id()
    dashboard = (
        SummarySnapshot.objects.filter(pk=snapshot_id).values_list("dashboard", flat=True).first()
        if snapshot_id is not None
        else None
    ) or {}
    figures = {
        area["id"]: {
            "interviews": area.get("interviews", 0),
            "companies": area.get("companies", 0),
            "findings_by_type": dict(area.get("findings_by_type") or {}),
        }
        for area in dashboard.get("areas") or []
        if area.get("id") is not None
    }
    return (dashboard.get("taken_at") if dashboard else None), figures
