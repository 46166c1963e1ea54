"""The daily digest: at most one message a day per user, only when there is something."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from smeportal.core.schedules import periodic_task, periodic_task_schedule
from smeportal.outbox.models import OutgoingMessage
from smeportal.outbox.rendering import portal_url, render_email
from smeportal.outbox.services import message_queue

from .selectors import Digest, digests_for


def _links(digest: Digest) -> dict:
    def with_urls(kind):
        return [{"item": item, "url": portal_url(item.url_name, item.pk)} for item in kind.items]

    return {
        "follow_ups": with_urls(digest.follow_ups),
        "activities": with_urls(digest.activities),
        "milestones": with_urls(digest.milestones),
        "indicators": with_urls(digest.indicators),
        "requests": with_urls(digest.requests),
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
            "portal_url": portal_url("core:home"),
            "change_url": portal_url("reminders:preferences"),
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
    return periodic_task(DIGEST_TASK_NAME)


def digest_schedule_update(*, enabled: bool, hour: int):
    """When the daily reminders go out (Swedish time, workdays), or pause them."""
    return periodic_task_schedule(
        name=DIGEST_TASK_NAME,
        task="reminders.tasks.send_daily_digests",
        enabled=enabled,
        hour=hour,
        day_of_week=DIGEST_DAYS,
    )
