"""Anyone finds the open data from the public page, and the page passes axe-core."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import expect

from opendata.datasets import DATASETS
from tests.swedish import sv


def test_the_open_data_page_is_found_from_the_public_page_and_accessible(
    page, live_server, demo_password, assert_accessible
):
    page.goto(live_server.url + reverse("public:results"))
    page.get_by_role("link", name=sv("Open data"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Open data"))
    # A header row, and a row per dataset with its two files.
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(len(DATASETS) + 1)
    # Each file's link names its dataset for a screen reader.
    csv = page.get_by_role("link", name=re.compile(rf"^CSV\W+{DATASETS[0].title_sv}$"))
    expect(csv).to_have_attribute("href", "/oppna-data/areas.csv")
    description = page.locator('link[rel="alternate"][type="application/ld+json"]')
    expect(description).to_have_attribute("href", f"{live_server.url}/oppna-data/dcat.jsonld")
    assert_accessible(page)
