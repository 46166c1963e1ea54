"""Row-level data for the summary workbook's data sheets ("Synpunkter", "Förslag", …).

The summary snapshot holds figures only; the workbook also lists the findings, proposals,
activities and indicators behind them. `summary_rows` reads each table in one query (two for
the activities, whose progress rolls up from milestones) and returns plain dicts, labels
already in Swedish, ready for `reports.workbook.summary_workbook(rows=...)`.

Nothing here is personal data: no contact persons, no interview notes, no user names, no
company names except where a quote's consent allows one for the council; confidential
findings are left out and quotes appear only as Tillväxtrådet may read them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.utils import timezone, translation

from actionplan.choices import ActivityStatus, Direction, IndicatorStatus, PartyKind
from actionplan.models import Activity, Indicator, Measurement, Milestone
from actionplan.progress import (
    ActivityFacts,
    indicator_state,
    is_overdue,
    percent,
    rolled_up_progress,
)
from interviews.choices import FindingType, Importance, Industry, SizeClass
from interviews.consent import Audience, visible_quote
from interviews.models import Finding
from workshops.choices import Actor, ProposalStatus, Scale, TimeHorizon
from workshops.models import Proposal

REPORT_LANGUAGE = "sv"
YES = "Ja"
NO = "Nej"


def _label(choices, value) -> str:
    """A choice's label in the active language; an unknown code is shown as it is."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _within(queryset, field: str, start: date | None, end: date | None):
    if start is not None:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{field}__lte": end})
    return queryset


def finding_rows(*, period_start: date | None = None, period_end: date | None = None) -> list[dict]:
    """Findings of interviews held in the period, confidential ones excluded (one query)."""
    findings = _within(
        Finding.objects.filter(is_confidential=False, is_archived=False),
        "interview__date",
        period_start,
        period_end,
    ).select_related("area", "interview__company")
    rows = []
    for finding in findings.order_by("area__order", "area__name", "interview__date", "pk"):
        company = finding.interview.company
        # No interviewee names are passed: the council never sees who said it.
        quote = visible_quote(finding, Audience.COUNCIL)
        rows.append(
            {
                "area": finding.area.name,
                "type": _label(FindingType, finding.type),
                "text": finding.text,
                "importance": finding.importance,
                "importance_label": _label(Importance, finding.importance),
                "industry": _label(Industry, company.industry),
                "size_class": _label(SizeClass, company.size_class),
                "interview_date": finding.interview.date,
                "quote": quote.text if quote else "",
                "quote_attribution": quote.attribution if quote else "",
            }
        )
    return rows


def proposal_rows(
    *, period_start: date | None = None, period_end: date | None = None
) -> list[dict]:
    """Proposals of workshops held in the period, merged ones included (one query)."""
    proposals = _within(
        Proposal.objects.all(), "group__workshop__date", period_start, period_end
    ).select_related("group__workshop", "area", "merged_into")
    return [
        {
            "workshop": proposal.group.workshop.title,
            "workshop_date": proposal.group.workshop.date,
            "group": proposal.group.name,
            "area": proposal.area.name,
            "title": proposal.title,
            "actor": _label(Actor, proposal.actor),
            "horizon": _label(TimeHorizon, proposal.horizon),
            "effect": proposal.effect,
            "effect_label": _label(Scale, proposal.effect),
            "effort": proposal.effort,
            "effort_label": _label(Scale, proposal.effort),
            "votes": proposal.votes,
            "status": _label(ProposalStatus, proposal.status),
            "merged_into": proposal.merged_into.title if proposal.merged_into else "",
        }
        for proposal in proposals.order_by("area__order", "area__name", "-votes", "title", "pk")
    ]


def activity_rows(*, today: date | None = None) -> list[dict]:
    """Every activity of the plans with its rolled-up progress (two queries).

    One row per activity and priority area comes back from the database and is folded into
    one row per activity here, so the areas cost no extra query.
    """
    today = today or timezone.localdate()
    milestones: dict[int, list[bool]] = defaultdict(list)
    for activity_id, is_done in Milestone.objects.values_list("activity_id", "is_done"):
        milestones[activity_id].append(is_done)
    activities: dict[int, dict] = {}
    area_names: dict[int, list[str]] = defaultdict(list)
    values = Activity.objects.values_list(
        "pk",
        "parent_id",
        "title",
        "party_kind",
        "party_name",
        "status",
        "manual_progress",
        "start_date",
        "due_date",
        "areas__name",
    ).order_by("due_date", "title", "pk", "areas__order", "areas__name")
    for pk, parent_id, title, kind, party, status, manual, start, due, area in values:
        if area:
            area_names[pk].append(area)
        activities.setdefault(
            pk,
            {
                "pk": pk,
                "parent_id": parent_id,
                "title": title,
                "party_kind": kind,
                "party": party,
                "status": status,
                "manual_progress": manual,
                "start_date": start,
                "due_date": due,
            },
        )
    progress = rolled_up_progress(
        ActivityFacts(
            activity["pk"],
            activity["parent_id"],
            activity["status"],
            activity["manual_progress"],
            tuple(milestones.get(activity["pk"], ())),
        )
        for activity in activities.values()
    )
    return [
        {
            "title": activity["title"],
            "areas": ", ".join(area_names.get(pk, [])),
            "party": activity["party"],
            "party_kind": _label(PartyKind, activity["party_kind"]),
            "status": _label(ActivityStatus, activity["status"]),
            "progress": progress.get(pk, activity["manual_progress"]) / 100,
            "start_date": activity["start_date"],
            "due_date": activity["due_date"],
            "overdue": YES if is_overdue(activity["due_date"], activity["status"], today) else NO,
        }
        for pk, activity in activities.items()
    ]


def indicator_rows(*, period_end: date | None = None) -> list[dict]:
    """Every indicator with its latest value (up to the period's end) and status (two queries)."""
    points: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    measurements = Measurement.objects.values_list("indicator_id", "date", "value")
    if period_end is not None:
        measurements = measurements.filter(date__lte=period_end)
    for indicator_id, on, value in measurements:
        points[indicator_id].append((on, value))
    rows = []
    for indicator in Indicator.objects.order_by("name", "pk"):
        state = indicator_state(
            baseline_value=indicator.baseline_value,
            baseline_date=indicator.baseline_date,
            target_value=indicator.target_value,
            target_date=indicator.target_date,
            measurements=points.get(indicator.pk, []),
        )
        progress = percent(state.progress)
        rows.append(
            {
                "name": indicator.name,
                "unit": indicator.unit,
                "direction": _label(Direction, indicator.direction),
                "baseline_value": float(indicator.baseline_value),
                "baseline_date": indicator.baseline_date,
                "target_value": float(indicator.target_value),
                "target_date": indicator.target_date,
                "latest_value": None if state.latest_value is None else float(state.latest_value),
                "latest_date": state.latest_date,
                "progress": None if progress is None else progress / 100,
                "status": _label(IndicatorStatus, state.status),
            }
        )
    return rows


def summary_rows(
    *,
    period_start: date | None = None,
    period_end: date | None = None,
    today: date | None = None,
) -> dict[str, list[dict]]:
    """The rows of the workbook's data sheets, keyed "findings", "proposals", "activities" and
    "indicators"; six queries whatever the amount of data. Labels are in Swedish.

    The period limits the findings (by interview date), the proposals (by workshop date) and
    the measurements that count as an indicator's latest; the activities are the plan's
    current state.
    """
    with translation.override(REPORT_LANGUAGE):
        return {
            "findings": finding_rows(period_start=period_start, period_end=period_end),
            "proposals": proposal_rows(period_start=period_start, period_end=period_end),
            "activities": activity_rows(today=today),
            "indicators": indicator_rows(period_end=period_end),
        }
