"""A business developer creates a personal API token, a program uses it, the developer revokes
it; anyone reads the API's documentation page."""

from __future__ import annotations

import os
import re

from django.urls import reverse
from playwright.sync_api import expect


def test_a_developer_creates_uses_and_revokes_a_token(page, live_server, login, assert_accessible):
    login("utvecklare")
    page.get_by_role("link", name="API-nycklar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API-nycklar")
    assert_accessible(page)

    page.get_by_label("Namn").fill("Power BI, rådets rapport")
    page.get_by_label("Giltig i").select_option("30")
    page.get_by_role("button", name="Skapa nyckeln").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Din nya API-nyckel")
    secret = page.get_by_label("Nyckel").input_value()
    assert re.fullmatch(r"smp_[A-Za-z0-9_-]{40,}", secret)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "api_token.png"))
    assert_accessible(page)

    # A program calls the API over HTTP with the token (no cookie of the browser's session).
    url = live_server.url + reverse("api:plan-list")
    answer = page.context.browser.new_context().request.get(
        url, headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status == 200
    assert "results" in answer.json()

    page.get_by_role("link", name="Tillbaka till dina API-nycklar").click()
    row = page.get_by_role("row", name=re.compile("Power BI, rådets rapport"))
    expect(row).to_contain_text(secret[:12])
    expect(row).not_to_contain_text(secret)
    row.get_by_role("button", name=re.compile("Återkalla")).click()
    expect(page.get_by_role("status")).to_contain_text("är återkallad")
    expect(page.get_by_role("row", name=re.compile("Power BI"))).to_contain_text("Återkallad")
    refused = page.context.browser.new_context().request.get(
        url, headers={"Authorization": f"Bearer {secret}"}
    )
    assert refused.status == 401


def test_anyone_reads_the_documentation_of_the_api(page, live_server, assert_accessible):
    page.goto(live_server.url + reverse("api:docs"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Portalens API (version 1)")
    expect(page.get_by_role("heading", name="Publicerade data (öppna för alla)")).to_be_visible()
    expect(page.locator("main")).to_contain_text("/api/v1/public/indicators/")
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "api_docs.png"))
    assert_accessible(page)
    schema = page.context.request.get(live_server.url + reverse("api:schema") + "?format=json")
    assert schema.status == 200
    assert schema.json()["openapi"].startswith("3.")
