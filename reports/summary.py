"""The summary of the six priority areas: aggregated in the database, a fixed number of queries.

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
      "key_quotes": [{"text", "attribution"}],   # at most KEY_QUOTES (10)
      "key_quotes_total": int,  # every key quote the council may read, shown or not
      "proposals_by_actor": {"kommunen": int, "naringslivet": int, "tillsammans": int},
      "proposals_by_status": {status code: int},   # live proposals (merged ones excluded)
      "proposal_votes": int,
      "top_proposals": [{"title", "votes", "actor", "status"}],   # at most 5
      "activities_by_status": {status code: int},
      "activities_average_progress": float | None,   # percent, rolled up
      "activities_on_track": int, "activities_overdue": int,
      "overdue_activities": [{"title", "due_date"}],   # at most OVERDUE_ACTIVITIES (20)
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
  "celebrations": [{"title", "occurred_on", "kind", "is_celebrated", "value",   # the latest 10
                    "activity_title", "milestone_title", "indicator_name"}],
}

Rules behind the figures (settled for issue 6):

- Period. With `period_start`/`period_end` (each inclusive, None = open), interviews and
  their findings and key quotes are those with the interview's date in the period, proposals
  those whose workshop date is in it, celebrations those that occurred in it. Activities and
  indicators are the plan's current state and are not filtered, but measurements dated after
  `period_end` are ignored for an indicator's state and trend. An indicator's status is for
  the period's end (today while the period runs): with no measurement within its reporting
  interval before that date it "needs updating" (`progress.indicator_state`).
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
  anonymous), most important and most recent first, at most KEY_QUOTES per area: the snapshot
  stays small whatever the number of interviews. `key_quotes_total` counts them all.
- Proposals: live ones only (not merged into another); `proposal_votes` sums their votes;
  `top_proposals` ranks by votes, then title.
- Activities: every activity of every plan; an activity with several areas counts in each.
  Progress is `actionplan.progress.rolled_up_progress`; the average leaves cancelled activities
  out. `activities_overdue` uses `progress.is_overdue` with today's local date;
  `activities_on_track` = not overdue and not cancelled. `overdue_activities` lists the first
  OVERDUE_ACTIVITIES by due date (`activities_overdue` counts them all).
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

Queries: a fixed number (13) whatever the size of the data. The interviews, findings and
proposals, which grow with the data, are never loaded row by row: the database counts them
(GROUP BY, COUNT DISTINCT, conditional counts) by area, industry and size class, and ranks the
few texts shown (window functions) so that only those come back. Interviews and findings are
grouped by (industry, size class) as well as by area: a company has one industry and one size,
so the cells partition the companies and distinct counts add up across them. The action plan
(activities, milestones, indicators, measurements), which does not grow with the interviews,
is loaded as it is and rolled up with pandas as before.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Collate, RowNumber
from django.utils import timezone, translation

from actionplan.choices import ActivityStatus, IndicatorStatus
from actionplan.models import Activity, Celebration, Indicator, Measurement, Milestone
from actionplan.progress import (
    ActivityFacts,
    indicator_state,
    is_overdue,
    rolled_up_progress,
    status_date,
)
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
# The texts a snapshot holds are bounded, so the dashboard and the workbook's area sheets read
# the same amount whatever the number of interviews.
KEY_QUOTES = 10
OVERDUE_ACTIVITIES = 20


def summary_compute(*, period_start: date | None = None, period_end: date | None = None) -> dict:
    """The summary of the active priority areas for a period, as documented in this module."""
    today = timezone.localdate()
    # Labels and anonymous attributions are stored in the snapshot, so render them in Swedish
    # whatever language the caller (a request, a worker) happens to run in.
    with translation.override("sv"):
        data = _load(period_start, period_end)
        data.status_date = status_date(period_end, today)
        result = {
            "taken_at": timezone.localtime().isoformat(),
            "period": {"start": period_start, "end": period_end},
            "totals": _totals(data),
            "areas": _areas(data, today),
            "indicator_trends": _indicator_trends(data),
            "celebrations": data.celebrations,
        }
    return _jsonable(result)


# --- Loading: aggregates from the database, the plan as it is ------------------------------------


class _Data:
    """What the computation needs: aggregated rows, the few texts shown, and the plan."""

    areas: list[dict]
    # Interviews of the period by (industry, size class): interviews, companies, grade sum/count.
    interviewed: list[dict]
    # Findings of the period by (area, industry, size class): interviews, companies, a count per
    # type and the open challenges.
    finding_cells: list[dict]
    # Per area: the sum and count of the grades of the interviews of the companies raising it.
    area_grades: dict[int, tuple[int, int]]
    key_quotes: dict[int, list[dict]]
    key_quote_totals: dict[int, int]
    # Live proposals of the period by (area, actor, status): count and votes.
    proposal_cells: list[dict]
    top_proposals: dict[int, list[dict]]
    proposal_examples: dict[int, list[dict]]
    challenge_examples: dict[int, list[str]]
    activities: pd.DataFrame
    activity_areas: pd.DataFrame
    indicators: pd.DataFrame
    indicator_areas: pd.DataFrame
    measurements: dict[int, list[tuple[date, Decimal]]]
    celebrations: list[dict]
    status_date: date  # the date the indicators' statuses are for (progress.status_date)


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


def _code_point_order(field: str):
    """Text ordered by code point, as Python's sorted() does, whatever the database's locale."""
    return Collate(F(field), "C") if connection.vendor == "postgresql" else F(field)


def _raw(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _findings(start: date | None, end: date | None) -> QuerySet:
    # The default manager leaves archived findings out already; said here for the reader.
    return Finding.objects.filter(_in_period("interview__date", start, end), is_archived=False)


def _live_proposals(start: date | None, end: date | None) -> QuerySet:
    return Proposal.objects.filter(
        _in_period("group__workshop__date", start, end), merged_into__isnull=True
    )


def _load(start: date | None, end: date | None) -> _Data:
    data = _Data()
    data.areas = list(
        PriorityArea.objects.filter(is_archived=False)
        .order_by("order", "name")
        .values("id", "slug", "order", "name", "name_en", "colour")
    )
    data.interviewed = list(
        Interview.objects.filter(_in_period("date", start, end))
        .order_by()
        .values(industry=F("company__industry"), size_class=F("company__size_class"))
        .annotate(
            interviews=Count("id"),
            companies=Count("company_id", distinct=True),
            grade_sum=Sum("grade"),
            grade_count=Count("grade"),
        )
    )
    data.finding_cells = _finding_cells(start, end)
    data.area_grades = _area_grades(start, end)
    data.key_quotes, data.key_quote_totals = _key_quotes(start, end)
    data.proposal_cells = list(
        _live_proposals(start, end)
        .order_by()
        .values("area_id", "actor", "status")
        .annotate(count=Count("id"), votes=Sum("votes"))
    )
    data.top_proposals, data.proposal_examples = _ranked_proposals(start, end)
    data.challenge_examples = _challenge_examples(start, end)
    _load_plan(data, end)
    data.celebrations = list(
        Celebration.objects.filter(_in_period("occurred_on", start, end))
        .order_by("-occurred_on", "-pk")
        .values(
            "title",
            "occurred_on",
            "kind",
            "is_celebrated",
            "value",
            activity_title=F("activity__title"),
            milestone_title=F("milestone__title"),
            indicator_name=F("indicator__name"),
        )[:LATEST_CELEBRATIONS]
    )
    return data


def _open_challenge() -> Q:
    """A challenge that may be shown (not confidential) and that no proposal takes up."""
    answered = Proposal.evidence.through.objects.filter(finding_id=OuterRef("pk"))
    return Q(type=FindingType.CHALLENGE, is_confidential=False) & ~Exists(answered)


def _finding_cells(start: date | None, end: date | None) -> list[dict]:
    """Findings counted by area, industry and size class (one query)."""
    return list(
        _findings(start, end)
        .order_by()
        .values(
            "area_id",
            industry=F("interview__company__industry"),
            size_class=F("interview__company__size_class"),
        )
        .annotate(
            interviews=Count("interview_id", distinct=True),
            companies=Count("interview__company_id", distinct=True),
            open_challenges=Count("id", filter=_open_challenge()),
            **{f"type_{code}": Count("id", filter=Q(type=code)) for code in FindingType.values},
        )
    )


def _area_grades(start: date | None, end: date | None) -> dict[int, tuple[int, int]]:
    """Per area, the grades of every interview in the period of a company raising it (one query).

    The companies raising an area (distinct pairs) are joined with their interviews' grades
    summed per company; the ORM cannot join two grouped subqueries, so the two querysets' SQL
    is put together here, their parameters kept as parameters.
    """
    raisers = (
        _findings(start, end)
        .order_by()
        .values("area_id", raiser=F("interview__company_id"))
        .distinct()
    )
    grades = (
        Interview.objects.filter(_in_period("date", start, end), grade__isnull=False)
        .order_by()
        .values("company_id")
        .annotate(grade_sum=Sum("grade"), grade_count=Count("grade"))
    )
    raisers_sql, raisers_params = raisers.query.sql_with_params()
    grades_sql, grades_params = grades.query.sql_with_params()
    rows = _raw(
        f'SELECT r."area_id", SUM(g."grade_sum"), SUM(g."grade_count") '  # noqa: S608 - ORM SQL
        f"FROM ({raisers_sql}) r "
        f'INNER JOIN ({grades_sql}) g ON g."company_id" = r."raiser" '
        f'GROUP BY r."area_id"',
        [*raisers_params, *grades_params],
    )
    return {area_id: (int(total), int(count)) for area_id, total, count in rows}


def _key_quotes(
    start: date | None, end: date | None
) -> tuple[dict[int, list[dict]], dict[int, int]]:
    """The first KEY_QUOTES key quotes per area as the council may see them, and how many
    there are in all (one query).

    The database filter selects exactly what visible_quote allows the council (a quote, not
    confidential, consent to quote); visible_quote still decides and words the attribution.
    """
    candidates = (
        _findings(start, end)
        .filter(
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
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("area_id")],
                order_by=[F("importance").desc(), F("interview__date").desc(), F("pk").asc()],
            ),
            total=Window(Count("pk"), partition_by=[F("area_id")]),
        )
        .filter(rank__lte=KEY_QUOTES)
        .order_by("area_id", "rank")
    )
    quotes: dict[int, list[dict]] = {}
    totals: dict[int, int] = {}
    for finding in candidates:
        totals[finding.area_id] = finding.total
        quote = visible_quote(finding, Audience.COUNCIL)
        if quote is not None:
            quotes.setdefault(finding.area_id, []).append(
                {"text": quote.text, "attribution": quote.attribution}
            )
    return quotes, totals


def _ranked_proposals(
    start: date | None, end: date | None
) -> tuple[dict[int, list[dict]], dict[int, list[dict]]]:
    """Per area, the live proposals with the most votes and the proposals outside the plan
    with the most companies behind them, TOP_PROPOSALS of each (one query)."""
    companies = (
        Proposal.evidence.through.objects.filter(
            proposal_id=OuterRef("pk"), finding__is_archived=False
        )
        .order_by()
        .values("proposal_id")
        .annotate(count=Count("finding__interview__company_id", distinct=True))
        .values("count")
    )
    rows = (
        _live_proposals(start, end)
        .annotate(
            companies=Coalesce(Subquery(companies, output_field=IntegerField()), 0),
            outside=Case(
                When(status__in=SETTLED_PROPOSAL_STATUSES, then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            ),
            top_rank=Window(
                RowNumber(),
                partition_by=[F("area_id")],
                order_by=[F("votes").desc(), _code_point_order("title").asc(), F("pk").asc()],
            ),
            example_rank=Window(
                RowNumber(),
                partition_by=[F("area_id"), F("outside")],
                order_by=[
                    F("companies").desc(),
                    F("votes").desc(),
                    _code_point_order("title").asc(),
                    F("pk").asc(),
                ],
            ),
        )
        .filter(Q(top_rank__lte=TOP_PROPOSALS) | Q(outside=True, example_rank__lte=TOP_PROPOSALS))
        .order_by()
        .values(
            "area_id",
            "title",
            "votes",
            "actor",
            "status",
            "companies",
            "outside",
            "top_rank",
            "example_rank",
        )
    )
    top: dict[int, list[tuple[int, dict]]] = defaultdict(list)
    examples: dict[int, list[tuple[int, dict]]] = defaultdict(list)
    for row in rows:
        if row["top_rank"] <= TOP_PROPOSALS:
            top[row["area_id"]].append(
                (
                    row["top_rank"],
                    {key: row[key] for key in ("title", "votes", "actor", "status")},
                )
            )
        if row["outside"] and row["example_rank"] <= TOP_PROPOSALS:
            examples[row["area_id"]].append(
                (
                    row["example_rank"],
                    {key: row[key] for key in ("title", "companies", "votes")},
                )
            )
    return (
        {area_id: [item for _rank, item in sorted(items)] for area_id, items in top.items()},
        {area_id: [item for _rank, item in sorted(items)] for area_id, items in examples.items()},
    )


def _challenge_examples(start: date | None, end: date | None) -> dict[int, list[str]]:
    """Per area, the first GAP_EXAMPLES distinct texts of open challenges, most important and
    most recent first (one query).

    Several companies often say the same thing: each text is shown once, where it first comes
    in that order. The inner query ranks the findings within each text, the outer one ranks
    each text's first finding within its area, and only the few shown come back.
    """
    order = [F("importance").desc(), F("interview__date").desc(), F("pk").asc()]
    ranked = (
        _findings(start, end)
        .filter(_open_challenge())
        .order_by()
        .annotate(
            text_rank=Window(RowNumber(), partition_by=[F("area_id"), F("text")], order_by=order),
            day=F("interview__date"),
        )
        .values("area_id", "text", "importance", "day", "id", "text_rank")
    )
    ranked_sql, params = ranked.query.sql_with_params()
    rows = _raw(
        'SELECT t."area_id", t."text" FROM ('  # noqa: S608 - the SQL comes from the ORM
        '  SELECT f."area_id", f."text", ROW_NUMBER() OVER ('
        '    PARTITION BY f."area_id" ORDER BY f."importance" DESC, f."day" DESC, f."id" ASC'
        '  ) AS "area_rank"'
        f'  FROM ({ranked_sql}) f WHERE f."text_rank" = 1'
        ') t WHERE t."area_rank" <= %s ORDER BY t."area_id", t."area_rank"',
        [*params, GAP_EXAMPLES],
    )
    examples: dict[int, list[str]] = defaultdict(list)
    for area_id, text in rows:
        examples[area_id].append(text)
    return examples


def _load_plan(data: _Data, end: date | None) -> None:
    """The action plan as it stands (it does not grow with the interviews): five queries."""
    activity_columns = ["id", "parent_id", "title", "status", "manual_progress", "due_date"]
    activity_rows = _frame(
        Activity.objects.values(*activity_columns, area_id=F("areas__id")),
        [*activity_columns, "area_id"],
    )
    data.activities = activity_rows[activity_columns].drop_duplicates("id").reset_index(drop=True)
    data.activity_areas = (
        activity_rows.loc[activity_rows["area_id"].notna(), ["id", "area_id"]]
        .rename(columns={"id": "activity_id"})
        .astype({"area_id": int})
    )
    data.activities[["milestones_total", "milestones_done"]] = _milestones_by_activity(
        data.activities["id"]
    )
    indicator_columns = [
        "id",
        "name",
        "unit",
        "direction",
        "baseline_value",
        "baseline_date",
        "target_value",
        "target_date",
        "reporting_interval",
    ]
    indicator_rows = _frame(
        Indicator.objects.values(*indicator_columns, area_id=F("goals__area_id")),
        [*indicator_columns, "area_id"],
    )
    data.indicators = indicator_rows[indicator_columns].drop_duplicates("id").reset_index(drop=True)
    data.indicator_areas = (
        indicator_rows.loc[indicator_rows["area_id"].notna(), ["id", "area_id"]]
        .rename(columns={"id": "indicator_id"})
        .astype({"area_id": int})
        .drop_duplicates()
    )
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


def _milestones_by_activity(activity_ids: pd.Series) -> pd.DataFrame:
    """(milestones, milestones done) of each activity, in the order of `activity_ids`."""
    milestones = _frame(
        Milestone.objects.values("activity_id", "is_done"), ["activity_id", "is_done"]
    )
    counts = milestones.groupby("activity_id")["is_done"].agg(["size", "sum"])
    return pd.DataFrame(
        {
            "milestones_total": activity_ids.map(counts["size"]).fillna(0).astype(int),
            "milestones_done": activity_ids.map(counts["sum"]).fillna(0).astype(int),
        }
    )


# --- Computing ------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _average(total: int, count: int, digits: int = 2) -> float | None:
    return round(total / count, digits) if count else None


def _mean(values: pd.Series, digits: int = 2) -> float | None:
    values = values.dropna()
    return round(float(values.mean()), digits) if len(values) else None


def _counts(series: pd.Series, codes: list[str]) -> dict[str, int]:
    counted = series.value_counts()
    return {code: int(counted.get(code, 0)) for code in codes}


def _totals(data: _Data) -> dict:
    return {
        "interviews": sum(cell["interviews"] for cell in data.interviewed),
        # A company has one industry and one size class: the cells' distinct counts add up.
        "companies": sum(cell["companies"] for cell in data.interviewed),
        "findings": sum(
            cell[f"type_{code}"] for cell in data.finding_cells for code in FindingType.values
        ),
        "proposals": sum(cell["count"] for cell in data.proposal_cells),
        "activities": len(data.activities),
        "indicators": len(data.indicators),
        "average_grade": _average(
            sum(cell["grade_sum"] or 0 for cell in data.interviewed),
            sum(cell["grade_count"] for cell in data.interviewed),
        ),
    }


class _AreaFindings:
    """The finding cells of one area, added up."""

    def __init__(self) -> None:
        self.interviews = 0
        self.companies = 0
        self.open_challenges = 0
        self.by_type: dict[str, int] = dict.fromkeys(FindingType.values, 0)
        self.by_industry: dict[str, int] = defaultdict(int)
        self.by_size: dict[str, int] = defaultdict(int)

    def add(self, cell: dict) -> None:
        self.interviews += cell["interviews"]
        self.companies += cell["companies"]
        self.open_challenges += cell["open_challenges"]
        for code in FindingType.values:
            self.by_type[code] += cell[f"type_{code}"]
        self.by_industry[cell["industry"]] += cell["companies"]
        self.by_size[cell["size_class"]] += cell["companies"]


class _AreaProposals:
    """The proposal cells of one area, added up."""

    def __init__(self) -> None:
        self.votes = 0
        self.outside = 0
        self.by_actor: dict[str, int] = dict.fromkeys(Actor.values, 0)
        self.by_status: dict[str, int] = dict.fromkeys(ProposalStatus.values, 0)

    def add(self, cell: dict) -> None:
        self.votes += cell["votes"] or 0
        if cell["actor"] in self.by_actor:
            self.by_actor[cell["actor"]] += cell["count"]
        if cell["status"] in self.by_status:
            self.by_status[cell["status"]] += cell["count"]
        if cell["status"] not in SETTLED_PROPOSAL_STATUSES:
            self.outside += cell["count"]


def _areas(data: _Data, today: date) -> list[dict]:
    interviewed = sum(cell["companies"] for cell in data.interviewed)
    interviewed_by_industry: dict[str, int] = defaultdict(int)
    interviewed_by_size: dict[str, int] = defaultdict(int)
    for cell in data.interviewed:
        interviewed_by_industry[cell["industry"]] += cell["companies"]
        interviewed_by_size[cell["size_class"]] += cell["companies"]
    findings: dict[int, _AreaFindings] = defaultdict(_AreaFindings)
    for cell in data.finding_cells:
        findings[cell["area_id"]].add(cell)
    proposals: dict[int, _AreaProposals] = defaultdict(_AreaProposals)
    for cell in data.proposal_cells:
        proposals[cell["area_id"]].add(cell)

    activities = _activities_with_progress(data.activities, today).merge(
        data.activity_areas, left_on="id", right_on="activity_id"
    )
    indicator_rows = _indicator_rows(data)

    result = []
    for area in data.areas:
        area_id = area["id"]
        area_findings = findings[area_id]
        area_proposals = proposals[area_id]
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
        grade_total, grade_count = data.area_grades.get(area_id, (0, 0))
        result.append(
            {
                **area,
                "interviews": area_findings.interviews,
                "companies": area_findings.companies,
                "company_share": _share(area_findings.companies, interviewed),
                "findings_by_type": area_findings.by_type,
                "share_by_industry": _share_by(
                    area_findings.by_industry, interviewed_by_industry, Industry
                ),
                "share_by_size": _share_by(area_findings.by_size, interviewed_by_size, SizeClass),
                "average_grade": _average(grade_total, grade_count),
                "key_quotes": data.key_quotes.get(area_id, []),
                "key_quotes_total": data.key_quote_totals.get(area_id, 0),
                "proposals_by_actor": area_proposals.by_actor,
                "proposals_by_status": area_proposals.by_status,
                "proposal_votes": area_proposals.votes,
                "top_proposals": data.top_proposals.get(area_id, []),
                "activities_by_status": _counts(area_activities["status"], ActivityStatus.values),
                "activities_average_progress": _mean(
                    area_activities.loc[not_cancelled, "progress"], digits=1
                ),
                "activities_on_track": int((~area_activities["overdue"] & not_cancelled).sum()),
                "activities_overdue": len(overdue),
                "overdue_activities": overdue.head(OVERDUE_ACTIVITIES)[
                    ["title", "due_date"]
                ].to_dict("records"),
                "indicators": area_indicators,
                "indicators_by_status": _counts(
                    pd.Series([row["status"] for row in area_indicators], dtype=object),
                    IndicatorStatus.values,
                ),
                "gaps": {
                    "challenges_without_proposal": area_findings.open_challenges,
                    "challenge_examples": data.challenge_examples.get(area_id, []),
                    "proposals_outside_plan": area_proposals.outside,
                    "proposal_examples": data.proposal_examples.get(area_id, []),
                },
            }
        )
    return result


def _share_by(raising: dict[str, int], interviewed: dict[str, int], choices) -> list[dict]:
    return [
        {
            "code": code,
            "label": str(choices(code).label),
            "companies": raising.get(code, 0),
            "interviewed": interviewed[code],
            "share": _share(raising.get(code, 0), interviewed[code]),
        }
        for code in choices.values
        if interviewed.get(code)
    ]


def _activities_with_progress(activities: pd.DataFrame, today: date) -> pd.DataFrame:
    facts = [
        ActivityFacts(
            int(pk), None if pd.isna(parent) else int(parent), status, int(manual), total, done
        )
        for pk, parent, status, manual, total, done in activities[
            ["id", "parent_id", "status", "manual_progress", "milestones_total", "milestones_done"]
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
        state = _indicator_state(
            indicator, data.measurements.get(indicator["id"], []), data.status_date
        )
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


def _indicator_state(indicator: dict, measurements: list[tuple[date, Decimal]], as_of: date):
    return indicator_state(
        baseline_value=indicator["baseline_value"],
        baseline_date=indicator["baseline_date"],
        target_value=indicator["target_value"],
        target_date=indicator["target_date"],
        measurements=measurements,
        reporting_interval=int(indicator["reporting_interval"]),
        as_of=as_of,
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
                "status": _indicator_state(indicator, measurements, data.status_date).status.value,
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
