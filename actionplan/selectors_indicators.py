"""Reads for the indicator (mätetal) pages and "Att fira".

Every page loads its rows with a fixed number of queries: the indicators, their goals and all
their measurements come in three queries, and the progress rules of actionplan.progress run
in Python on what was loaded.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.paginator import Page
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from interviews.choices import Industry
from smeportal.accounts.roles import STAFF_ROLES, has_capability
from smeportal.areas.models import PriorityArea
from smeportal.core.charts import (
    DASHED,
    DIAMOND,
    ChartGeometry,
    Series,
    format_number,
    line_chart,
    significant_decimals,
)
from smeportal.core.compiled import CompiledRead, columns, instance, prefetched, related
from smeportal.core.pagination import CountedPaginator

from .choices import Direction, IndicatorStatus
from .models import Activity, Celebration, Goal, Indicator, Measurement, Milestone
from .progress import IndicatorState, expected_share, indicator_state, needs_update, percent

MEASURED_COLOUR = "#0b4f7c"
# An indicator's page draws at most this many of its latest measurements (ten years of monthly
# figures); its table lists every one, a page at a time.
CHART_POINTS = 120
# Two years of monthly measurements beside the chart; older ones a page further.
TABLE_PAGE_SIZE = 24
TARGET_PATH_COLOUR = "#5c5c5c"


def indicator_owner_choices() -> QuerySet:
    """Users who can own an indicator: active holders of a staff role."""
    roles = [role.value for role in STAFF_ROLES]
    return (
        get_user_model()
        .objects.filter(Q(groups__name__in=roles) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- Indicators ----------------------------------------------------------------------------


@dataclass
class IndicatorOverview:
    """An indicator with what the pages show of it, computed from its measurements."""

    indicator: Indicator
    state: IndicatorState
    needs_update: bool
    goals: list[Goal]

    @property
    def status(self) -> str:
        return self.state.status.value

    @property
    def status_label(self) -> str:
        return str(IndicatorStatus(self.state.status).label)

    @property
    def progress_percent(self) -> int | None:
        return percent(self.state.progress)

    def format(self, value) -> str:
        return format_value(self.indicator, value)

    @property
    def baseline_display(self) -> str:
        return self.format(self.indicator.baseline_value)

    @property
    def target_display(self) -> str:
        return self.format(self.indicator.target_value)

    @property
    def latest_display(self) -> str:
        if self.state.latest_value is None:
            return ""
        return self.format(self.state.latest_value)

    @property
    def is_lower_better(self) -> bool:
        return self.indicator.direction == Direction.LOWER


def format_value(indicator: Indicator, value) -> str:
    """A value of the indicator with as many decimals as its baseline and target use (at least).

    So a grade reads "4,0" beside "3,3", and a ranking place "169" beside "206".
    """
    decimals = max(
        significant_decimals(indicator.baseline_value),
        significant_decimals(indicator.target_value),
    )
    return format_number(value, min_decimals=decimals)


def _goals_prefetch() -> Prefetch:
    return Prefetch("goals", queryset=Goal.objects.select_related("area").order_by("area__order"))


def _latest_measurement(field_name: str) -> Subquery:
    """The indicator's latest measurement's date or value (the unique index on (indicator,
    date) serves it): the list needs no more of a series that may hold thousands."""
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-date")
    return Subquery(latest.values(field_name)[:1])


def _overview(indicator: Indicator, points, today: date) -> IndicatorOverview:
    state = indicator_state(
        baseline_value=indicator.baseline_value,
        baseline_date=indicator.baseline_date,
        target_value=indicator.target_value,
        target_date=indicator.target_date,
        measurements=points,
        reporting_interval=indicator.reporting_interval,
        as_of=today,
    )
    return IndicatorOverview(
        indicator=indicator,
        state=state,
        needs_update=needs_update(state.latest_date, indicator.reporting_interval, today),
        goals=list(indicator.goals.all()),
    )


def indicator_overviews(*, today: date) -> list[IndicatorOverview]:
    """All indicators with progress and status (three queries however many there are)."""
    indicators = (
        Indicator.objects.select_related("owner")
        .prefetch_related(_goals_prefetch())
        .annotate(
            latest_date=_latest_measurement("date"), latest_value=_latest_measurement("value")
        )
        .order_by("name", "pk")
    )
    return [
        _overview(
            indicator,
            [(indicator.latest_date, indicator.latest_value)] if indicator.latest_date else [],
            today,
        )
        for indicator in indicators
    ]


@dataclass(frozen=True)
class MeasurementRow:
    measurement: Measurement
    value_display: str
    expected_display: str  # the value on the straight target path on the measurement's date


@dataclass
class IndicatorPage:
    overview: IndicatorOverview
    rows: list[MeasurementRow] = field(default_factory=list)  # the table's page, newest first
    # The chart's (date, value) points, oldest first: no display strings, which only the
    # table's rows need (a chart has up to CHART_POINTS of them).
    chart_points: list[tuple[date, Decimal]] = field(default_factory=list)
    table_page: Page | None = None
    measurement_count: int = 0

    @property
    def indicator(self) -> Indicator:
        return self.overview.indicator

    @property
    def chart_leaves_out_older(self) -> bool:
        return self.measurement_count > len(self.chart_points)


def expected_value(indicator: Indicator, on: date) -> Decimal:
    """The value on the straight line from (baseline date, value) to (target date, value)."""
    share = expected_share(indicator.baseline_date, indicator.target_date, on)
    value = indicator.baseline_value + (indicator.target_value - indicator.baseline_value) * share
    return value.quantize(Decimal("0.01"))


def _measurement_row(indicator: Indicator, measurement: Measurement) -> MeasurementRow:
    return MeasurementRow(
        measurement=measurement,
        value_display=format_value(indicator, measurement.value),
        expected_display=format_value(indicator, expected_value(indicator, measurement.date)),
    )


_INDICATOR = columns(Indicator)
_OWNER = columns(get_user_model(), "username", "first_name", "last_name")
_GOAL = columns(Goal, "area_id", "title", "is_public")
_GOAL_AREA = columns(PriorityArea, "name", "order", "colour", "is_archived")
_MEASUREMENT = columns(Measurement)
_INDICATOR_ROW = CompiledRead(
    lambda pk: Indicator.objects.filter(pk=pk).values_list(*_INDICATOR, *related("owner", _OWNER))
)
_INDICATOR_GOALS = CompiledRead(
    lambda pk: (
        Goal.objects.filter(indicators=pk)
        .order_by("area__order")
        .values_list(*_GOAL, *related("area", _GOAL_AREA))
    )
)
_NEWEST_MEASUREMENTS = CompiledRead(
    lambda pk: (
        Measurement.objects.filter(indicator_id=pk)
        .order_by("-date", "-pk")
        .values_list(*_MEASUREMENT)[:CHART_POINTS]
    )
)
_MEASUREMENT_COUNT = CompiledRead(
    lambda pk: (
        Measurement.objects.filter(indicator_id=pk)
        .order_by()
        .values("indicator_id")
        .annotate(total=Count("*"))
        .values_list("total")
    )
)


def _indicator(pk: int) -> Indicator:
    """The indicator with its owner and its goals (each with its area), in two queries."""
    rows = _INDICATOR_ROW.rows(pk)
    if not rows:
        raise Http404
    indicator = instance(Indicator, _INDICATOR, rows[0][: len(_INDICATOR)])
    if indicator.owner_id is not None:
        owner = [indicator.owner_id, *rows[0][len(_INDICATOR) :]]
        indicator.owner = instance(get_user_model(), _OWNER, owner)
    goals = []
    for row in _INDICATOR_GOALS.rows(pk):
        goal = instance(Goal, _GOAL, row[: len(_GOAL)])
        goal.area = instance(PriorityArea, _GOAL_AREA, [goal.area_id, *row[len(_GOAL) :]])
        goals.append(goal)
    prefetched(indicator, "goals", goals)
    return indicator


def indicator_page(pk: int, *, today: date, table_page: str | int | None = None) -> IndicatorPage:
    """One indicator (404 if unknown) with its goals, the latest CHART_POINTS measurements for
    the chart and one page of the measurement table (newest first). Its reads are compiled
    once (smeportal.core.compiled)."""
    indicator = _indicator(pk)
    newest = [instance(Measurement, _MEASUREMENT, row) for row in _NEWEST_MEASUREMENTS.rows(pk)]
    latest = newest[::-1]
    overview = _overview(indicator, [(m.date, m.value) for m in latest[-1:]], today)
    # Counted only when the chart does not hold them all.
    count = (
        len(newest)
        if len(newest) < CHART_POINTS
        else sum(total for (total,) in _MEASUREMENT_COUNT.rows(pk))
    )
    measurements = Measurement.objects.filter(indicator=indicator).order_by("-date", "-pk")
    table = CountedPaginator(measurements, TABLE_PAGE_SIZE, count=count).get_page(table_page)
    # The table's first pages are among the chart's measurements, read already.
    bottom, top = max(table.start_index() - 1, 0), table.end_index()
    if top <= len(newest):
        table.object_list = newest[bottom:top]
    return IndicatorPage(
        overview=overview,
        rows=[_measurement_row(indicator, measurement) for measurement in table.object_list],
        chart_points=[(measurement.date, measurement.value) for measurement in latest],
        table_page=table,
        measurement_count=table.paginator.count,
    )


def indicator_summary_text(overview: IndicatorOverview) -> str:
    """The trend in one sentence, for the chart's text alternative and the page."""
    indicator = overview.indicator
    target = {
        "target": overview.target_display,
        "target_year": indicator.target_date.year,
    }
    if overview.state.latest_value is None:
        return _("No measurements yet; the target is %(target)s by %(target_year)s.") % target
    return _(
        "Latest value %(value)s (%(year)s); the target is %(target)s by %(target_year)s; "
        "status: %(status)s."
    ) % {
        "value": overview.latest_display,
        "year": overview.state.latest_date.year,
        "status": overview.status_label.lower(),
        **target,
    }


def indicator_chart(page: IndicatorPage) -> ChartGeometry:
    """Measured values (solid line, round markers) against the target path (dashed, diamonds)."""
    indicator = page.indicator
    series = [
        Series(
            label=_("Measured value"),
            points=page.chart_points,
            colour=MEASURED_COLOUR,
        ),
        Series(
            label=_("Target path"),
            points=[
                (indicator.baseline_date, indicator.baseline_value),
                (indicator.target_date, indicator.target_value),
            ],
            line=DASHED,
            marker=DIAMOND,
            colour=TARGET_PATH_COLOUR,
        ),
    ]
    return line_chart(
        series,
        title=_("%(name)s: measured values and target path") % {"name": indicator.name},
        description=indicator_summary_text(page.overview),
        y_label=indicator.unit,
        id_prefix=f"indicator-{indicator.pk}-chart",
    )


# --- Celebrations ("Att fira") ---------------------------------------------------------------

CELEBRATION_FILTERS = ("alla", "ej-firade", "firade")


_CELEBRATION = columns(Celebration)
_TITLE = columns(Activity, "title")
_MILESTONE = columns(Milestone, "title")
_CELEBRATED_INDICATOR = columns(Indicator, "name")
_CELEBRATED_BY = columns(get_user_model(), "username", "first_name", "last_name")


def _celebrations(shown: str) -> QuerySet[Celebration]:
    celebrations = Celebration.objects.order_by("-occurred_on", "-pk")
    if shown == "ej-firade":
        return celebrations.filter(is_celebrated=False)
    if shown == "firade":
        return celebrations.filter(is_celebrated=True)
    return celebrations


@functools.cache
def _celebration_count(shown: str) -> CompiledRead:
    def build():
        sql, params = _celebrations(shown).order_by().values_list("pk").query.sql_with_params()
        return f"SELECT COUNT(*) FROM ({sql}) AS counted", params  # noqa: S608

    return CompiledRead(build)


# A read per page of entries (20 each), the latest pages asked for kept.
@functools.lru_cache(maxsize=64)
def _celebration_page(shown: str, start: int, stop: int) -> CompiledRead:
    return CompiledRead(
        lambda: _celebrations(shown).values_list(
            *_CELEBRATION,
            *related("activity", _TITLE),
            *related("milestone", _MILESTONE),
            *related("indicator", _CELEBRATED_INDICATOR),
            *related("celebrated_by", _CELEBRATED_BY),
        )[start:stop]
    )


class CelebrationList:
    """Entries of "Att fira", newest first, for Django's Paginator: counted, and a page read
    with what the page shows of each entry (its activity's title, its milestone's, its
    indicator's name, who marked it), by compiled reads (smeportal.core.compiled)."""

    def __init__(self, shown: str):
        self.shown = shown if shown in CELEBRATION_FILTERS else "alla"

    def count(self) -> int:
        ((count,),) = _celebration_count(self.shown).rows()
        return count

    def __getitem__(self, page: slice) -> list[Celebration]:
        if not isinstance(page, slice) or page.step is not None:
            raise TypeError("a page of entries is a slice start:stop")
        if page.stop <= page.start:
            return []
        entries = []
        ends = []
        end = len(_CELEBRATION)
        for names in (_TITLE, _MILESTONE, _CELEBRATED_INDICATOR, _CELEBRATED_BY):
            ends.append((end, end + len(names) - 1))
            end += len(names) - 1
        for row in _celebration_page(self.shown, page.start, page.stop).rows():
            celebration = instance(Celebration, _CELEBRATION, row[: len(_CELEBRATION)])
            for (start, stop), (name, model, names) in zip(
                ends,
                (
                    ("activity", Activity, _TITLE),
                    ("milestone", Milestone, _MILESTONE),
                    ("indicator", Indicator, _CELEBRATED_INDICATOR),
                    ("celebrated_by", get_user_model(), _CELEBRATED_BY),
                ),
                strict=True,
            ):
                key = getattr(celebration, f"{name}_id")
                if key is not None:
                    setattr(celebration, name, instance(model, names, [key, *row[start:stop]]))
            entries.append(celebration)
        return entries


def celebration_list(*, shown: str = "alla") -> CelebrationList:
    """Entries of "Att fira", newest first, with what the page shows of each loaded."""
    return CelebrationList(shown)


# An entry names at most this many companies (an activity may rest on hundreds at scale); the
# rest are counted.
COMPANY_NAMES_SHOWN = 20


@dataclass(frozen=True)
class CompanySupport:
    """The companies whose interview findings stand behind an entry (through proposals)."""

    company_count: int = 0
    industries: list[tuple[str, int]] = field(default_factory=list)  # (label, companies)
    company_names: list[str] = field(default_factory=list)  # not sole traders, the first few
    more_company_names: int = 0  # named companies past COMPANY_NAMES_SHOWN
    personal_data_count: int = 0  # sole traders: counted, never named


_ACTIVITIES_OF_INDICATORS = CompiledRead(
    lambda ids: Activity.objects.filter(goal__indicators__in=ids).values_list(
        "goal__indicators", "pk"
    )
)


def _activities_of_indicators(indicator_ids: set[int]) -> dict[int, set[int]]:
    """Indicator -> the activities under the goals it measures (one query)."""
    found: dict[int, set[int]] = defaultdict(set)
    if not indicator_ids:
        return found
    for indicator_id, activity_id in _ACTIVITIES_OF_INDICATORS.rows(sorted(indicator_ids)):
        found[indicator_id].add(activity_id)
    return found


_COMPANY = "proposals__evidence__interview__company"
# Without the activities' order (Activity.Meta.ordering), which the DISTINCT would sort by too.
_COMPANIES_OF_ACTIVITIES = CompiledRead(
    lambda ids: (
        Activity.objects.filter(pk__in=ids, **{f"{_COMPANY}__isnull": False})
        .order_by()
        .values_list(
            "pk",
            _COMPANY,
            f"{_COMPANY}__name",
            f"{_COMPANY}__industry",
            f"{_COMPANY}__is_personal_data",
        )
        .distinct()
    )
)


def _companies_of_activities(activity_ids: set[int]) -> dict[int, dict[int, tuple]]:
    """Activity -> {company id: (name, industry, is sole trader)} behind its proposals."""
    found: dict[int, dict[int, tuple]] = defaultdict(dict)
    if not activity_ids:
        return found
    rows = _COMPANIES_OF_ACTIVITIES.rows(sorted(activity_ids))
    for activity_id, company_id, name, industry, is_personal in rows:
        found[activity_id][company_id] = (name, industry, is_personal)
    return found


def celebration_company_support(
    celebrations: Sequence[Celebration],
) -> dict[int, CompanySupport]:
    """Which companies' input led to each entry, for a whole page in two queries.

    An activity's or milestone's entry counts the companies behind the activity's proposals'
    evidence; an indicator's entry those behind the activities under the goals it measures.
    """
    indicator_ids = {c.indicator_id for c in celebrations if c.indicator_id and not c.activity_id}
    activities_by_indicator = _activities_of_indicators(indicator_ids)
    activity_ids = {c.activity_id for c in celebrations if c.activity_id}
    for ids in activities_by_indicator.values():
        activity_ids |= ids
    companies_by_activity = _companies_of_activities(activity_ids)
    industry_labels = {value: str(label) for value, label in Industry.choices}  # translated once

    support: dict[int, CompanySupport] = {}
    for celebration in celebrations:
        if celebration.activity_id:
            activity_ids_here = {celebration.activity_id}
        else:
            activity_ids_here = activities_by_indicator.get(celebration.indicator_id, set())
        companies: dict[int, tuple] = {}
        for activity_id in activity_ids_here:
            companies.update(companies_by_activity.get(activity_id, {}))
        industry_counts: dict[str, int] = defaultdict(int)
        for _name, industry, _personal in companies.values():
            industry_counts[industry_labels.get(industry, industry)] += 1
        names = sorted(name for name, _industry, personal in companies.values() if not personal)
        support[celebration.pk] = CompanySupport(
            company_count=len(companies),
            industries=sorted(industry_counts.items(), key=lambda item: (-item[1], item[0])),
            company_names=names[:COMPANY_NAMES_SHOWN],
            more_company_names=max(len(names) - COMPANY_NAMES_SHOWN, 0),
            personal_data_count=sum(1 for *_rest, personal in companies.values() if personal),
        )
    return support


def sees_company_names(user) -> bool:
    """Plan editors see which companies stand behind an entry; others see counts and industries."""
    return has_capability(user, "actionplan.edit")
