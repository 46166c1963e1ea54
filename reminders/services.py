"""The daily digest: at most one message a day per user, only when there is something."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from smeportal.outbox.models import OutgoingMessage
from smeportal.outbox.rendering import render_email
from smeportal.outbox.services import message_queue

from .selectors import Digest, digests_for


def absolute_url(path: str) -> str:
    return f"{settings.PORTAL_URL}{path}"


def _links(digest: Digest) -> dict:
    def with_urls(kind):
        return [
            {"item": item, "url": absolute_url(reverse(item.url_name, args=[item.pk]))}
            for item in kind.items
        ]

    return {
        "follow_ups": with_urls(digest.follow_ups),
        "activities": with_urls(digest.activities),
        "milestones": with_urls(digest.milestones),
        "indicators": with_urls(digest.indicators),
    }


def digest_message(digest: Digest, today: date) -> tuple[str, str, str]:
    """Subject, text and HTML of one digest, in the user's language."""
    language = digest.preference.language
    with translation.override(language):
        subject = _("Reminders from the SME-dialog portal, %(date)s") % {"date": today.isoformat()}
    text, html = render_email(
        "reminders/email/digest",
        {
            "subject": subject,
            "digest": digest,
            "links": _links(digest),
            "today": today,
            "portal_url": absolute_url(reverse("core:home")),
            "change_url": absolute_url(reverse("reminders:preferences")),
        },
        language=language,
    )
    return subject, text, html


def daily_digests_queue(*, today: date | None = None) -> int:
    """Queue today's digests; a user already sent one today gets no second (the outbox's key).
    Returns how many were queued now."""
    today = today or timezone.localdate()
    queued = 0
    for digest in digests_for(today):
        subject, text, html = digest_message(digest, today)
        with transaction.atomic():
            _message, created = message_queue(
                to=digest.user.email,
                subject=subject,
                body_text=text,
                body_html=html,
                purpose=OutgoingMessage.Purpose.DIGEST,
                language=digest.preference.language,
                recipient=digest.user,
                dedupe_key=f"paminnelser:{digest.user.pk}:{today.isoformat()}",
            )
        queued += created
    return queued


DIGEST_TASK_NAME = "Dagliga påminnelser till personalen"
# Workdays: nobody is reminded of a follow-up on a Saturday.
DIGEST_DAYS = "1-5"


def digest_schedule():
    """The daily digest's periodic task (created by a migration), or None."""
    from django_celery_beat.models import PeriodicTask

    return PeriodicTask.objects.select_related("crontab").filter(name=DIGEST_TASK_NAME).first()


@transaction.atomic
def digest_schedule_update(*, enabled: bool, hour: int):
    """When the daily reminders go out (Swedish time, workdays), or pause them."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour=str(hour),
        day_of_week=DIGEST_DAYS,
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    task, _created = PeriodicTask.objects.update_or_create(
        name=DIGEST_TASK_NAME,
        defaults={
            "task": "reminders.tasks.send_daily_digests",
            "crontab": crontab,
            "interval": None,
            "enabled": enabled,
        },
    )
    return task
