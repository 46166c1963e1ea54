"""A business developer ticks all of the team's open follow-ups on a page and closes them."""

from __future__ import annotations

import datetime

from django.urls import reverse
from playwright.sync_api import expect

from interviews.models import FollowUp
from smeportal.accounts.models import User
from tests.factories import FollowUpFactory


def test_the_team_list_closes_several_at_once(login, live_server, assert_accessible):
    owner = User.objects.get(username="utvecklare")
    for number in range(3):
        FollowUpFactory(owner=owner, flag="gul", title=f"Uppföljning {number}",
                        due_date=datetime.date.today() + datetime.timedelta(days=5))  # fmt: skip
    page = login("utvecklare")
    page.goto(live_server.url + reverse("interviews:followup_team"))
    assert_accessible(page)
    page.get_by_role("button", name="Markera alla på sidan").click()
    expect(page.locator("input[name='follow_ups']:checked")).to_have_count(3)
    page.get_by_label("Åtgärd").select_option("close")
    page.get_by_role("button", name="Utför").click()
    expect(page.get_by_text("3 uppföljningar ändrades.")).to_be_visible()
    assert not FollowUp.objects.exclude(status="klar").exists()
    assert_accessible(page)
