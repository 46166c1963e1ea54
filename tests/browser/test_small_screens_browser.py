"""A phone and a laptop: the main menu folds on the phone, and a wide table scrolls visibly with
its first column kept, keyboard included."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import GoalFactory, IndicatorFactory


def test_on_a_phone_the_menu_folds_behind_a_button(login, live_server, assert_accessible):
    page = login("utvecklare")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("interviews:interview_list"))
    menu = page.get_by_role("navigation", name="Huvudmeny")
    toggle = menu.get_by_role("button", name="Meny")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu.get_by_role("link", name="Företag")).to_be_hidden()
    # The page starts near the top: the folded menu takes one line.
    assert page.locator("h1").bounding_box()["y"] < 300
    assert_accessible(page)
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Företag")).to_be_visible()
    page.screenshot(path="var/phone-menu.png", full_page=False)
    assert_accessible(page)
    menu.get_by_role("link", name="Företag").click()
    expect(page).to_have_url(live_server.url + reverse("interviews:company_list"))

    # On a wide screen the menu is simply there.
    page.set_viewport_size({"width": 1366, "height": 768})
    expect(menu.get_by_role("button", name="Meny")).to_be_hidden()
    expect(menu.get_by_role("link", name="Intervjuer")).to_be_visible()


def test_a_wide_table_scrolls_visibly_and_keeps_its_first_column(
    login, live_server, assert_accessible
):
    indicator = IndicatorFactory(name="Sammanfattande omdöme om företagsklimatet i kommunen")
    for number in range(3):
        GoalFactory(
            title=f"Ett långt mål nummer {number} om fler och växande företag"
        ).indicators.add(indicator)
    page = login("utvecklare")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("actionplan:indicator_list"))
    box = page.locator(".table-responsive").first
    expect(page.get_by_text("Rulla i sidled för att se alla kolumner.").first).to_be_visible()
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_attribute("role", "region")
    first_cell = box.locator("tbody tr").first.locator("td, th").first
    before = first_cell.bounding_box()["x"]
    box.focus()
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")
    box.evaluate("(element) => { element.scrollLeft = element.scrollWidth; }")
    assert box.evaluate("(element) => element.scrollLeft") > 0
    assert abs(first_cell.bounding_box()["x"] - before) < 2  # the first column stays
    page.screenshot(path="var/phone-wide-table.png", full_page=False)
    assert_accessible(page)


def test_on_a_phone_the_fast_entry_link_is_in_view(login, live_server, assert_accessible):
    from tests.factories import WorkshopFactory, WorkshopGroupFactory

    workshop = WorkshopFactory(title="Företagsdialog i maj")
    group = WorkshopGroupFactory(workshop=workshop, name="Bord 7")
    page = login("processledare")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("workshops:workshop_detail", args=[workshop.pk]))
    link = page.get_by_role("link", name="Skriv in förslag – Bord 7")
    link.scroll_into_view_if_needed()
    box = link.bounding_box()
    assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= 390
    assert_accessible(page)
    link.click()
    expect(page).to_have_url(live_server.url + reverse("workshops:fast_entry", args=[group.pk]))
