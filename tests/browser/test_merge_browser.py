"""A facilitator merges two proposals of different areas, one already in the plan: the portal
warns and asks first; the merge can then be undone from the kept proposal's page."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from smeportal.areas.models import PriorityArea
from tests.factories import (
    ActivityFactory,
    FindingFactory,
    ProposalFactory,
    WorkshopFactory,
    WorkshopGroupFactory,
)
from workshops.models import Proposal


def test_facilitator_is_warned_merges_and_undoes_it(login, live_server, assert_accessible):
    workshop = WorkshopFactory(title="Företagsdialog november")
    skills = WorkshopGroupFactory(
        workshop=workshop, name="Bord 1", area=PriorityArea.objects.get(slug="kompetensforsorjning")
    )
    procurement = WorkshopGroupFactory(
        workshop=workshop, name="Bord 2", area=PriorityArea.objects.get(slug="upphandling")
    )
    kept = ProposalFactory(group=skills, title="Praktikplatsbank för gymnasiet", votes=7)
    planned = ProposalFactory(group=procurement, title="Praktik via upphandlingskrav", votes=3)
    planned.evidence.add(FindingFactory())
    planned.status = "i_handlingsplan"
    planned.save()
    activity = ActivityFactory(title="Praktik i offentliga uppdrag")
    activity.proposals.add(planned)

    page = login("processledare")
    page.goto(live_server.url + reverse("workshops:merge", args=[workshop.pk]))
    page.locator(f"#merge-{kept.pk}").check()
    page.locator(f"#merge-{planned.pk}").check()
    page.locator(f"#keep-{kept.pk}").check()
    page.get_by_role("button", name="Slå ihop de markerade förslagen").click()

    # Asked first, with both warnings in text.
    expect(page.get_by_role("heading", name="Slå ihop förslag")).to_be_visible()
    expect(page.get_by_text("olika prioriterade områden")).to_be_visible()
    expect(page.get_by_text("redan i handlingsplanen")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Slå ihop", exact=True).click()

    expect(page.get_by_role("heading", name="Praktikplatsbank för gymnasiet")).to_be_visible()
    assert list(activity.proposals.all()) == [kept]
    page.screenshot(path="var/merge-survivor.png", full_page=True)
    assert_accessible(page)

    page.get_by_role("button", name="Ångra sammanslagningen").click()
    expect(page.get_by_text("Vill du ångra sammanslagningen?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ångra sammanslagningen").click()
    expect(page.get_by_text("Sammanslagningen ångrades")).to_be_visible()
    planned.refresh_from_db()
    kept.refresh_from_db()
    assert (planned.merged_into_id, planned.status, kept.votes) == (None, "i_handlingsplan", 7)
    assert list(activity.proposals.all()) == [planned]
    assert Proposal.objects.get(pk=planned.pk).evidence.count() == 1
