"""The chain read forwards: from a finding or a proposal to the activities that answer it."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from .models import Activity
from .progress import is_overdue
from .selectors import plan_progress


def with_progress(activities: Iterable[Activity]) -> list[Activity]:
    """Annotate activities with rolled-up `progress` and `overdue`; one roll-up per plan."""
    activities = list(activities)
    today = timezone.localdate()
    by_plan = {activity.plan_id for activity in activities}
    progress = {}
    for plan_id in by_plan:
        progress.update(plan_progress(plan_id).progress)
    for activity in activities:
        activity.progress = progress.get(activity.pk, activity.manual_progress)
        activity.overdue = is_overdue(activity.due_date, activity.status, today)
    return activities
