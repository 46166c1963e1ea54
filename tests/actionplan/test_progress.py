"""The pure rules in actionplan.progress: roll-up, overdue, indicator progress and status."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from actionplan.choices import ActivityStatus, IndicatorStatus
from actionplan.progress import (
    ActivityFacts,
    indicator_progress,
    indicator_state,
    is_overdue,
    months_before,
    needs_update,
    rolled_up_progress,
    status_date,
)

ONGOING, DONE, CANCELLED = ActivityStatus.ONGOING, ActivityStatus.DONE, ActivityStatus.CANCELLED


def facts(pk, *, parent=None, status=ONGOING, manual=0, milestones=()):
    return ActivityFacts(pk, parent, status, manual, len(milestones), sum(milestones))


# --- Roll-up of activities ----------------------------------------------------------------------


def test_milestones_only_give_the_share_done():
    assert rolled_up_progress([facts(1, manual=90, milestones=(True, False, False, True))]) == {
        1: 50
    }


def test_sub_activities_only_give_the_mean_of_their_progress():
    result = rolled_up_progress(
        [facts(1, manual=5), facts(2, parent=1, manual=20), facts(3, parent=1, status=DONE)]
    )
    assert result == {1: 60, 2: 20, 3: 100}


def test_milestones_and_sub_activities_count_as_items_together():
    result = rolled_up_progress([facts(1, milestones=(True, False)), facts(2, parent=1, manual=50)])
    # (100 + 0 + 50) / 3
    assert result[1] == 50


def test_roll_up_goes_through_several_levels():
    result = rolled_up_progress(
        [facts(1), facts(2, parent=1, milestones=(True, True, False, False)), facts(3, parent=2)]
    )
    assert result[3] == 0
    assert result[2] == 40  # (100 + 100 + 0 + 0 + 0) / 5
    assert result[1] == 40


def test_a_done_activity_is_100_whatever_its_items_say():
    result = rolled_up_progress([facts(1, status=DONE, milestones=(False, False))])
    assert result == {1: 100}


def test_cancelled_sub_activities_are_left_out():
    result = rolled_up_progress(
        [
            facts(1, milestones=(True,)),
            facts(2, parent=1, status=CANCELLED, manual=0),
        ]
    )
    assert result[1] == 100


def test_without_items_the_hand_set_progress_counts():
    assert rolled_up_progress([facts(1, manual=35)]) == {1: 35}


def test_only_cancelled_children_fall_back_to_the_hand_set_progress():
    result = rolled_up_progress([facts(1, manual=15), facts(2, parent=1, status=CANCELLED)])
    assert result[1] == 15


# --- Overdue -----------------------------------------------------------------------------------

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("due", "status", "expected"),
    [
        (TODAY - timedelta(days=1), ActivityStatus.ONGOING, True),
        (TODAY - timedelta(days=1), ActivityStatus.PLANNED, True),
        (TODAY - timedelta(days=1), ActivityStatus.PAUSED, True),
        (TODAY - timedelta(days=1), ActivityStatus.DONE, False),
        (TODAY - timedelta(days=1), ActivityStatus.CANCELLED, False),
        (TODAY, ActivityStatus.ONGOING, False),
        (None, ActivityStatus.ONGOING, False),
    ],
)
def test_overdue_means_past_due_and_not_closed(due, status, expected):
    assert is_overdue(due, status, TODAY) is expected


# --- Indicators --------------------------------------------------------------------------------


def test_progress_when_higher_is_better():
    # Svenskt Näringsliv's grade: 3.3 → 3.4 of the way to 4.0.
    share = indicator_progress(Decimal("3.3"), Decimal("4.0"), Decimal("3.4"))
    assert share.quantize(Decimal("0.001")) == Decimal("0.143")


def test_progress_when_lower_is_better():
    # The ranking: place 206 → 169 of the way to place 1.
    share = indicator_progress(Decimal("206"), Decimal("1"), Decimal("169"))
    assert share == Decimal(37) / Decimal(205)


@pytest.mark.parametrize(
    ("baseline", "target", "latest", "expected"),
    [
        ("3.3", "4.0", "4.5", 1),  # beyond the target
        ("3.3", "4.0", "3.0", 0),  # below the baseline
        ("206", "1", "1", 1),
        ("206", "1", "250", 0),  # worse place than at the start
    ],
)
def test_progress_is_clamped_between_baseline_and_target(baseline, target, latest, expected):
    assert indicator_progress(Decimal(baseline), Decimal(target), Decimal(latest)) == expected


def test_no_measurement_means_no_data():
    state = indicator_state(
        baseline_value=Decimal("77"),
        baseline_date=date(2021, 12, 31),
        target_value=Decimal("80"),
        target_date=date(2027, 12, 31),
        measurements=[],
        reporting_interval=12,
        as_of=date(2026, 11, 29),
    )
    assert state.status == IndicatorStatus.NO_DATA
    assert state.progress is None
    assert not state.target_reached


BASE_DAY = date(2020, 1, 1)


def _state(
    value: str,
    direction_lower: bool = False,
    *,
    reporting_interval: int | None = None,
    as_of: date | None = None,
):
    """Halfway in time (expected share 0.5) from 0 towards 100 (or from 100 towards 0); with
    no reporting interval and date, the status of the value alone."""
    baseline, target = (Decimal(100), Decimal(0)) if direction_lower else (Decimal(0), Decimal(100))
    return indicator_state(
        baseline_value=baseline,
        baseline_date=BASE_DAY,
        target_value=target,
        target_date=BASE_DAY + timedelta(days=100),
        measurements=[
            (BASE_DAY + timedelta(days=10), Decimal(1)),
            (BASE_DAY + timedelta(days=50), Decimal(value)),
        ],
        reporting_interval=reporting_interval,
        as_of=as_of,
    )


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("60", IndicatorStatus.ON_TRACK),
        ("50", IndicatorStatus.ON_TRACK),  # exactly on the path
        ("40", IndicatorStatus.AT_RISK),  # exactly ten points behind
        ("45", IndicatorStatus.AT_RISK),
        ("39.99", IndicatorStatus.BEHIND),
    ],
)
def test_status_boundaries(value, status):
    state = _state(value)
    assert state.expected == Decimal("0.5")
    assert state.status == status
    assert state.latest_value == Decimal(value)  # the latest by date, not the last given


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("50", IndicatorStatus.ON_TRACK),
        ("60", IndicatorStatus.AT_RISK),
        ("61", IndicatorStatus.BEHIND),
    ],
)
def test_status_boundaries_when_lower_is_better(value, status):
    assert _state(value, direction_lower=True).status == status


def test_target_reached_only_at_the_target():
    assert _state("100").target_reached
    assert not _state("99.99").target_reached


# --- Needs an update ---------------------------------------------------------------------------


LATEST_DAY = BASE_DAY + timedelta(days=50)  # 2020-02-20, the latest measurement of _state()


@pytest.mark.parametrize("value", ["100", "60", "45", "10"])
def test_a_value_older_than_the_interval_needs_updating_whatever_it_was(value):
    """On track, at risk, behind or even at the target then: a month later, for a monthly
    indicator, the status is that it needs updating. The rest still reads the value."""
    state = _state(value, reporting_interval=1, as_of=date(2020, 3, 21))
    assert state.status == IndicatorStatus.NEEDS_UPDATE
    assert state.latest_value == Decimal(value) and state.latest_date == LATEST_DAY
    assert state.progress == Decimal(value) / 100
    assert state.target_reached is (value == "100")


def test_a_value_within_the_interval_keeps_its_status():
    assert _state("60", reporting_interval=1, as_of=date(2020, 3, 20)).status == (
        IndicatorStatus.ON_TRACK
    )
    assert _state("60", reporting_interval=12, as_of=date(2021, 2, 20)).status == (
        IndicatorStatus.ON_TRACK
    )
    assert _state("60", reporting_interval=12, as_of=date(2021, 2, 21)).status == (
        IndicatorStatus.NEEDS_UPDATE
    )


@pytest.mark.parametrize(
    ("period_end", "expected"),
    [
        (None, date(2026, 11, 29)),  # no end: today
        (date(2027, 12, 31), date(2026, 11, 29)),  # the period runs on: today
        (date(2025, 12, 31), date(2025, 12, 31)),  # a past period: its end
    ],
)
def test_a_report_judges_freshness_at_the_end_of_its_period(period_end, expected):
    assert status_date(period_end, date(2026, 11, 29)) == expected


@pytest.mark.parametrize(
    ("latest", "interval", "today", "expected"),
    [
        (None, 12, date(2026, 11, 29), True),
        (date(2025, 11, 29), 12, date(2026, 11, 29), False),  # exactly a year
        (date(2025, 11, 28), 12, date(2026, 11, 29), True),
        (date(2026, 2, 28), 1, date(2026, 3, 31), False),  # month end: 31 March → 28 February
        (date(2026, 2, 27), 1, date(2026, 3, 31), True),
        (date(2024, 2, 29), 1, date(2024, 3, 31), False),  # leap year
        (date(2026, 2, 28), 3, date(2026, 5, 31), False),
        (date(2026, 2, 27), 3, date(2026, 5, 31), True),
        (date(2025, 12, 31), 6, date(2026, 6, 30), False),  # over a year boundary
    ],
)
def test_needs_update_within_the_reporting_interval(latest, interval, today, expected):
    assert needs_update(latest, interval, today) is expected


def test_months_before_clamps_to_the_last_day_of_the_month():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 31), 2) == date(2025, 11, 30)
    assert months_before(date(2026, 11, 29), 12) == date(2025, 11, 29)
