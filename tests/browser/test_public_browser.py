"""Anyone reads what the dialogue led to, without logging in, in Swedish and in English."""

from __future__ import annotations

import os
import re
from io import StringIO

from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from smeportal.areas.seed import SIX_AREAS

HEADING = re.compile("Vad företagsdialogen ledde till|What the SME dialogue led to")


def test_an_anonymous_visitor_reads_the_public_page_in_both_languages(
    page, live_server, demo_password, assert_accessible
):
    call_command("seed_demo", stdout=StringIO())
    cache.clear()  # another test's page may be cached under the same summary's id

    page.goto(live_server.url + reverse("public:results"))

    assert page.url == live_server.url + reverse("public:results")  # no login page
    assert page.locator("html").get_attribute("lang") == "sv"
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING)
    for _slug, name, *_rest in SIX_AREAS:
        expect(page.get_by_role("heading", name=re.compile(re.escape(name)))).to_have_count(1)
    expect(page.locator("svg.bar-chart")).to_have_attribute("role", "img")
    main = page.locator("main")
    expect(main).to_contain_text("Bygglovslots för små företag")
    expect(page.get_by_role("link", name="Tillgänglighetsredogörelse")).to_be_visible()
    # No staff menu, no search box, no user.
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_have_count(0)
    expect(page.get_by_role("search")).to_have_count(0)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(
            path=os.path.join(os.environ["SCREENSHOT_DIR"], "public_sv.png"), full_page=True
        )
    assert_accessible(page)

    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt språk").click()
    page.wait_for_load_state()

    assert page.url == live_server.url + reverse("public:results")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("What the SME dialogue led to")
    expect(page.get_by_role("link", name="Accessibility statement")).to_be_visible()
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(
            path=os.path.join(os.environ["SCREENSHOT_DIR"], "public_en.png"), full_page=True
        )
    assert_accessible(page)

    # The skip link is the first stop and moves focus to the content.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


# Until the Swedish catalogue has the badge's texts, the page shows the English ones.
PUBLISHED = re.compile("Publicerad på den offentliga sidan|Published on the public page")


def test_the_council_sees_what_is_published_and_follows_it_to_the_public_page(
    page, live_server, login, assert_accessible
):
    call_command("seed_demo", stdout=StringIO())
    cache.clear()
    login("radsmedlem")

    page.goto(live_server.url + reverse("actionplan:plan_overview"))

    # A published goal and a published activity, each with the badge; an unpublished one without.
    goals = page.locator(".goal-list > li")
    expect(goals.filter(has=page.get_by_role("link", name=PUBLISHED)).first).to_be_visible()
    rows = page.locator("table.activity-table tbody tr")
    expect(rows.filter(has_not=page.get_by_role("link", name=PUBLISHED)).first).to_be_visible()
    row = rows.filter(has=page.get_by_role("link", name=PUBLISHED)).first
    badge = row.get_by_role("link", name=PUBLISHED)
    # Not colour alone: the badge's word is written, beside an icon.
    expect(badge).to_contain_text(re.compile("Publicerad|Published"))
    expect(badge.locator("svg")).to_have_count(1)
    title = row.locator("td").first.get_by_role("link").inner_text()
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(
            path=os.path.join(os.environ["SCREENSHOT_DIR"], "published_badge.png"), full_page=True
        )
    assert_accessible(page)

    badge.click()
    page.wait_for_load_state()

    assert page.url.startswith(live_server.url + reverse("public:results") + "#activity-")
    fragment = page.url.split("#", 1)[1]
    expect(page.locator(f"#{fragment}")).to_contain_text(title)
