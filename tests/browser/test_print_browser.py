"""What the council takes to its meetings: the pages print without the menu, forms and buttons,
each area of the dashboard on a page of its own."""

from __future__ import annotations

import datetime

from django.urls import reverse
from playwright.sync_api import expect

from reports.models import SummarySnapshot
from tests.factories import ActivityFactory, WorkshopFactory
from tests.reports.test_dashboard import make_summary


def test_pages_print_without_the_menu_and_buttons(login, live_server):
    SummarySnapshot.objects.create(
        taken_at=datetime.datetime.fromisoformat("2026-11-29T14:05:00+01:00"), data=make_summary()
    )
    activity = ActivityFactory(title="Bygglovslots")
    workshop = WorkshopFactory(title="Företagsdialog i november")
    page = login("radsmedlem")
    page.emulate_media(media="print")
    for url in (
        reverse("reports:dashboard"),
        reverse("actionplan:plan_overview"),
        reverse("actionplan:activity_detail", args=[activity.pk]),
        reverse("workshops:workshop_detail", args=[workshop.pk]),
    ):
        page.goto(live_server.url + url)
        expect(page.locator("h1"), url).to_be_visible()
        expect(page.locator(".portal-nav"), url).not_to_be_visible()
        expect(page.locator("header form").first, url).not_to_be_visible()
        assert page.locator("main .btn:visible").count() == 0, url
        assert page.locator("main form:visible").count() == 0, url
    page.goto(live_server.url + reverse("reports:dashboard"))
    breaks = page.locator(".area-summary").evaluate_all(
        "(cards) => cards.map((card) => getComputedStyle(card).breakBefore)"
    )
    assert breaks[0] != "page" and set(breaks[1:]) == {"page"}
    page.pdf(path="var/dashboard-print.pdf")
