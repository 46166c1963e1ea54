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
