"""A council member opens the dashboard and reads the six priority areas."""

from __future__ import annotations

import datetime
import os

from django.urls import reverse
from playwright.sync_api import expect

from reports.models import SummarySnapshot
from smeportal.areas.seed import SIX_AREAS
from tests.reports.test_dashboard import make_summary


def test_council_member_reads_the_dashboard(login, live_server, assert_accessible):
    SummarySnapshot.objects.create(
        taken_at=datetime.datetime.fromisoformat("2026-11-29T14:05:00+01:00"),
        data=make_summary(scale=2),
    )
    page = login("radsmedlem")
    page.goto(live_server.url + reverse("reports:dashboard"))

    cards = page.locator("article.area-summary")
    expect(cards).to_have_count(6)
    for card, (_slug, name, *_rest) in zip(cards.all(), SIX_AREAS, strict=True):
        expect(card.get_by_role("heading")).to_contain_text(name)
    chart = page.locator("svg.bar-chart")
    expect(chart).to_have_attribute("role", "img")
    expect(chart.locator("text", has_text="1. " + SIX_AREAS[0][1])).to_have_count(1)
    expect(page.locator("#area-comparison tbody tr")).to_have_count(6)
    expect(page.locator("main")).to_contain_text("29 november 2026")

    # The values of an indicator open from their summary, without JavaScript of our own.
    details = page.locator("details").first
    details.locator("summary").click()
    expect(details.locator("table")).to_be_visible()

    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(
            path=os.path.join(os.environ["SCREENSHOT_DIR"], "dashboard.png"), full_page=True
        )
    assert_accessible(page)


def test_council_chooses_a_period_and_staff_build_its_figures(
    login, live_server, assert_accessible
):
    """The council picks a calendar year that has no summary and is told who can make one; a
    business developer types a range of their own, builds its figures from the dashboard and
    reads them there."""
    from tests.factories import ActionPlanFactory, InterviewFactory

    SummarySnapshot.objects.create(
        taken_at=datetime.datetime.fromisoformat("2026-11-29T14:05:00+01:00"),
        data=make_summary(scale=2),
    )
    InterviewFactory(date=datetime.date(2025, 5, 4))
    ActionPlanFactory(title="Handlingsplan för företagsklimatet", start_year=2025, end_year=2026)

    page = login("radsmedlem")
    page.goto(live_server.url + reverse("reports:dashboard"))
    period = page.get_by_label("Period", exact=True)
    expect(period.locator("optgroup[label='Handlingsplaner'] option")).to_have_count(3)
    period.select_option(label="2025: år 1 av Handlingsplan för företagsklimatet")
    page.get_by_role("button", name="Visa period").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Det finns ännu ingen sammanställning för ”2025: år 1 av")
    expect(status).to_contain_text("En näringslivsutvecklare eller administratör kan ta fram den")
    expect(page.get_by_role("button", name="Ta fram siffrorna för perioden")).to_have_count(0)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "dashboard-period.png"))
    assert_accessible(page)

    page.context.clear_cookies()
    page = login("utvecklare")
    page.goto(live_server.url + reverse("reports:dashboard"))
    page.get_by_label("Från och med", exact=True).fill("2025-03-01")
    page.get_by_label("Till och med", exact=True).fill("2025-06-30")
    # Typing a date chose "a range of my own" in the list.
    expect(page.get_by_label("Period", exact=True)).to_have_value("egen")
    page.get_by_role("button", name="Visa period").click()
    expect(page.get_by_role("status")).to_contain_text("2025-03-01 – 2025-06-30")
    page.get_by_role("button", name="Ta fram siffrorna för perioden").click()

    # The report is built (in-process here; by a worker in production) and links back.
    expect(page.locator("#run-status")).to_contain_text("Klar")
    page.get_by_role("link", name="Översikten för perioden").click()
    expect(page.locator(".dashboard-taken")).to_contain_text("för: 2025-03-01 – 2025-06-30")
    expect(page.locator("article.area-summary")).to_have_count(6)
    expect(page.get_by_label("Period", exact=True)).to_have_value("2025-03-01_2025-06-30")
    assert_accessible(page)
