"""Working days in Sweden, for the date a request's decision is due.

A request must be answered promptly (skyndsamt); the portal sets the decision's due date a
configurable number of working days after receipt (RECORDS_DECISION_WORKING_DAYS). Not working
days: Saturdays and Sundays, the public holidays (lag 1989:253 om allmänna helgdagar, from the
`holidays` package, asked without its Sundays, since weekends are handled here), and
midsommarafton, julafton and nyårsafton, which lag (1930:173) om beräkning av lagstadgad tid
counts as holidays.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays
from django.conf import settings


@cache
def _holidays(year: int) -> frozenset[date]:
    public = holidays.Sweden(years=year, include_sundays=False)
    days = set(public)
    # Midsummer Day is the Saturday between 20 and 26 June; its eve is the Friday before.
    midsummer = next(day for day, name in public.items() if day.month == 6 and day.day >= 20)
    days.update({midsummer - timedelta(days=1), date(year, 12, 24), date(year, 12, 31)})
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (the day itself does not count)."""
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def decision_due(received_on: date) -> date:
    return add_working_days(received_on, settings.RECORDS_DECISION_WORKING_DAYS)
