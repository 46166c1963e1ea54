"""Correcting and removing a recorded measurement (actionplan.views.measurements): the history
keeps what it was, who changed it, and the removed ones."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time

from actionplan.choices import CelebrationKind
from actionplan.models import Celebration, Measurement
from tests.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2025-09-01"):
        yield


@pytest.fixture
def indicator():
    return IndicatorFactory(
        name="Sammanfattande omdöme",
        baseline_value=Decimal("3.3"),
        baseline_date=datetime.date(2021, 6, 1),
        target_value=Decimal("4.0"),
        target_date=datetime.date(2030, 6, 1),
    )


def measure(indicator, on: str, value: str) -> Measurement:
    return MeasurementFactory(
        indicator=indicator, date=datetime.date.fromisoformat(on), value=Decimal(value)
    )


def correct_url(measurement) -> str:
    return reverse("actionplan:measurement_update", args=[measurement.pk])


def remove_url(measurement) -> str:
    return reverse("actionplan:measurement_delete", args=[measurement.pk])


def test_a_correction_keeps_the_earlier_value_in_the_history(developer_client, developer):
    indicator = IndicatorFactory()
    typo = measure(indicator, "2025-06-01", "36")
    form = developer_client.get(correct_url(typo)).content.decode()
    assert 'value="36,00"' in form or 'value="36"' in form  # the recorded value to correct
    response = developer_client.post(
        correct_url(typo),
        {"value": "3,6", "date": "2025-05-31", "comment": "Skrivfel"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith("#measurements")
    body = response.content.decode()
    assert "Mätningen rättades; det tidigare värdet finns kvar i historiken." in body
    typo.refresh_from_db()
    assert (typo.value, typo.date, typo.comment) == (
        Decimal("3.6"),
        datetime.date(2025, 5, 31),
        "Skrivfel",
    )
    versions = list(typo.history.order_by("history_date").values_list("value", "history_user"))
    assert versions == [(Decimal("36"), None), (Decimal("3.6"), developer.pk)]
    history = developer_client.get(
        reverse("actionplan:indicator_history", args=[indicator.pk])
    ).content.decode()
    assert "Ändrad (mätning)" in history
    assert "<strong>Värde:</strong> 36,00 → 3,60" in history  # Swedish numbers
    assert "2025-06-01 → 2025-05-31" in history


def test_a_correction_is_checked_as_a_new_measurement_is(developer_client, indicator):
    first = measure(indicator, "2025-06-01", "3.6")
    measure(indicator, "2025-07-01", "3.7")
    # Its own date is no clash; another measurement's is.
    same_day = developer_client.post(correct_url(first), {"value": "3,5", "date": "2025-06-01"})
    assert same_day.status_code == 302
    clash = developer_client.post(correct_url(first), {"value": "3,5", "date": "2025-07-01"})
    assert clash.status_code == 400
    assert "Det finns redan en mätning 2025-07-01" in clash.content.decode()
    future = developer_client.post(correct_url(first), {"value": "3,5", "date": "2026-01-01"})
    assert future.status_code == 400
    assert "Datumet ligger i framtiden." in future.content.decode()
    bad = developer_client.post(correct_url(first), {"value": "tre", "date": "2025-06-01"})
    assert bad.status_code == 400
    first.refresh_from_db()
    assert (first.value, first.date) == (Decimal("3.5"), datetime.date(2025, 6, 1))


def test_a_correction_that_reaches_the_target_is_celebrated(developer_client, indicator):
    measurement = measure(indicator, "2025-06-01", "3.6")
    developer_client.post(correct_url(measurement), {"value": "4,1", "date": "2025-06-01"})
    assert Celebration.objects.filter(
        indicator=indicator, kind=CelebrationKind.TARGET_REACHED
    ).exists()


def test_removing_asks_first_and_the_history_still_shows_it(developer_client, indicator):
    kept = measure(indicator, "2025-05-01", "3.5")
    wrong = measure(indicator, "2025-06-01", "9.9")
    confirm = developer_client.get(remove_url(wrong))
    assert confirm.status_code == 200
    assert "Ta bort mätningen av 2025-06-01" in confirm.content.decode()
    assert Measurement.objects.filter(pk=wrong.pk).exists()  # a GET removes nothing

    response = developer_client.post(remove_url(wrong), follow=True)
    assert "Mätningen av 2025-06-01 togs bort; historiken visar den fortfarande." in (
        response.content.decode()
    )
    assert list(indicator.measurements.all()) == [kept]
    assert Measurement.history.filter(id=wrong.pk, history_type="-").exists()
    page = developer_client.get(reverse("actionplan:indicator_detail", args=[indicator.pk]))
    assert page.context["overview"].state.latest_value == Decimal("3.5")
    assert developer_client.post(remove_url(wrong)).status_code == 404


def test_the_council_neither_changes_measurements_nor_reads_who_did(council_client, indicator):
    measurement = measure(indicator, "2025-06-01", "3.6")
    assert council_client.get(correct_url(measurement)).status_code == 403
    assert council_client.post(remove_url(measurement)).status_code == 403
    history = reverse("actionplan:indicator_history", args=[indicator.pk])
    assert council_client.get(history).status_code == 403
    page = council_client.get(reverse("actionplan:indicator_detail", args=[indicator.pk]))
    body = page.content.decode()
    assert correct_url(measurement) not in body and history not in body
    assert Measurement.objects.filter(pk=measurement.pk).exists()


def test_the_indicator_page_links_each_measurement_to_its_correction(developer_client, indicator):
    measurement = measure(indicator, "2025-06-01", "3.6")
    body = developer_client.get(
        reverse("actionplan:indicator_detail", args=[indicator.pk])
    ).content.decode()
    assert correct_url(measurement) in body and remove_url(measurement) in body
    assert 'Rätta<span class="visually-hidden"> mätningen av 2025-06-01</span>' in body
