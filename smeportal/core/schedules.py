"""The portal's own periodic tasks (django-celery-beat), read and changed by name.

The weekly report and the daily reminders are each one PeriodicTask created by a migration and
moved by administrators on a page of the portal: at an hour of some weekdays, Swedish time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction


def periodic_task(name: str):
    """The periodic task of that name with its crontab, or None."""
    from django_celery_beat.models import PeriodicTask

    return PeriodicTask.objects.select_related("crontab").filter(name=name).first()


@transaction.atomic
def periodic_task_schedule(*, name: str, task: str, enabled: bool, hour: int, day_of_week: str):
    """Run `task` at `hour`:00 Swedish time on `day_of_week` (crontab syntax), or pause it."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour=str(hour),
        day_of_week=day_of_week,
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    periodic, _created = PeriodicTask.objects.update_or_create(
        name=name,
        defaults={"task": task, "crontab": crontab, "interval": None, "enabled": enabled},
    )
    return periodic
