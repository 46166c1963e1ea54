"""The chain read forwards: from a finding or a proposal to the activities that answer it."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from .models import Activity
from .progress import is_overdue
from .selectors import plans_progress


def with_progress(activities: Iterable[Activity]) -> list[Activity]:
    """Annotate activities with rolled-up `progress` and `overdue`, all their plans at once."""
    activities = list(activities)
    today = timezone.localdate()
    progress = plans_progress({activity.plan_id for activity in activities}).progress
    for activity in activities:
        activity.progress = progress.get(activity.pk, activity.manual_progress)
        activity.overdue = is_overdue(activity.due_date, activity.status, today)
    return activities
