"""The dashboard (översikt) for everyone, Tillväxtrådet first: the six priority areas at a glance.

The page never recomputes anything: it reads the latest SummarySnapshot of the chosen period
(two queries: the list of periods and the snapshot) and shapes it for the template. It reads
only the snapshot's `dashboard` column, the figures the page shows (reports.models.
dashboard_figures), never the whole `data`: the work of a request does not depend on how many
interviews, quotes or examples lie behind the figures. The snapshot holds no personal data (see
reports/summary.py), so neither does the page.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from actionplan.choices import CelebrationKind, IndicatorStatus
from actionplan.models import celebration_title
from actionplan.selectors_indicators import MEASURED_COLOUR, TARGET_PATH_COLOUR
from smeportal.accounts.permissions import capability_required
from smeportal.accounts.roles import has_capability
from smeportal.core.charts import (
    DASHED,
    DIAMOND,
    Bar,
    BarChartGeometry,
    ChartGeometry,
    Series,
    bar_chart,
    format_number,
    line_chart,
)

from .models import DASHBOARD_TREND_POINTS
from .periods import (
    WHOLE,
    Period,
    PeriodForm,
    latest_snapshot,
    next_weekly_report,
    period_groups,
    run_in_progress,
    snapshot_periods,
)

# A snapshot older than this many days is said to be old on the page.
STALE_AFTER_DAYS = 7


# --- Shaping the snapshot for the page ---------------------------------------------------------


def _number(value) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value))


def _display(value, decimals: int | None = None) -> str:
    number = _number(value)
    return "–" if number is None else format_number(number, decimals)


def _percent(share) -> int | None:
    number = _number(share)
    return None if number is None else int((number * 100).to_integral_value())


def _date(value) -> date | None:
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _label(choices, code) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code or "")


def _area_name(area: dict) -> str:
    """The name in the interface language, as PriorityArea.display_name chooses it."""
    if area.get("name_en") and (get_language() or "sv").startswith("en"):
        return area["name_en"]
    return area.get("name", "")


@dataclass(frozen=True)
class AreaCard:
    position: int
    name: str
    colour: str
    interviews: int
    companies: int
    company_share: int | None  # percent
    challenges: int
    ideas: int
    strengths: int
    average_grade: str
    proposals: int
    votes: int
    activities: int
    on_track: int
    overdue: int
    average_progress: int | None  # percent
    indicators_on_track: int
    indicators_at_risk: int
    indicators_behind: int
    indicators_needing_update: int
    indicators_without_data: int
    challenges_without_proposal: int
    proposals_outside_plan: int


def area_cards(areas: list[dict]) -> list[AreaCard]:
    cards = []
    for position, area in enumerate(areas, start=1):
        by_type = area.get("findings_by_type") or {}
        by_status = area.get("indicators_by_status") or {}
        gaps = area.get("gaps") or {}
        progress = _number(area.get("activities_average_progress"))
        cards.append(
            AreaCard(
                position=position,
                name=_area_name(area),
                colour=area.get("colour") or MEASURED_COLOUR,
                interviews=area.get("interviews", 0),
                companies=area.get("companies", 0),
                company_share=_percent(area.get("company_share")),
                challenges=by_type.get("utmaning", 0),
                ideas=by_type.get("ide", 0),
                strengths=by_type.get("styrka", 0),
                average_grade=_display(area.get("average_grade"), 1),
                proposals=sum((area.get("proposals_by_status") or {}).values()),
                votes=area.get("proposal_votes", 0),
                activities=sum((area.get("activities_by_status") or {}).values()),
                on_track=area.get("activities_on_track", 0),
                overdue=area.get("activities_overdue", 0),
                average_progress=None if progress is None else round(progress),
                indicators_on_track=by_status.get(IndicatorStatus.ON_TRACK, 0),
                indicators_at_risk=by_status.get(IndicatorStatus.AT_RISK, 0),
                indicators_behind=by_status.get(IndicatorStatus.BEHIND, 0),
                indicators_needing_update=by_status.get(IndicatorStatus.NEEDS_UPDATE, 0),
                indicators_without_data=by_status.get(IndicatorStatus.NO_DATA, 0),
                challenges_without_proposal=gaps.get("challenges_without_proposal", 0),
                proposals_outside_plan=gaps.get("proposals_outside_plan", 0),
            )
        )
    return cards


def companies_chart(cards: list[AreaCard]) -> BarChartGeometry:
    return bar_chart(
        [Bar(f"{card.position}. {card.name}", card.companies, card.colour) for card in cards],
        title=_("Companies that raised each priority area"),
        description=_(
            "The number of interviewed companies that raised each area, one bar per area. "
            "The table below gives the same figures."
        ),
        x_label=_("Number of companies"),
        id_prefix="area-companies-chart",
    )


@dataclass(frozen=True)
class TrendPoint:
    on: date
    value: str
    is_target: bool = False


@dataclass
class Trend:
    id: int
    name: str
    unit: str
    status: str
    status_label: str
    summary: str
    chart: ChartGeometry
    points: list[TrendPoint] = field(default_factory=list)
    baseline: TrendPoint | None = None
    target: TrendPoint | None = None


def _point(pair) -> tuple[date, Decimal] | None:
    if not pair or len(pair) < 2 or pair[1] is None or not pair[0]:
        return None
    return _date(pair[0]), _number(pair[1])


def indicator_trends(trends: list[dict]) -> list[Trend]:
    """Each indicator's measurements against the straight path from baseline to target."""
    shaped = []
    for trend in trends:
        measured = [point for point in map(_point, trend.get("measurements") or []) if point]
        measured.sort(key=lambda point: point[0])
        path = [
            point for point in (_point(trend.get("baseline")), _point(trend.get("target"))) if point
        ]
        status = trend.get("status") or IndicatorStatus.NO_DATA
        status_label = _label(IndicatorStatus, status)
        name = trend.get("name", "")
        if measured and len(path) == 2:
            summary = _(
                "Latest value %(value)s (%(year)s); the target is %(target)s by "
                "%(target_year)s; status: %(status)s."
            ) % {
                "value": format_number(measured[-1][1]),
                "year": measured[-1][0].year,
                "target": format_number(path[1][1]),
                "target_year": path[1][0].year,
                "status": status_label.lower(),
            }
        elif len(path) == 2:
            summary = _("No measurements yet; the target is %(target)s by %(target_year)s.") % {
                "target": format_number(path[1][1]),
                "target_year": path[1][0].year,
            }
        else:
            summary = status_label
        chart = line_chart(
            [
                Series(label=_("Measured value"), points=measured, colour=MEASURED_COLOUR),
                Series(
                    label=_("Target path"),
                    points=path,
                    line=DASHED,
                    marker=DIAMOND,
                    colour=TARGET_PATH_COLOUR,
                ),
            ],
            title=_("%(name)s: measured values and target path") % {"name": name},
            description=summary,
            y_label=trend.get("unit") or "",
            id_prefix=f"trend-{trend.get('id', len(shaped) + 1)}",
        )
        shaped.append(
            Trend(
                id=trend.get("id", len(shaped) + 1),
                name=name,
                unit=trend.get("unit") or "",
                status=status,
                status_label=status_label,
                summary=summary,
                chart=chart,
                points=[TrendPoint(on, format_number(value)) for on, value in measured],
                baseline=TrendPoint(path[0][0], format_number(path[0][1])) if path else None,
                target=TrendPoint(path[1][0], format_number(path[1][1]), True)
                if len(path) == 2
                else None,
            )
        )
    return shaped


@dataclass(frozen=True)
class CelebrationItem:
    title: str
    occurred_on: date | None
    kind: str
    is_celebrated: bool


def celebration_items(celebrations: list[dict]) -> list[CelebrationItem]:
    return [
        CelebrationItem(
            # In the reader's language from the facts; older snapshots hold the sentence only.
            title=celebration_title(
                item.get("kind", ""),
                activity=item.get("activity_title"),
                milestone=item.get("milestone_title"),
                indicator=item.get("indicator_name"),
                value=None if item.get("value") is None else Decimal(str(item["value"])),
                stored=item.get("title", ""),
            ),
            occurred_on=_date(item.get("occurred_on")),
            kind=_label(CelebrationKind, item.get("kind")),
            is_celebrated=bool(item.get("is_celebrated")),
        )
        for item in celebrations
    ]


@dataclass(frozen=True)
class Totals:
    interviews: int
    companies: int
    findings: int
    proposals: int
    activities: int
    indicators: int
    average_grade: str


def totals_of(data: dict) -> Totals:
    totals = data.get("totals") or {}
    return Totals(
        interviews=totals.get("interviews", 0),
        companies=totals.get("companies", 0),
        findings=totals.get("findings", 0),
        proposals=totals.get("proposals", 0),
        activities=totals.get("activities", 0),
        indicators=totals.get("indicators", 0),
        average_grade=_display(totals.get("average_grade"), 1),
    )


def _trends_capped(data: dict) -> bool:
    """Whether the dashboard leaves indicators or measurements out (see dashboard_figures)."""
    trends = data.get("indicator_trends") or []
    return data.get("indicator_trends_total", len(trends)) > len(trends) or any(
        trend.get("measurements_total", 0) > len(trend.get("measurements") or [])
        for trend in trends
    )


def _url_or_none(name: str) -> str | None:
    """The URL of a page the lead adds later; None until it exists."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


# --- The view ----------------------------------------------------------------------------------


PERIOD_PARAMETERS = ("period", "start", "end")


def _default_period(summarised: list[Period]) -> Period:
    """The whole period; without a summary of it, the period summarised last."""
    return WHOLE if WHOLE in summarised or not summarised else summarised[0]


@require_GET
@capability_required("portal.view")
def dashboard(request):
    """The newest summary of the chosen period, by default of the whole period (the newest
    snapshot of any period could be a narrow one, or show older figures than the whole).

    When the chosen period has no summary yet, the page says whether one is being built, or when
    the weekly report makes the next one; staff who build reports get a button for it.
    """
    summarised = snapshot_periods()
    groups = period_groups(summarised=summarised)
    selected = _default_period(summarised)
    status = 200
    if any(name in request.GET for name in PERIOD_PARAMETERS):
        form = PeriodForm(request.GET, groups=groups)
        if form.is_valid():
            selected = form.chosen() or selected
        else:
            status = 400
    else:
        form = PeriodForm(initial={"period": selected.value}, groups=groups)
    labels = {option.period: option.label for group in groups for option in group.options}

    snapshot = latest_snapshot(selected)
    age = (
        (timezone.localdate() - timezone.localtime(snapshot.taken_at).date()).days
        if snapshot
        else 0
    )
    context = {
        # Figures older than a week are said to be so, in words.
        "snapshot_age_days": age if age >= STALE_AFTER_DAYS else None,
        "form": form,
        "selected_period": selected,
        "selected_label": labels.get(selected, selected.label),
        "snapshot": snapshot,
        "run_in_progress": run_in_progress(selected),
        # The weekly report summarises the whole period.
        "next_weekly_report": next_weekly_report() if selected.is_whole else None,
        "can_create": has_capability(request.user, "reports.create"),
        "run_create_url": _url_or_none("reports:run_create"),
        "run_list_url": _url_or_none("reports:run_list"),
    }
    if snapshot is not None:
        context.update(_figures(snapshot.dashboard))
    return render(request, "reports/dashboard.html", context, status=status)


def _figures(data: dict) -> dict:
    """The snapshot's figures shaped for dashboard_body.html.

    The body depends on nothing but these figures and the language, so the template caches it
    under a digest of them (`body_key`): a snapshot's page is drawn once per worker, and the
    shaping below (charts, trends) is lazy, done only when the body is drawn.
    """
    cards = SimpleLazyObject(lambda: area_cards(data.get("areas") or []))
    digest = hashlib.blake2b(
        json.dumps(data, sort_keys=True, default=str).encode(), digest_size=16
    ).hexdigest()
    return {
        "body_key": digest,
        "totals": SimpleLazyObject(lambda: totals_of(data)),
        "cards": cards,
        "chart": SimpleLazyObject(lambda: companies_chart(list(cards))),
        "trends": SimpleLazyObject(lambda: indicator_trends(data.get("indicator_trends") or [])),
        "trends_total": data.get("indicator_trends_total", 0),
        "trends_capped": _trends_capped(data),
        "trend_points": DASHBOARD_TREND_POINTS,
        "celebrations": SimpleLazyObject(lambda: celebration_items(data.get("celebrations") or [])),
    }
