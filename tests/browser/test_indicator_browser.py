"""A business developer records measurements of an indicator and finds the win in "Att fira"."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import Workbook
from playwright.sync_api import expect

from actionplan import measurement_import
from actionplan.choices import IndicatorStatus
from actionplan.progress import indicator_state
from smeportal.accounts.models import User
from tests.factories import IndicatorFactory

BASELINE = (datetime.date(2021, 6, 1), Decimal("3.3"))
TARGET = (datetime.date(2030, 6, 1), Decimal("4.0"))


def sv(text: str) -> str:
    """The Swedish interface text, as the catalogue has it when the test runs."""
    with translation.override("sv"):
        return gettext(text)


def expected_status(on: datetime.date, value: Decimal) -> str:
    state = indicator_state(
        baseline_value=BASELINE[1],
        baseline_date=BASELINE[0],
        target_value=TARGET[1],
        target_date=TARGET[0],
        measurements=[(on, value)],
        reporting_interval=12,
        as_of=timezone.localdate(),
    )
    with translation.override("sv"):
        return str(IndicatorStatus(state.status).label)


def test_developer_records_measurements_and_sees_the_celebration(
    login, live_server, assert_accessible
):
    page = login("utvecklare")
    indicator = IndicatorFactory(
        name="Sammanfattande omdöme, webbtest",
        unit="betyg 1–6",
        baseline_date=BASELINE[0],
        baseline_value=BASELINE[1],
        target_date=TARGET[0],
        target_value=TARGET[1],
        owner=User.objects.get(username="utvecklare"),
    )
    today = timezone.localdate()
    first_day = today - datetime.timedelta(days=30)

    page.goto(live_server.url + reverse("actionplan:indicator_detail", args=[indicator.pk]))
    expect(page.get_by_role("heading", name="Sammanfattande omdöme, webbtest")).to_be_visible()
    expect(
        page.get_by_role(
            "img", name=sv("%(name)s: measured values and target path") % {"name": indicator.name}
        )
    ).to_be_visible()

    measurement_url = reverse("actionplan:measurement_create", args=[indicator.pk])
    form = page.locator(f"form[action='{measurement_url}']")
    form.get_by_label(sv("Value")).fill("3,6")
    form.get_by_label(sv("Date")).fill(first_day.isoformat())
    form.get_by_label(sv("Comment")).fill("Enkäten i år")
    form.get_by_role("button", name=sv("Record measurement")).click()

    expect(page.get_by_text(sv("The measurement was recorded."))).to_be_visible()
    summary = page.locator(".indicator-summary")
    expect(summary.get_by_text(expected_status(first_day, Decimal("3.6"))).first).to_be_visible()
    expect(page.get_by_role("cell", name="3,6", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Enkäten i år")).to_be_visible()
    page.screenshot(path="var/indicator-detail.png", full_page=True)
    assert_accessible(page)

    form.get_by_label(sv("Value")).fill("4,1")
    form.get_by_label(sv("Date")).fill(today.isoformat())
    form.get_by_role("button", name=sv("Record measurement")).click()
    expect(
        page.get_by_text(sv("The target is reached! It has been added to “Att fira”."))
    ).to_be_visible()
    expect(summary.get_by_text(expected_status(today, Decimal("4.1"))).first).to_be_visible()

    page.goto(live_server.url + reverse("actionplan:celebration_list"))
    entry = page.get_by_role("listitem").filter(has_text="Sammanfattande omdöme, webbtest")
    expect(entry.get_by_role("heading", level=2)).to_be_visible()
    expect(entry.get_by_role("link", name="Sammanfattande omdöme, webbtest")).to_be_visible()
    page.screenshot(path="var/celebrations.png", full_page=True)
    assert_accessible(page)

    page.goto(live_server.url + reverse("actionplan:indicator_list"))
    row = page.get_by_role("row").filter(has_text="Sammanfattande omdöme, webbtest")
    expect(row.get_by_text("100\xa0%")).to_be_visible()
    page.screenshot(path="var/indicator-list.png", full_page=True)
    assert_accessible(page)

    page.goto(live_server.url + reverse("actionplan:measurement_import", args=[indicator.pk]))
    assert_accessible(page)
    # A file of earlier measurements: previewed first, imported on confirmation.
    page.get_by_label(sv("Excel file (.xlsx)")).set_input_files(
        files=[{"name": "matningar.xlsx", "mimeType": XLSX, "buffer": _measurements_file()}]
    )
    page.get_by_role("button", name=sv("Upload and preview")).click()
    expect(page.get_by_role("heading", name=sv("Preview of the import"))).to_be_visible()
    expect(page.get_by_text("2022-06-01 – 2023-06-01")).to_be_visible()
    page.screenshot(path="var/measurement-import-preview.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name=sv("Import"), exact=True).click()
    with translation.override("sv"):
        message = translation.ngettext(
            "%(count)s measurement was imported.", "%(count)s measurements were imported.", 2
        ) % {"count": 2}
    expect(page.get_by_text(message)).to_be_visible()
    assert indicator.measurements.count() == 4


def test_the_council_sees_a_stale_indicator_as_needing_an_update(
    login, live_server, assert_accessible
):
    """Ahead of its path when last measured, but that was 15 months ago for a yearly
    indicator: "Behöver uppdateras" in text beside its own shape, never "I fas"."""
    indicator = IndicatorFactory(
        name="Nöjd kund-index, gammalt värde",
        baseline_date=BASELINE[0],
        baseline_value=BASELINE[1],
        target_date=TARGET[0],
        target_value=TARGET[1],
        reporting_interval=12,
    )
    indicator.measurements.create(
        date=timezone.localdate() - datetime.timedelta(days=460), value=Decimal("3.9")
    )
    page = login("radsmedlem")
    label = sv("Needs updating")
    page.goto(live_server.url + reverse("actionplan:indicator_list"))
    row = page.get_by_role("row").filter(has_text="Nöjd kund-index, gammalt värde")
    status = row.locator(".indicator-status-behover_uppdateras")
    expect(status).to_have_text(label)
    assert status.locator("svg").count() == 1  # a shape beside the text, not colour alone
    assert row.get_by_text(sv("On track")).count() == 0
    assert_accessible(page)

    page.goto(live_server.url + reverse("actionplan:indicator_detail", args=[indicator.pk]))
    expect(page.locator(".indicator-summary").get_by_text(label).first).to_be_visible()
    expect(page.get_by_role("cell", name="3,9", exact=True)).to_be_visible()
    page.screenshot(path="var/indicator-stale.png", full_page=True)
    assert_accessible(page)


def test_the_owner_corrects_a_typo_and_removes_a_mistake(login, live_server, assert_accessible):
    owner = User.objects.get(username="utvecklare")
    indicator = IndicatorFactory(
        name="Företagsklimat, rättelse",
        baseline_date=BASELINE[0],
        baseline_value=BASELINE[1],
        target_date=TARGET[0],
        target_value=TARGET[1],
        owner=owner,
    )
    day = timezone.localdate() - datetime.timedelta(days=20)
    indicator.measurements.create(date=day, value=Decimal("36"))
    mistake = indicator.measurements.create(
        date=day - datetime.timedelta(days=1), value=Decimal("1")
    )
    page = login("utvecklare")
    page.goto(live_server.url + reverse("actionplan:indicator_detail", args=[indicator.pk]))
    page.get_by_role("link", name=f"Rätta mätningen av {day.isoformat()}").click()
    expect(page.get_by_role("heading", name=sv("Correct a measurement"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(sv("Value"), exact=False).fill("3,6")
    page.get_by_role("button", name=sv("Save the correction")).click()
    expect(
        page.get_by_text(
            sv("The measurement was corrected; the earlier value is kept in the history.")
        )
    ).to_be_visible()
    expect(page.get_by_role("cell", name="3,6", exact=True)).to_be_visible()

    page.get_by_role("link", name=f"Ta bort mätningen av {mistake.date.isoformat()}").click()
    expect(page.get_by_role("heading", name=sv("Remove a measurement"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=sv("Remove the measurement")).click()
    expect(page.get_by_role("cell", name=mistake.date.isoformat())).to_have_count(0)
    page.get_by_role("link", name=sv("Who changed what and when")).click()
    expect(page.get_by_text("36,00 → 3,60")).to_be_visible()
    page.screenshot(path="var/indicator-history.png", full_page=True)
    assert_accessible(page)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _measurements_file() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = measurement_import.DATA_SHEET
    sheet.append(list(measurement_import.HEADERS))
    sheet.append(["2022-06-01", "3,4", "Enkäten 2022"])
    sheet.append(["2023-06-01", "3,5", "Enkäten 2023"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
