"""Row-level data for the summary workbook's data sheets ("Synpunkter", "Förslag", …).

The summary snapshot holds figures only; the workbook also lists the findings, proposals,
activities and indicators behind them. `summary_row_streams` reads each table in one query (two
for the activities, whose progress rolls up from milestones) and gives plain dicts, labels
already in Swedish, ready for `reports.workbook.summary_workbook(rows=...)`.

The findings and proposals grow with the data (600,000 findings at 100,000 interviews), so they
are streamed: values read as tuples, `ROW_CHUNK` at a time (a server-side cursor on Postgres),
never as model instances, and each row is made when the workbook asks for it. Memory does not
grow with the number of rows. `summary_rows` gives the same rows as lists, for small data.

Nothing here is personal data: no contact persons, no interview notes, no user names, no
company names except where a quote's consent allows one for the council; confidential
findings are left out and quotes appear only as Tillväxtrådet may read them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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
    status_date,
)
from interviews.choices import FindingType, Importance, Industry, SizeClass
from interviews.consent import Audience, visible_quote
from interviews.models import Finding
from workshops.choices import Actor, ProposalStatus, Scale, TimeHorizon
from workshops.models import Proposal

REPORT_LANGUAGE = "sv"
YES = "Ja"
NO = "Nej"
# Rows fetched from the database at a time while streaming.
ROW_CHUNK = 2_000


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


def _labels(choices) -> dict:
    """Each code's label in the active language, looked up once instead of once per row."""
    return {code: str(label) for code, label in choices.choices}


@dataclass(frozen=True, slots=True)
class _Company:
    name: str
    industry_label: str
    is_personal_data: bool

    def get_industry_display(self) -> str:
        return self.industry_label


@dataclass(frozen=True, slots=True)
class _Interview:
    consent: str
    company: _Company


@dataclass(frozen=True, slots=True)
class _Quoted:
    """What visible_quote reads of a finding, from a row of values (not a model instance)."""

    quote: str
    is_confidential: bool
    interview: _Interview


def finding_rows(
    *, period_start: date | None = None, period_end: date | None = None
) -> Iterator[dict]:
    """Findings of interviews held in the period, confidential ones excluded (one query),
    streamed row by row."""
    findings = _within(
        Finding.objects.filter(is_confidential=False, is_archived=False),
        "interview__date",
        period_start,
        period_end,
    )
    values = findings.order_by("area__order", "area__name", "interview__date", "pk").values_list(
        "area__name",
        "type",
        "text",
        "importance",
        "interview__company__industry",
        "interview__company__size_class",
        "interview__date",
        "quote",
        "interview__consent",
        "interview__company__name",
        "interview__company__is_personal_data",
    )
    # Labels are taken now, in the language active when the stream is made (the report's).
    types, importances = _labels(FindingType), _labels(Importance)
    industries, sizes = _labels(Industry), _labels(SizeClass)
    language = translation.get_language()
    return _finding_rows(values, types, importances, industries, sizes, language)


def _finding_rows(values, types, importances, industries, sizes, language) -> Iterator[dict]:
    for (
        area,
        type_,
        text,
        importance,
        industry,
        size_class,
        interview_date,
        quote_text,
        consent,
        company_name,
        is_personal_data,
    ) in values.iterator(chunk_size=ROW_CHUNK):
        quote = None
        if quote_text:
            quoted = _Quoted(
                quote_text,
                False,
                _Interview(
                    consent,
                    _Company(company_name, industries.get(industry, industry), is_personal_data),
                ),
            )
            # No interviewee names are passed: the council never sees who said it. The
            # anonymous attribution is worded in the report's language, whoever iterates.
            with translation.override(language):
                quote = visible_quote(quoted, Audience.COUNCIL)
        yield {
            "area": area,
            "type": types.get(type_, type_),
            "text": text,
            "importance": importance,
            "importance_label": importances.get(importance, str(importance)),
            "industry": industries.get(industry, industry),
            "size_class": sizes.get(size_class, size_class),
            "interview_date": interview_date,
            "quote": quote.text if quote else "",
            "quote_attribution": quote.attribution if quote else "",
        }


def proposal_rows(
    *, period_start: date | None = None, period_end: date | None = None
) -> Iterator[dict]:
    """Proposals of workshops held in the period, merged ones included (one query), streamed."""
    proposals = _within(Proposal.objects.all(), "group__workshop__date", period_start, period_end)
    values = proposals.order_by("area__order", "area__name", "-votes", "title", "pk").values_list(
        "group__workshop__title",
        "group__workshop__date",
        "group__name",
        "area__name",
        "title",
        "actor",
        "horizon",
        "effect",
        "effort",
        "votes",
        "status",
        "merged_into__title",
    )
    labels = (_labels(Actor), _labels(TimeHorizon), _labels(Scale), _labels(ProposalStatus))
    return _proposal_rows(values, *labels)


def _proposal_rows(values, actors, horizons, scales, statuses) -> Iterator[dict]:
    for (
        workshop,
        workshop_date,
        group,
        area,
        title,
        actor,
        horizon,
        effect,
        effort,
        votes,
        status,
        merged_into,
    ) in values.iterator(chunk_size=ROW_CHUNK):
        yield {
            "workshop": workshop,
            "workshop_date": workshop_date,
            "group": group,
            "area": area,
            "title": title,
            "actor": actors.get(actor, actor),
            "horizon": horizons.get(horizon, horizon),
            "effect": effect,
            "effect_label": scales.get(effect, str(effect)),
            "effort": effort,
            "effort_label": scales.get(effort, str(effort)),
            "votes": votes,
            "status": statuses.get(status, status),
            "merged_into": merged_into or "",
        }


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
            len(milestones.get(activity["pk"], ())),
            sum(milestones.get(activity["pk"], ())),
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
    as_of = status_date(period_end, timezone.localdate())
    for indicator in Indicator.objects.order_by("name", "pk"):
        state = indicator_state(
            baseline_value=indicator.baseline_value,
            baseline_date=indicator.baseline_date,
            target_value=indicator.target_value,
            target_date=indicator.target_date,
            measurements=points.get(indicator.pk, []),
            reporting_interval=indicator.reporting_interval,
            as_of=as_of,
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


def finding_row_count(*, period_start: date | None = None, period_end: date | None = None) -> int:
    """How many rows finding_rows gives (one query): the workbook's progress is measured by it."""
    return _within(
        Finding.objects.filter(is_confidential=False, is_archived=False),
        "interview__date",
        period_start,
        period_end,
    ).count()


def summary_row_streams(
    *,
    period_start: date | None = None,
    period_end: date | None = None,
    today: date | None = None,
) -> dict[str, Iterable[dict]]:
    """The rows of the workbook's data sheets, keyed "findings", "proposals", "activities" and
    "indicators"; six queries whatever the amount of data. Labels are in Swedish.

    The findings and proposals are streams: each can be iterated once, and its query runs when
    iteration starts. The activities and indicators (the plan: a few hundred) are lists.

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


def summary_rows(
    *,
    period_start: date | None = None,
    period_end: date | None = None,
    today: date | None = None,
) -> dict[str, list[dict]]:
    """The same rows as summary_row_streams, as lists (for small data and tests)."""
    streams = summary_row_streams(period_start=period_start, period_end=period_end, today=today)
    return {key: list(rows) for key, rows in streams.items()}
