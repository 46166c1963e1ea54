"""The decision's due date: working days after receipt, around Swedish holidays."""

from __future__ import annotations

from datetime import date

import pytest

from records.workdays import add_working_days, decision_due, is_working_day


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 11, 2), date(2026, 11, 4)),  # Monday: Wednesday
        (date(2026, 11, 5), date(2026, 11, 9)),  # Thursday: over the weekend to Monday
        (date(2026, 11, 7), date(2026, 11, 10)),  # Saturday: Monday is the first day
        # Midsummer: the eve (Friday 19 June) and the day are no working days.
        (date(2026, 6, 18), date(2026, 6, 23)),
        # Easter: Good Friday and Easter Monday.
        (date(2026, 4, 2), date(2026, 4, 8)),
        # Christmas and New Year: the eves count as holidays too.
        (date(2026, 12, 23), date(2026, 12, 29)),
        (date(2026, 12, 30), date(2027, 1, 5)),
        # Epiphany (Wednesday 6 January 2027) and the National Day (Saturday 6 June 2026).
        (date(2027, 1, 5), date(2027, 1, 8)),
        # Ascension Day (Thursday 14 May 2026).
        (date(2026, 5, 13), date(2026, 5, 18)),
    ],
)
def test_the_decision_is_due_two_working_days_after_receipt(received, due):
    assert decision_due(received) == due


def test_the_number_of_working_days_is_a_setting(settings):
    settings.RECORDS_DECISION_WORKING_DAYS = 5
    assert decision_due(date(2026, 11, 2)) == date(2026, 11, 9)


def test_sundays_and_saturdays_are_never_working_days_and_an_ordinary_monday_is():
    assert not is_working_day(date(2026, 11, 1))
    assert not is_working_day(date(2026, 10, 31))  # a Saturday and All Saints' Day
    assert is_working_day(date(2026, 11, 2))
    assert add_working_days(date(2026, 11, 2), 0) == date(2026, 11, 2)
