"""A facilitator types a group's proposals with the keyboard only, then tallies the dot votes."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import expect

from smeportal.areas.models import PriorityArea
from tests.factories import WorkshopFactory, WorkshopGroupFactory
from workshops.models import Proposal

# (title, arrow keys pressed on the actor radios, the actor that ends up chosen)
PROPOSALS = [
    ("Ett telefonnummer för alla företagsärenden", ["ArrowRight", "ArrowLeft"], "kommunen"),
    ("Företagare som mentorer för nystartade", ["ArrowRight"], "naringslivet"),
    ("Gemensam bygglovsdag varje kvartal", ["ArrowRight", "ArrowRight"], "tillsammans"),
]


def test_facilitator_enters_proposals_by_keyboard_and_tallies_votes(
    login, live_server, assert_accessible
):
    workshop = WorkshopFactory(title="Företagsdialog 11 november")
    group = WorkshopGroupFactory(
        workshop=workshop, name="Bord 3", area=PriorityArea.objects.get(order=3)
    )
    page = login("processledare")

    page.goto(live_server.url + reverse("workshops:fast_entry", args=[group.pk]))
    title = page.locator("#id_title")
    items = page.locator("#fast-entry-proposals li")
    expect(title).to_be_focused()
    expect(items).to_have_count(0)

    for number, (text, arrows, actor) in enumerate(PROPOSALS, start=1):
        page.keyboard.type(text)
        page.keyboard.press("Tab")
        expect(page.locator("#id_actor_0")).to_be_focused()
        for key in arrows:
            page.keyboard.press(key)
        expect(page.locator(f"input[name='actor'][value='{actor}']")).to_be_checked()
        page.keyboard.press("Enter")
        expect(items).to_have_count(number)
        expect(items.first).to_contain_text(text)  # newest first
        expect(title).to_be_focused()
        expect(title).to_have_value("")
        expect(page.locator("#fast-entry-status")).to_have_text(f"Förslaget ”{text}” lades till.")
        # htmx takes over the new form when it has settled; a key pressed before then (a loaded
        # machine) would submit the form without htmx, which the page handles but this test
        # is not about.
        page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
        )
    assert page.url.endswith(reverse("workshops:fast_entry", args=[group.pk]))
    saved = list(Proposal.objects.order_by("pk").values_list("title", "actor", "area_id"))
    assert saved == [(text, actor, group.area_id) for text, _arrows, actor in PROPOSALS]

    # A refused entry (no title) keeps the page and moves the focus to the reason.
    page.keyboard.press("Enter")
    expect(page.locator("#form-errors")).to_be_focused()
    expect(items).to_have_count(3)
    assert_accessible(page)

    page.goto(live_server.url + reverse("workshops:workshop_detail", args=[workshop.pk]))
    page.get_by_role("link", name="Rösta").click()
    for (text, _arrows, _actor), votes in zip(PROPOSALS, ["4", "10", "7"], strict=True):
        page.get_by_label(text).fill(votes)
    page.get_by_role("button", name="Spara rösterna").click()
    page.wait_for_url(live_server.url + reverse("workshops:workshop_detail", args=[workshop.pk]))

    ranking = page.get_by_role("table", name="Förslagen rangordnade efter röster, flest först")
    rows = ranking.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(PROPOSALS[1][0])
    expect(rows.nth(1)).to_contain_text(PROPOSALS[2][0])
    expect(rows.nth(2)).to_contain_text(PROPOSALS[0][0])
    expect(rows.nth(0).locator("td").nth(5)).to_have_text("10")
    assert_accessible(page)

    # The third proposal duplicates the first: merge it in, keeping the first.
    page.get_by_role("link", name="Slå ihop dubbletter").click()
    first, third = PROPOSALS[0][0], PROPOSALS[2][0]
    page.get_by_label(f"Slå ihop ”{first}”").check()
    page.get_by_label(f"Slå ihop ”{third}”").check()
    page.get_by_label(f"Behåll ”{first}”").check()
    assert_accessible(page)
    page.get_by_role("button", name="Slå ihop de markerade förslagen").click()
    # Nothing happens until the facilitator confirms on the page the server rendered for it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Slå ihop förslag")
    expect(page.get_by_role("main")).to_contain_text(f"”{first}” behålls och får 11 röster")
    assert Proposal.objects.get(title=third).merged_into is None
    assert_accessible(page)
    page.get_by_role("button", name="Slå ihop", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first)
    expect(page.get_by_role("heading", name="Kommer från")).to_be_visible()
    survivor = Proposal.objects.get(title=first)
    assert survivor.votes == 11
    assert Proposal.objects.get(title=third).merged_into == survivor

    page.goto(live_server.url + reverse("workshops:workshop_detail", args=[workshop.pk]))
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(first)
    expect(rows.nth(0).locator("td").nth(5)).to_have_text("11")
    expect(rows.nth(1)).to_contain_text(PROPOSALS[1][0])


def test_on_a_tablet_the_facilitator_sees_what_was_added_and_can_take_it_back(
    login, live_server, assert_accessible
):
    workshop = WorkshopFactory(title="Företagsdialog mars")
    group = WorkshopGroupFactory(
        workshop=workshop, name="Bord 5", area=PriorityArea.objects.get(order=2)
    )
    page = login("processledare")
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(live_server.url + reverse("workshops:fast_entry", args=[group.pk]))
    page.locator("#id_title").fill("Felskrivet förslag")
    page.locator("input[name='actor'][value='kommunen']").check(force=True)
    page.get_by_role("button", name="Lägg till förslaget").click()
    status = page.locator("#fast-entry-status")
    expect(status).to_have_text("Förslaget ”Felskrivet förslag” lades till.")
    expect(status).to_be_in_viewport()  # visible where the facilitator looks, not below the fold
    assert status.evaluate("(element) => getComputedStyle(element).clip") in ("auto", "")
    undo = page.locator("#fast-entry-undo").get_by_role("button")
    expect(undo).to_be_visible()
    expect(undo).to_contain_text("Ångra")
    expect(undo).to_have_accessible_name(re.compile("Ångra.*ta tillbaka.*Felskrivet förslag"))
    page.screenshot(path="var/fast-entry-added.png", full_page=False)
    assert_accessible(page)
    undo.click()
    expect(page.get_by_text("Förslaget ”Felskrivet förslag” togs tillbaka.")).to_be_visible()
    assert not Proposal.objects.filter(group=group).exists()
    assert_accessible(page)
