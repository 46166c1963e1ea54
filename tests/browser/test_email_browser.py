"""E-mail in the browser: a follow-up falls due, the day's reminder goes out once, and the
administrator reads it on the outbox page; a user chooses what they receive."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import expect

from smeportal.accounts.models import User
from tests.factories import FollowUpFactory


def test_a_follow_up_falling_due_gives_one_reminder_read_by_the_administrator(
    login, live_server, assert_accessible
):
    developer = User.objects.get(username="utvecklare")
    FollowUpFactory(owner=developer, due_date=timezone.localdate(), title="Ring Hällby Åkeri")

    page = login("admin")
    page.get_by_role("link", name="E-postinställningar").click()
    assert_accessible(page)
    page.get_by_role("button", name="Skicka dagens påminnelser nu").click()
    expect(page.get_by_text("1 påminnelse lades i kö.")).to_be_visible()
    page.get_by_role("button", name="Skicka dagens påminnelser nu").click()
    expect(page.get_by_text("0 påminnelser lades i kö.")).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="E-post").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("utvecklare@example.invalid")
    expect(rows.first).to_contain_text("Skickat")
    assert_accessible(page)

    rows.first.get_by_role("link").click()
    expect(page.locator("pre")).to_contain_text("Ring Hällby Åkeri")
    expect(page.locator("pre")).to_contain_text("/e-postinstallningar/")
    assert_accessible(page)


def test_a_user_chooses_what_they_receive(login, live_server, assert_accessible):
    page = login("utvecklare")
    page.get_by_role("link", name="E-postinställningar").click()
    expect(page.get_by_role("button", name="Skicka dagens påminnelser nu")).to_have_count(0)
    page.get_by_label("English").check()
    page.get_by_label("Mätetal jag äger som behöver ett nytt mätvärde").uncheck()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Dina e-postinställningar sparades.")).to_be_visible()
    expect(page.get_by_label("English")).to_be_checked()
    expect(page.get_by_label("Mätetal jag äger som behöver ett nytt mätvärde")).not_to_be_checked()
    assert_accessible(page)
