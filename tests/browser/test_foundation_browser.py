"""Log in as each demo role in a real browser, switch language, and run axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.swedish import sv

NAVIGATION = {
    "utvecklare": [
        "Start",
        "Översikt",
        "Företag",
        "Intervjuer",
        "Synpunkter",
        "Mina uppföljningar",
        "Workshoppar",
        "Handlingsplan",
        "Rapporter",
        "Ni sa – vi gjorde",
        # The demo's business developer is also its registrar.
        "Allmänna handlingar",
        "E-arkiv",
    ],
    "processledare": [
        "Start",
        "Översikt",
        "Synpunkter",
        "Workshoppar",
        "Handlingsplan",
        "Rapporter",
    ],
    "radsmedlem": ["Start", "Översikt", "Workshoppar", "Handlingsplan", "Rapporter"],
    "admin": [
        "Start",
        "Översikt",
        "Företag",
        "Intervjuer",
        "Synpunkter",
        "Mina uppföljningar",
        "Workshoppar",
        "Handlingsplan",
        "Rapporter",
        "Ni sa – vi gjorde",
        "Allmänna handlingar",
        "E-arkiv",
        "Prioriterade områden",
        "Användare",
        "Granskningslogg",
        "E-post",
        sv("Open data"),
    ],
}


def test_login_page_is_accessible(page, live_server, assert_accessible):
    page.goto(f"{live_server.url}/konto/logga-in/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert_accessible(page)


@pytest.mark.parametrize("username", list(NAVIGATION))
def test_each_demo_role_logs_in_and_sees_its_start_page(login, username, assert_accessible):
    page = login(username)
    menu = page.get_by_role("navigation", name="Huvudmeny")
    assert menu.get_by_role("link").all_inner_texts() == NAVIGATION[username]
    expect(page.get_by_role("heading", name="De sex prioriterade områdena")).to_be_visible()
    assert page.locator(".area-card").count() == 6
    assert_accessible(page)


def test_switching_language_with_the_keyboard(login, assert_accessible):
    page = login("utvecklare")
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt språk").press("Enter")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", name="The six priority areas")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Language").select_option("sv")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", name="De sex prioriterade områdena")).to_be_visible()


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(login):
    page = login("admin")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till huvudinnehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
