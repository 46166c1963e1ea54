"""After each weekly report, a short message to the growth council: the headline figures, what
changed since the previous weekly summary, what to celebrate, and a link to the dashboard.

Figures only, from the snapshot's dashboard part (reports.models.dashboard_figures), which holds
no personal data; each member gets it in their language, once per report run (the outbox's key),
unless they switched it off in their e-mail settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actionplan.choices import IndicatorStatus
from smeportal.accounts.roles import Role
from smeportal.outbox.models import OutgoingMessage, preference_for
from smeportal.outbox.rendering import portal_url, render_email
from smeportal.outbox.services import message_queue

from .models import ReportRun, SummarySnapshot
from .views_dashboard import celebration_items

HEADLINES = (
    ("interviews", gettext_lazy("Interviews")),
    ("companies", gettext_lazy("Companies interviewed")),
    ("findings", gettext_lazy("Findings")),
    ("proposals", gettext_lazy("Proposals")),
    ("activities", gettext_lazy("Activities")),
)


@dataclass(frozen=True)
class Headline:
    label: str
    value: int
    change: int | None  # since the previous weekly summary; None without one


def _previous(snapshot: SummarySnapshot) -> SummarySnapshot | None:
    """The whole period's summary before this one (what last week's message said)."""
    return (
        SummarySnapshot.objects.filter(
            period_start__isnull=True, period_end__isnull=True, taken_at__lt=snapshot.taken_at
        )
        .only("dashboard", "taken_at")
        .order_by("-taken_at", "-pk")
        .first()
    )


def _headlines(now: dict, before: dict | None) -> list[Headline]:
    totals, earlier = now.get("totals") or {}, (before or {}).get("totals")
    return [
        Headline(
            str(label),
            totals.get(key, 0),
            None if earlier is None else totals.get(key, 0) - earlier.get(key, 0),
        )
        for key, label in HEADLINES
    ]


def _status_counts(figures: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for area in figures.get("areas") or []:
        for status, count in (area.get("indicators_by_status") or {}).items():
            counts[status] = counts.get(status, 0) + count
    return counts


def _celebrations(figures: dict, since) -> list:
    """Celebrations that occurred since the previous summary (all listed ones without one),
    titled in the active language as on the dashboard."""
    items = celebration_items(figures.get("celebrations") or [])
    if since is None:
        return items
    return [item for item in items if item.occurred_on and item.occurred_on >= since.date()]


def council_recipients():
    """Active council members with an e-mail address who want the weekly summary."""
    members = (
        get_user_model()
        .objects.filter(groups__name=Role.COUNCIL, is_active=True)
        .exclude(email="")
        .select_related("mail_preference")
        .distinct()
        .order_by("pk")
    )
    preferences = [(member, preference_for(member)) for member in members]
    return [
        (member, preference) for member, preference in preferences if preference.council_summary
    ]


def council_summary_queue(*, run: ReportRun) -> int:
    """Queue the weekly summary of a finished run to each council member; returns how many."""
    snapshot = run.snapshot
    if run.status != ReportRun.Status.DONE or snapshot is None:
        return 0
    previous = _previous(snapshot)
    figures = snapshot.dashboard or {}
    before = previous.dashboard if previous else None
    dashboard_url = portal_url("reports:dashboard")
    change_url = portal_url("reminders:preferences")
    statuses = _status_counts(figures)
    queued = 0
    for member, preference in council_recipients():
        language = preference.language
        with translation.override(language):
            subject = _("This week's figures from the business dialogue")
            context = {
                "subject": subject,
                "taken_at": snapshot.taken_at,
                "since": previous.taken_at if previous else None,
                "headlines": _headlines(figures, before),
                "on_track": statuses.get(IndicatorStatus.ON_TRACK, 0),
                "at_risk": statuses.get(IndicatorStatus.AT_RISK, 0),
                "behind": statuses.get(IndicatorStatus.BEHIND, 0),
                "needs_update": statuses.get(IndicatorStatus.NEEDS_UPDATE, 0),
                "celebrations": _celebrations(figures, previous.taken_at if previous else None),
                "dashboard_url": dashboard_url,
                "change_url": change_url,
            }
        text, html = render_email("reports/email/council_summary", context, language=language)
        _message, created = message_queue(
            to=member.email,
            subject=subject,
            body_text=text,
            body_html=html,
            purpose=OutgoingMessage.Purpose.COUNCIL_SUMMARY,
            language=language,
            recipient=member,
            related=run,
            dedupe_key=f"veckosammanfattning:{run.pk}:{member.pk}",
        )
        queued += created
    return queued
