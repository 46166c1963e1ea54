"""One rule for every date: 1990 to 2100, and not in the future for what has happened."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from smeportal.core.dates import (
    PastDateField,
    PlausibleDateField,
    validate_past_date,
    validate_plausible_date,
)


@pytest.mark.parametrize("value", [date(1990, 1, 1), date(2025, 11, 11), date(2100, 12, 31)])
def test_plausible_dates_pass(value):
    validate_plausible_date(value)


@pytest.mark.parametrize(
    "value", [date(1, 1, 1), date(1989, 12, 31), date(2101, 1, 1), date(9999, 12, 31)]
)
def test_implausible_dates_are_refused_in_swedish(value):
    with pytest.raises(ValidationError) as refused:
        validate_plausible_date(value)
    assert refused.value.messages == ["Ange ett datum från 1990-01-01 till 2100-12-31."]


def test_a_past_date_may_be_today_but_not_tomorrow():
    today = timezone.localdate()
    validate_past_date(today)
    with pytest.raises(ValidationError) as refused:
        validate_past_date(today + timedelta(days=1))
    assert refused.value.messages == ["Datumet ligger i framtiden."]


def test_the_form_fields_refuse_year_one_and_9999_with_a_message_not_an_error():
    for field in (PlausibleDateField(), PastDateField()):
        for typed in ("0001-01-01", "9999-12-31"):
            with pytest.raises(ValidationError):
                field.clean(typed)


def test_the_date_picker_offers_the_same_years():
    html = PlausibleDateField().widget.render("date", None)
    assert 'type="date"' in html
    assert 'min="1990-01-01"' in html
    assert 'max="2100-12-31"' in html
