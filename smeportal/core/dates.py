"""Plausible dates: one rule for every date a user types, filters on or imports.

A date field takes any year from 1 to 9999, and the day before year 1 or after 9999 does not
exist: a filter "from 0001-01-01" or an interview in year 9999 made date arithmetic overflow
(a 500). Nothing the portal records happened before the 1990s or is planned beyond 2100, so
every date is bounded to those years; what has already happened (an interview, a measurement)
also cannot lie in the future. Models carry the validators (their forms and full_clean() check
them); plain forms and filters use the fields below; imports call the same validators.
"""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)


def validate_plausible_date(value: date) -> None:
    """No date before 1990 or after 2100."""
    if not EARLIEST <= value <= LATEST:
        raise ValidationError(
            _("Enter a date from %(earliest)s to %(latest)s."),
            code="implausible_date",
            params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )


def validate_past_date(value: date, *, today: date | None = None) -> None:
    """A plausible date that is not after today (Swedish time): something that has happened.

    An import checking thousands of dates passes `today`, read once for the whole file.
    """
    validate_plausible_date(value)
    if value > (today or timezone.localdate()):
        raise ValidationError(_("The date is in the future."), code="future_date")


class DateInput(forms.DateInput):
    """The browser's date picker, limited to the plausible years (the server checks again)."""

    input_type = "date"

    def __init__(self, attrs=None):
        bounds = {"min": EARLIEST.isoformat(), "max": LATEST.isoformat()}
        super().__init__({**bounds, **(attrs or {})}, format="%Y-%m-%d")


class PlausibleDateField(forms.DateField):
    """A form's date from 1990 to 2100."""

    widget = DateInput
    default_validators = [validate_plausible_date]


class PastDateField(forms.DateField):
    """A form's date from 1990 to today."""

    widget = DateInput
    default_validators = [validate_past_date]


class PlausibleDateFilter(django_filters.DateFilter):
    """django-filter's DateFilter with the same bounds."""

    field_class = PlausibleDateField
