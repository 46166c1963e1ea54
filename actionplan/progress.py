"""The rules that turn plans and measurements into progress and status.

Pure functions over values, so the same rules serve the pages, the summary report and tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .choices import ActivityStatus, IndicatorStatus

# "Risk" means at most this far behind the straight path from baseline to target, as a share of
# the whole distance (10 percentage points); further behind is "efter".
RISK_MARGIN = Decimal("0.10")
CLOSED_ACTIVITY_STATUSES = {ActivityStatus.DONE, ActivityStatus.CANCELLED}


def _clamp(value: Decimal, low: Decimal = Decimal(0), high: Decimal = Decimal(1)) -> Decimal:
    return max(low, min(high, value))


def indicator_progress(
    baseline: Decimal, target: Decimal, latest: Decimal | None
) -> Decimal | None:
    """(latest − baseline) / (target − baseline), clamped to 0–1; None without a measurement.

    The same formula respects both directions: when lower is better the target lies below the
    baseline, so a falling value gives a positive share.
    """
    if latest is None or target == baseline:
        return None
    return _clamp((Decimal(latest) - baseline) / (target - baseline))


def expected_share(baseline_date: date, target_date: date, on: date) -> Decimal:
    """How far along the straight line from baseline to target one should be on a date."""
    total = (target_date - baseline_date).days
    if total <= 0:
        return Decimal(1)
    return _clamp(Decimal((on - baseline_date).days) / Decimal(total))


@dataclass(frozen=True)
class IndicatorState:
    progress: Decimal | None  # 0–1
    expected: Decimal | None  # 0–1 on the date of the latest measurement
    status: IndicatorStatus
    latest_value: Decimal | None
    latest_date: date | None
    target_reached: bool


def indicator_state(
    *,
    baseline_value: Decimal,
    baseline_date: date,
    target_value: Decimal,
    target_date: date,
    measurements: Iterable[tuple[date, Decimal]],
    reporting_interval: int | None,
    as_of: date | None,
) -> IndicatorState:
    """Progress and status from the latest measurement, compared with the target path.

    With the indicator's reporting interval (months) and the date the status is for (both None
    only where the status is not shown, such as the check whether the target was reached), a latest
    measurement older than the interval makes the status NEEDS_UPDATE, whatever it showed
    then: a value from 2021 says nothing about being on track today. Progress, the latest
    value and whether the target was reached still come from that measurement.
    """
    latest = max(measurements, default=None, key=lambda item: item[0])
    if latest is None:
        return IndicatorState(None, None, IndicatorStatus.NO_DATA, None, None, False)
    latest_date, latest_value = latest
    progress = indicator_progress(baseline_value, target_value, latest_value)
    expected = expected_share(baseline_date, target_date, latest_date)
    if (
        reporting_interval is not None
        and as_of is not None
        and needs_update(latest_date, reporting_interval, as_of)
    ):
        status = IndicatorStatus.NEEDS_UPDATE
    elif progress >= expected:
        status = IndicatorStatus.ON_TRACK
    elif progress >= expected - RISK_MARGIN:
        status = IndicatorStatus.AT_RISK
    else:
        status = IndicatorStatus.BEHIND
    return IndicatorState(
        progress, expected, status, Decimal(latest_value), latest_date, target_reached=progress >= 1
    )


def status_date(period_end: date | None, today: date) -> date:
    """The date a report's indicator statuses are for: the period's end, or today while the
    period runs (or when it has no end)."""
    return today if period_end is None else min(period_end, today)


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (clamped to the month's last day)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


def needs_update(latest_date: date | None, interval_months: int, today: date) -> bool:
    """True when no measurement falls within the indicator's reporting interval."""
    return latest_date is None or latest_date < months_before(today, interval_months)


@dataclass(frozen=True)
class ActivityFacts:
    """What the roll-up needs to know of an activity (loaded once for a whole plan)."""

    pk: int
    parent_id: int | None
    status: str
    manual_progress: int
    milestones_total: int
    milestones_done: int


def rolled_up_progress(activities: Iterable[ActivityFacts]) -> dict[int, int]:
    """Progress in percent for every activity.

    A done activity is 100 %. An activity with milestones or sub-activities gets the mean of
    its items: each milestone counts 100 when done and 0 otherwise, each sub-activity counts its
    own progress (cancelled sub-activities are left out). Otherwise the hand-set value counts.
    """
    facts = {activity.pk: activity for activity in activities}
    children: dict[int, list[int]] = {}
    for activity in facts.values():
        if activity.parent_id in facts:
            children.setdefault(activity.parent_id, []).append(activity.pk)
    result: dict[int, int] = {}

    def progress_of(pk: int, seen: frozenset[int]) -> int:
        if pk in result:
            return result[pk]
        activity = facts[pk]
        if activity.status == ActivityStatus.DONE:
            value = 100
        else:
            items = [100] * activity.milestones_done
            items += [0] * (activity.milestones_total - activity.milestones_done)
            for child in children.get(pk, []):
                if child not in seen and facts[child].status != ActivityStatus.CANCELLED:
                    items.append(progress_of(child, seen | {child}))
            value = round(sum(items) / len(items)) if items else activity.manual_progress
        result[pk] = value
        return value

    for pk in facts:
        progress_of(pk, frozenset({pk}))
    return result


def is_overdue(due_date: date | None, status: str, today: date) -> bool:
    return bool(due_date) and due_date < today and status not in CLOSED_ACTIVITY_STATUSES


def percent(share: Decimal | None) -> int | None:
    return None if share is None else int((share * 100).to_integral_value())
