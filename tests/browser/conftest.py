"""Playwright driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
import secrets

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from smeportal.accounts.demo import demo_users_ensure
from smeportal.areas.seed import areas_seed

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Playwright's sync API runs an event loop in this thread; the ORM calls our fixtures make
# around it are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `apt-get install chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def demo_password(transactional_db):
    """The demo users and areas, recreated after the live server's database flushes."""
    password = secrets.token_urlsafe(12)
    areas_seed()
    demo_users_ensure(password=password)
    return password


@pytest.fixture
def login(page, live_server, demo_password):
    def do_login(username: str):
        page.goto(f"{live_server.url}/konto/logga-in/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(demo_password)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return do_login


@pytest.fixture(scope="session")
def axe():
    return Axe()


# Resolves when the page's CSS transitions and finite animations have ended: a button fading
# back from its hover colours once the pointer left it was measured mid-way (axe read a
# contrast of 4.28 on CI). Endless ones (a spinner) are not waited for.
SETTLED = """() => Promise.all(
    document.getAnimations()
        .filter((animation) => animation.effect?.getTiming().iterations !== Infinity)
        .map((animation) => animation.finished.catch(() => null))
).then(() => null)"""


@pytest.fixture
def assert_accessible(axe):
    def check(page):
        page.evaluate(SETTLED)
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()

    return check
