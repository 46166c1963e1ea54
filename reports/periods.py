"""The periods the dashboard offers, and what exists (or is coming) for each of them.

A period is two dates, either of which may be open: the whole period is neither. The council
picks one by what it means to them (an action plan, one of its years, a calendar year, the time
since a workshop, or a range of their own); each choice is the two dates, so a calendar year and
the same plan year share one summary. The dashboard shows the newest snapshot of exactly that
period, and when none exists says whether one is being built, or when the weekly report will
build the whole period next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django import forms
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from smeportal.core.dates import PlausibleDateField

from .models import ReportRun, SummarySnapshot, dashboard_figures

WHOLE_PERIOD = "hela"
CUSTOM_PERIOD = "egen"
# How many of each kind the list offers: the newest ones (older periods stay reachable as a
# range of one's own, and every period that has a summary is listed under its dates).
PLANS_OFFERED = 5
WORKSHOPS_OFFERED = 10
CALENDAR_YEARS_OFFERED = 10


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None

    @property
    def is_whole(self) -> bool:
        return self.start is None and self.end is None

    @property
    def value(self) -> str:
        """The period in a URL: `hela`, or `from_to` with ISO dates, either one left empty."""
        if self.is_whole:
            return WHOLE_PERIOD
        start = self.start.isoformat() if self.start else ""
        end = self.end.isoformat() if self.end else ""
        return f"{start}_{end}"

    @property
    def label(self) -> str:
        if self.is_whole:
            return _("The whole period")
        if self.end is None:
            return _("Since %(date)s") % {"date": self.start.isoformat()}
        if self.start is None:
            return _("Until %(date)s") % {"date": self.end.isoformat()}
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


WHOLE = Period(None, None)


def calendar_year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


@dataclass(frozen=True)
class PeriodOption:
    period: Period
    label: str


@dataclass(frozen=True)
class PeriodGroup:
    label: str
    options: list[PeriodOption]


def snapshot_periods() -> list[Period]:
    """The distinct periods of the stored snapshots, the most recently taken first (one query)."""
    rows = (
        SummarySnapshot.objects.order_by()
        .values("period_start", "period_end")
        .annotate(latest=Max("taken_at"))
        .order_by("-latest")
    )
    return [Period(row["period_start"], row["period_end"]) for row in rows]


def _plan_options(today: date) -> list[PeriodOption]:
    """The newest action plans, each as its whole span and then its years (one query)."""
    from actionplan.models import ActionPlan

    options = []
    plans = ActionPlan.objects.order_by("-start_year", "-end_year", "pk").values_list(
        "title", "start_year", "end_year"
    )[:PLANS_OFFERED]
    for title, first, last in plans:
        options.append(
            PeriodOption(
                Period(date(first, 1, 1), date(last, 12, 31)),
                _("%(plan)s, %(first)s–%(last)s (the whole plan)")
                % {"plan": title, "first": first, "last": last},
            )
        )
        for number, year in enumerate(range(first, last + 1), start=1):
            options.append(
                PeriodOption(
                    calendar_year(year),
                    _("%(year)s: year %(number)s of %(plan)s")
                    % {"year": year, "number": number, "plan": title},
                )
            )
    return options


def _calendar_year_options(today: date) -> list[PeriodOption]:
    """The years from the first interview to this year, the newest first (one query)."""
    from interviews.models import Interview

    bounds = Interview.objects.aggregate(first=Min("date"), last=Max("date"))
    first = bounds["first"].year if bounds["first"] else today.year
    last = max(today.year, bounds["last"].year if bounds["last"] else today.year)
    years = range(last, max(first, last - CALENDAR_YEARS_OFFERED + 1) - 1, -1)
    return [PeriodOption(calendar_year(year), str(year)) for year in years]


def _workshop_options(today: date) -> list[PeriodOption]:
    """The latest workshops held, each as the time since it (one query)."""
    from workshops.models import Workshop

    workshops = (
        Workshop.objects.filter(date__lte=today)
        .order_by("-date", "-pk")
        .values_list("title", "date")[:WORKSHOPS_OFFERED]
    )
    return [
        PeriodOption(
            Period(held_on, None),
            _("Since %(workshop)s (%(date)s)") % {"workshop": title, "date": held_on.isoformat()},
        )
        for title, held_on in workshops
    ]


def period_groups(*, summarised: list[Period], today: date | None = None) -> list[PeriodGroup]:
    """What the dashboard's period list offers, in groups (three queries).

    A period offered in an earlier group is not repeated in a later one (a plan year is also a
    calendar year); a period that has a summary but no name here (a range of someone's own) is
    listed under its dates, so that every summary stays reachable.
    """
    today = today or timezone.localdate()
    groups = [
        PeriodGroup("", [PeriodOption(WHOLE, _("The whole period"))]),
        PeriodGroup(_("Action plans"), _plan_options(today)),
        PeriodGroup(_("Calendar years"), _calendar_year_options(today)),
        PeriodGroup(_("Since a workshop"), _workshop_options(today)),
    ]
    seen: set[Period] = set()
    for group in groups:
        group.options[:] = [
            o for o in group.options if not (o.period in seen or seen.add(o.period))
        ]
    others = [PeriodOption(p, p.label) for p in summarised if p not in seen]
    groups.append(PeriodGroup(_("Other summarised periods"), others))
    return [group for group in groups if group.options]


class PeriodForm(forms.Form):
    """The dashboard's choice: a period from the list, or a range of one's own (`egen`)."""

    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    start = PlausibleDateField(label=pgettext_lazy("start of a period", "From"), required=False)
    end = PlausibleDateField(label=pgettext_lazy("end of a period", "To"), required=False)

    def __init__(self, *args, groups: list[PeriodGroup], **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {
            option.period.value: option.period for group in groups for option in group.options
        }
        choices: list = []
        for group in groups:
            options = [(option.period.value, option.label) for option in group.options]
            if group.label:
                choices.append((group.label, options))
            else:
                choices.extend(options)
        choices.append((CUSTOM_PERIOD, _("A range of my own (the dates below)")))
        self.fields["period"].choices = choices

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if not cleaned.get("period") and (start or end):
            cleaned["period"] = CUSTOM_PERIOD
        if cleaned.get("period") == CUSTOM_PERIOD:
            if not start and not end and not self.errors:
                self.add_error("start", _("Enter the first day, the last day or both."))
            elif start and end and end < start:
                self.add_error("end", _("The end of the period cannot be before its start."))
        return cleaned

    def chosen(self) -> Period | None:
        """The period chosen (after is_valid()); None when the list was left at its default."""
        value = self.cleaned_data.get("period")
        if value == CUSTOM_PERIOD:
            return Period(self.cleaned_data.get("start"), self.cleaned_data.get("end"))
        return self.periods.get(value)


def latest_snapshot(period: Period) -> SummarySnapshot | None:
    """The newest snapshot of a period, with its dashboard figures but not its `data` (one
    query)."""
    snapshot = (
        SummarySnapshot.objects.filter(period_start=period.start, period_end=period.end)
        .only("pk", "taken_at", "period_start", "period_end", "dashboard")
        .order_by("-taken_at", "-pk")
        .first()
    )
    if snapshot is not None and not snapshot.dashboard:
        # Restored from a backup made before the dashboard figures were kept: shape them
        # from the whole figures this once (one more query).
        data = SummarySnapshot.objects.values_list("data", flat=True).get(pk=snapshot.pk)
        snapshot.dashboard = dashboard_figures(data or {})
    return snapshot


def run_in_progress(period: Period) -> ReportRun | None:
    """The newest report run of the period still queued or being built (one query)."""
    return (
        ReportRun.objects.filter(
            period_start=period.start,
            period_end=period.end,
            status__in=[ReportRun.Status.QUEUED, ReportRun.Status.RUNNING],
        )
        .only("pk", "status", "progress", "requested_at", "started_at")
        .order_by("-requested_at", "-pk")
        .first()
    )


def next_weekly_report(now: datetime | None = None) -> datetime | None:
    """When the weekly report (which summarises the whole period) runs next, or None when it is
    paused or not set up (one query)."""
    from .services import weekly_schedule

    task = weekly_schedule()
    if task is None or not task.enabled or task.crontab is None:
        return None
    now = now or timezone.now()
    due = now + task.crontab.schedule.remaining_estimate(now)
    # Celery answers a hair before the minute (05:59:59.9999); the report starts on it.
    return (due + timedelta(seconds=30)).replace(second=0, microsecond=0)
