"""The summary of the six priority areas: computed with pandas from a few set-based queries.

`summary_compute(period_start=None, period_end=None)` returns a JSON-serialisable dict that is
stored as a SummarySnapshot and read by the dashboard, the workbook and the council. It holds
no personal data: no contact persons, no interview notes, no confidential findings, no user
names, and quotes only as consent allows for the council (interviews.consent, Audience.COUNCIL).

Structure (dates as ISO strings, shares as floats 0–1, None where there is nothing to average):

{
  "taken_at": "2026-11-29T14:00:00+01:00",
  "period": {"start": "2025-01-01" | None, "end": "2025-12-31" | None},
  "totals": {"interviews", "companies", "findings", "proposals", "activities", "indicators": int,
             "average_grade": float | None},
  "areas": [  # the active areas in their order
    {
      "id", "slug", "order", "name", "name_en", "colour",
      "interviews": int,        # interviews with at least one finding in the area
      "companies": int,         # distinct companies that raised the area
      "company_share": float | None,   # companies raising it / all interviewed companies
      "findings_by_type": {"utmaning": int, "ide": int, "styrka": int},
      "share_by_industry": [{"code", "label", "companies", "interviewed", "share"}],
      "share_by_size": [{"code", "label", "companies", "interviewed", "share"}],
      "average_grade": float | None,   # mean grade of the interviews of those companies
      "key_quotes": [{"text", "attribution"}],
      "proposals_by_actor": {"kommunen": int, "naringslivet": int, "tillsammans": int},
      "proposals_by_status": {status code: int},   # live proposals (merged ones excluded)
      "proposal_votes": int,
      "top_proposals": [{"title", "votes", "actor", "status"}],   # at most 5
      "activities_by_status": {status code: int},
      "activities_average_progress": float | None,   # percent, rolled up
      "activities_on_track": int, "activities_overdue": int,
      "overdue_activities": [{"title", "due_date"}],
      "indicators": [{"id", "name", "unit", "direction", "latest_value", "latest_date",
                      "progress", "status", "target_value", "target_date"}],
      "indicators_by_status": {"i_fas": int, "risk": int, "efter": int, "ingen_matning": int},
      "gaps": {"challenges_without_proposal": int, "challenge_examples": [str],
               "proposals_outside_plan": int,
               "proposal_examples": [{"title", "companies", "votes"}]},
    }
  ],
  "indicator_trends": [{"id", "name", "unit", "direction", "status",
                        "baseline": [date, value], "target": [date, value],
                        "measurements": [[date, value], ...]}],
  "celebrations": [{"title", "occurred_on", "kind", "is_celebrated"}],   # the latest 10
}

Rules behind the figures (settled for issue 6):

- Period. With `period_start`/`period_end` (each inclusive, None = open), interviews and
  their findings and key quotes are those with the interview's date in the period, proposals
  those whose workshop date is in it, celebrations those that occurred in it. Activities and
  indicators are the plan's current state and are not filtered, but measurements dated after
  `period_end` are ignored for an indicator's state and trend.
- Interviews of every status count (drafts too). Confidential findings count in the numbers
  (a count reveals no business secret) but their text and quotes never appear.
- `companies` / `company_share`: distinct companies with a finding in the area, over the
  distinct companies interviewed in the period. `company_share` is None when nobody was
  interviewed. `share_by_industry` / `share_by_size` list every SNI section / size class with
  interviewed companies in the period (choice order), with the company's current industry and
  size; `label` is the Swedish label, `code` lets the interface translate.
- `average_grade`: mean `Interview.grade` over all interviews in the period of the companies
  that raised the area (missing grades ignored). `totals.average_grade`: over all interviews.
- `key_quotes`: findings marked as key quote with a quote, as `interviews.consent.visible_quote`
  allows for Audience.COUNCIL (anonymous ones say "ett företag inom …", sole traders are always
  anonymous), most important and most recent first.
- Proposals: live ones only (not merged into another); `proposal_votes` sums their votes;
  `top_proposals` ranks by votes, then title.
- Activities: every activity of every plan; an activity with several areas counts in each.
  Progress is `actionplan.progress.rolled_up_progress`; the average leaves cancelled activities
  out. `activities_overdue` uses `progress.is_overdue` with today's local date;
  `activities_on_track` = not overdue and not cancelled.
- Indicators: an indicator belongs to an area through a goal of that area (`Goal.indicators`);
  state from `progress.indicator_state`; `progress` is a share 0–1. `indicator_trends` lists
  every indicator.
- Gaps: `challenges_without_proposal` = challenges (type "utmaning", in the period, not
  confidential) that no proposal has as evidence (any proposal, of any workshop date);
  `challenge_examples` = up to 5 distinct texts, most important and most recent first.
  `proposals_outside_plan` = live proposals whose status is neither "i_handlingsplan" nor
  "avslagen"; `proposal_examples` = the top 5 by distinct companies behind them (through the
  evidence, confidential findings included as a count), then votes.
- `totals`: interviews, distinct companies and findings (all areas) in the period, live
  proposals in the period, all activities and all indicators.
- Shares are rounded to 4 decimals, averages to 2 (activity progress to 1).

Queries: a fixed number (13) whatever the size of the data: one per table or link table, and
one for the key-quote candidates with their interview and company (select_related).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import Case, F, Q, QuerySet, TextField, Value, When
from django.utils import timezone, translation

from actionplan.choices import ActivityStatus, IndicatorStatus
from actionplan.models import Activity, Celebration, Goal, Indicator, Measurement, Milestone
from actionplan.progress import ActivityFacts, indicator_state, is_overdue, rolled_up_progress
from interviews.choices import FindingType, Industry, QuoteConsent, SizeClass
from interviews.consent import Audience, visible_quote
from interviews.models import Finding, Interview
from smeportal.areas.models import PriorityArea
from workshops.choices import Actor, ProposalStatus
from workshops.models import Proposal

# Live proposals with these statuses are settled: in the plan, or turned down.
SETTLED_PROPOSAL_STATUSES = (ProposalStatus.IN_PLAN, ProposalStatus.REJECTED, ProposalStatus.MERGED)
TOP_PROPOSALS = 5
GAP_EXAMPLES = 5
LATEST_CELEBRATIONS = 10


def summary_compute(*, period_start: date | None = None, period_end: date | None = None) -> dict:
    """The summary of the active priority areas for a period, as documented in this module."""
    today = timezone.localdate()
    # Labels and anonymous attributions are stored in the snapshot, so render them in Swedish
    # whatever language the caller (a request, a worker) happens to run in.
    with translation.override("sv"):
        data = _load(period_start, period_end)
        result = {
            "taken_at": timezone.localtime().isoformat(),
            "period": {"start": period_start, "end": period_end},
            "totals": _totals(data),
            "areas": _areas(data, today),
            "indicator_trends": _indicator_trends(data),
            "celebrations": data.celebrations,
        }
    return _jsonable(result)


# --- Loading: one query per table ----------------------------------------------------------------


class _Data:
    """What the computation needs, as DataFrames (plus a few small lists)."""

    areas: list[dict]
    interviews: pd.DataFrame
    findings: pd.DataFrame
    evidence: pd.DataFrame
    proposals: pd.DataFrame
    activities: pd.DataFrame
    activity_areas: pd.DataFrame
    indicators: pd.DataFrame
    indicator_areas: pd.DataFrame
    measurements: dict[int, list[tuple[date, Decimal]]]
    celebrations: list[dict]
    key_quotes: dict[int, list[dict]]


def _in_period(field: str, start: date | None, end: date | None) -> Q:
    condition = Q()
    if start is not None:
        condition &= Q(**{f"{field}__gte": start})
    if end is not None:
        condition &= Q(**{f"{field}__lte": end})
    return condition


def _frame(rows: QuerySet, columns: list[str]) -> pd.DataFrame:
    # Explicit columns keep an empty table usable in merges and groupbys.
    return pd.DataFrame.from_records(list(rows), columns=columns)


def _load(start: date | None, end: date | None) -> _Data:
    data = _Data()
    data.areas = list(
        PriorityArea.objects.filter(is_archived=False)
        .order_by("order", "name")
        .values("id", "slug", "order", "name", "name_en", "colour")
    )
    data.interviews = _frame(
        Interview.objects.filter(_in_period("date", start, end)).values(
            "id",
            "company_id",
            "date",
            "grade",
            industry=F("company__industry"),
            size_class=F("company__size_class"),
        ),
        ["id", "company_id", "date", "grade", "industry", "size_class"],
    )
    data.interviews["grade"] = data.interviews["grade"].astype(float)
    # The text is loaded only where it may be shown: challenges that are not confidential.
    data.findings = _frame(
        Finding.objects.filter(_in_period("interview__date", start, end), is_archived=False).values(
            "id",
            "interview_id",
            "area_id",
            "type",
            "importance",
            "is_confidential",
            example_text=Case(
                When(is_confidential=False, type=FindingType.CHALLENGE, then=F("text")),
                default=Value(""),
                output_field=TextField(),
            ),
        ),
        ["id", "interview_id", "area_id", "type", "importance", "is_confidential", "example_text"],
    )
    # The through table bypasses Finding's manager: leave archived findings out explicitly
    # (archiving unlinks them too; this guards links made before that rule).
    data.evidence = _frame(
        Proposal.evidence.through.objects.filter(finding__is_archived=False).values(
            "proposal_id", "finding_id", company_id=F("finding__interview__company_id")
        ),
        ["proposal_id", "finding_id", "company_id"],
    )
    data.proposals = _frame(
        Proposal.objects.filter(
            _in_period("group__workshop__date", start, end), merged_into__isnull=True
        ).values("id", "area_id", "title", "actor", "status", "votes"),
        ["id", "area_id", "title", "actor", "status", "votes"],
    )
    data.activities = _frame(
        Activity.objects.values(
            "id", "parent_id", "title", "status", "manual_progress", "due_date"
        ),
        ["id", "parent_id", "title", "status", "manual_progress", "due_date"],
    )
    data.activity_areas = _frame(
        Activity.areas.through.objects.values("activity_id", area_id=F("priorityarea_id")),
        ["activity_id", "area_id"],
    )
    data.activities["milestones_done"] = _milestones_by_activity(data.activities["id"])
    data.indicators = _frame(
        Indicator.objects.values(
            "id",
            "name",
            "unit",
            "direction",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
        ),
        [
            "id",
            "name",
            "unit",
            "direction",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
        ],
    )
    data.indicator_areas = _frame(
        Goal.indicators.through.objects.values("indicator_id", area_id=F("goal__area_id")),
        ["indicator_id", "area_id"],
    ).drop_duplicates()
    measurements = _frame(
        Measurement.objects.filter(_in_period("date", None, end)).values(
            "indicator_id", "date", "value"
        ),
        ["indicator_id", "date", "value"],
    )
    data.measurements = {
        int(indicator_id): sorted(zip(group["date"], group["value"], strict=True))
        for indicator_id, group in measurements.groupby("indicator_id")
    }
    data.celebrations = list(
        Celebration.objects.filter(_in_period("occurred_on", start, end))
        .order_by("-occurred_on", "-pk")
        .values("title", "occurred_on", "kind", "is_celebrated")[:LATEST_CELEBRATIONS]
    )
    data.key_quotes = _key_quotes(start, end)
    return data


def _milestones_by_activity(activity_ids: pd.Series) -> pd.Series:
    milestones = _frame(
        Milestone.objects.order_by("date", "pk").values("activity_id", "is_done"),
        ["activity_id", "is_done"],
    )
    done = milestones.groupby("activity_id")["is_done"].apply(tuple)
    return activity_ids.map(done).apply(lambda value: value if isinstance(value, tuple) else ())


def _key_quotes(start: date | None, end: date | None) -> dict[int, list[dict]]:
    """Key quotes per area as the council may see them, from one query.

    The database filter only narrows the candidates; visible_quote decides.
    """
    candidates = (
        Finding.objects.filter(
            _in_period("interview__date", start, end),
            is_archived=False,
            is_key_quote=True,
            is_confidential=False,
            interview__consent__in=[QuoteConsent.ANONYMOUS, QuoteConsent.NAMED],
        )
        .exclude(quote="")
        .select_related("interview__company")
        .only(
            "area_id",
            "quote",
            "is_confidential",
            "importance",
            "interview__consent",
            "interview__date",
            "interview__company__name",
            "interview__company__industry",
            "interview__company__is_personal_data",
        )
        .order_by("-importance", "-interview__date", "pk")
    )
    quotes: dict[int, list[dict]] = {}
    for finding in candidates:
        quote = visible_quote(finding, Audience.COUNCIL)
        if quote is not None:
            quotes.setdefault(finding.area_id, []).append(
                {"text": quote.text, "attribution": quote.attribution}
            )
    return quotes


# --- Computing ------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _mean(values: pd.Series, digits: int = 2) -> float | None:
    values = values.dropna()
    return round(float(values.mean()), digits) if len(values) else None


def _counts(series: pd.Series, codes: list[str]) -> dict[str, int]:
    counted = series.value_counts()
    return {code: int(counted.get(code, 0)) for code in codes}


def _totals(data: _Data) -> dict:
    return {
        "interviews": len(data.interviews),
        "companies": data.interviews["company_id"].nunique(),
        "findings": len(data.findings),
        "proposals": len(data.proposals),
        "activities": len(data.activities),
        "indicators": len(data.indicators),
        "average_grade": _mean(data.interviews["grade"]),
    }


def _areas(data: _Data, today: date) -> list[dict]:
    interviews = data.interviews
    findings = data.findings.merge(
        interviews[["id", "company_id", "date", "industry", "size_class"]].rename(
            columns={"id": "interview_id", "date": "interview_date"}
        ),
        on="interview_id",
    )
    companies = interviews.drop_duplicates("company_id")
    interviewed = len(companies)
    interviewed_by_industry = companies.groupby("industry").size()
    interviewed_by_size = companies.groupby("size_class").size()
    raisers = findings[["area_id", "company_id", "industry", "size_class"]].drop_duplicates()
    raiser_grades = raisers[["area_id", "company_id"]].merge(
        interviews[["company_id", "grade"]], on="company_id"
    )

    evidence_companies = data.evidence.groupby("proposal_id")["company_id"].nunique()
    proposals = data.proposals.assign(
        companies=data.proposals["id"].map(evidence_companies).fillna(0).astype(int)
    )
    answered = set(data.evidence["finding_id"])
    open_challenges = findings[
        (findings["type"] == FindingType.CHALLENGE)
        & ~findings["is_confidential"].astype(bool)
        & ~findings["id"].isin(answered)
    ].sort_values(["importance", "interview_date", "id"], ascending=[False, False, True])

    activities = _activities_with_progress(data.activities, today).merge(
        data.activity_areas, left_on="id", right_on="activity_id"
    )
    indicator_rows = _indicator_rows(data)

    result = []
    for area in data.areas:
        area_id = area["id"]
        area_findings = findings[findings["area_id"] == area_id]
        area_raisers = raisers[raisers["area_id"] == area_id]
        area_proposals = proposals[proposals["area_id"] == area_id]
        outside = area_proposals[~area_proposals["status"].isin(SETTLED_PROPOSAL_STATUSES)]
        area_challenges = open_challenges[open_challenges["area_id"] == area_id]
        area_activities = activities[activities["area_id"] == area_id]
        not_cancelled = area_activities["status"] != ActivityStatus.CANCELLED
        overdue = area_activities[area_activities["overdue"]].sort_values(
            ["due_date", "title", "id"]
        )
        area_indicators = [
            indicator_rows[indicator_id]
            for indicator_id in data.indicator_areas.loc[
                data.indicator_areas["area_id"] == area_id, "indicator_id"
            ]
        ]
        area_indicators.sort(key=lambda row: (row["name"], row["id"]))
        result.append(
            {
                **area,
                "interviews": area_findings["interview_id"].nunique(),
                "companies": len(area_raisers),
                "company_share": _share(len(area_raisers), interviewed),
                "findings_by_type": _counts(area_findings["type"], FindingType.values),
                "share_by_industry": _share_by(
                    area_raisers, "industry", interviewed_by_industry, Industry
                ),
                "share_by_size": _share_by(
                    area_raisers, "size_class", interviewed_by_size, SizeClass
                ),
                "average_grade": _mean(
                    raiser_grades.loc[raiser_grades["area_id"] == area_id, "grade"]
                ),
                "key_quotes": data.key_quotes.get(area_id, []),
                "proposals_by_actor": _counts(area_proposals["actor"], Actor.values),
                "proposals_by_status": _counts(area_proposals["status"], ProposalStatus.values),
                "proposal_votes": int(area_proposals["votes"].sum()),
                "top_proposals": area_proposals.sort_values(
                    ["votes", "title", "id"], ascending=[False, True, True]
                )
                .head(TOP_PROPOSALS)[["title", "votes", "actor", "status"]]
                .to_dict("records"),
                "activities_by_status": _counts(area_activities["status"], ActivityStatus.values),
                "activities_average_progress": _mean(
                    area_activities.loc[not_cancelled, "progress"], digits=1
                ),
                "activities_on_track": int((~area_activities["overdue"] & not_cancelled).sum()),
                "activities_overdue": len(overdue),
                "overdue_activities": overdue[["title", "due_date"]].to_dict("records"),
                "indicators": area_indicators,
                "indicators_by_status": _counts(
                    pd.Series([row["status"] for row in area_indicators], dtype=object),
                    IndicatorStatus.values,
                ),
                "gaps": {
                    "challenges_without_proposal": len(area_challenges),
                    "challenge_examples": list(
                        # Several companies often say the same thing; show it once.
                        area_challenges["example_text"].drop_duplicates().head(GAP_EXAMPLES)
                    ),
                    "proposals_outside_plan": len(outside),
                    "proposal_examples": outside.sort_values(
                        ["companies", "votes", "title", "id"],
                        ascending=[False, False, True, True],
                    )
                    .head(TOP_PROPOSALS)[["title", "companies", "votes"]]
                    .to_dict("records"),
                },
            }
        )
    return result


def _share_by(raisers: pd.DataFrame, column: str, interviewed: pd.Series, choices) -> list[dict]:
    raising = raisers.groupby(column)["company_id"].nunique()
    return [
        {
            "code": code,
            "label": str(choices(code).label),
            "companies": int(raising.get(code, 0)),
            "interviewed": int(interviewed[code]),
            "share": _share(int(raising.get(code, 0)), int(interviewed[code])),
        }
        for code in choices.values
        if code in interviewed.index
    ]


def _activities_with_progress(activities: pd.DataFrame, today: date) -> pd.DataFrame:
    facts = [
        ActivityFacts(int(pk), None if pd.isna(parent) else int(parent), status, int(manual), done)
        for pk, parent, status, manual, done in activities[
            ["id", "parent_id", "status", "manual_progress", "milestones_done"]
        ].itertuples(index=False)
    ]
    progress = rolled_up_progress(facts)
    return activities.assign(
        progress=activities["id"].map(progress).astype(float),
        overdue=[
            is_overdue(None if pd.isna(due) else due, status, today)
            for due, status in zip(activities["due_date"], activities["status"], strict=True)
        ],
    ).astype({"overdue": bool})


def _indicator_rows(data: _Data) -> dict[int, dict]:
    rows = {}
    for indicator in data.indicators.to_dict("records"):
        state = _indicator_state(indicator, data.measurements.get(indicator["id"], []))
        rows[indicator["id"]] = {
            "id": indicator["id"],
            "name": indicator["name"],
            "unit": indicator["unit"],
            "direction": indicator["direction"],
            "latest_value": state.latest_value,
            "latest_date": state.latest_date,
            "progress": None if state.progress is None else round(float(state.progress), 4),
            "status": state.status.value,
            "target_value": indicator["target_value"],
            "target_date": indicator["target_date"],
        }
    return rows


def _indicator_state(indicator: dict, measurements: list[tuple[date, Decimal]]):
    return indicator_state(
        baseline_value=indicator["baseline_value"],
        baseline_date=indicator["baseline_date"],
        target_value=indicator["target_value"],
        target_date=indicator["target_date"],
        measurements=measurements,
    )


def _indicator_trends(data: _Data) -> list[dict]:
    trends = []
    for indicator in data.indicators.sort_values(["name", "id"]).to_dict("records"):
        measurements = data.measurements.get(indicator["id"], [])
        trends.append(
            {
                "id": indicator["id"],
                "name": indicator["name"],
                "unit": indicator["unit"],
                "direction": indicator["direction"],
                "status": _indicator_state(indicator, measurements).status.value,
                "baseline": [indicator["baseline_date"], indicator["baseline_value"]],
                "target": [indicator["target_date"], indicator["target_value"]],
                "measurements": [[day, value] for day, value in measurements],
            }
        )
    return trends


def _jsonable(value: Any) -> Any:
    """Plain Python for json.dumps: numpy and Decimal numbers, ISO dates, None for NaN."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating | Decimal):
        number = float(value)
        return None if math.isnan(number) else number
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
