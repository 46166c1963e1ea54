"""A business developer turns two workshop proposals into an activity and follows it up."""

from __future__ import annotations

import re
from datetime import date

from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from actionplan.models import Celebration
from smeportal.areas.models import PriorityArea
from tests.factories import (
    ActionPlanFactory,
    CompanyFactory,
    FindingFactory,
    InterviewFactory,
    ProposalFactory,
    WorkshopFactory,
    WorkshopGroupFactory,
)


def sv(text: str) -> str:
    """The Swedish screen text (the message id itself until its translation is merged)."""
    with translation.override("sv"):
        return gettext(text)


def _dialogue():
    """A held workshop with two proposals backed by findings from three companies."""
    ActionPlanFactory(title="Handlingsplan för företagsklimatet")
    service = PriorityArea.objects.get(slug="service-och-samverkan")
    skills = PriorityArea.objects.get(slug="kompetensforsorjning")
    workshop = WorkshopFactory(title="Företagsdialog 11 november", date=date(2026, 11, 11))
    lots = ProposalFactory(
        group=WorkshopGroupFactory(workshop=workshop, name="Bord 3", area=service),
        title="Bygglovslots för små företag",
        votes=14,
    )
    praktik = ProposalFactory(
        group=WorkshopGroupFactory(workshop=workshop, name="Bord 4", area=skills),
        title="Praktikplatsbank med gymnasiet",
        votes=9,
    )
    companies = [
        CompanyFactory(name="Torshälla Mekaniska AB", industry="C", size_class="10-49"),
        CompanyFactory(name="Kjula Snickerifabrik AB", industry="C", size_class="1-9"),
        CompanyFactory(name="Skogstorps Bygg AB", industry="F", size_class="10-49"),
    ]
    for number, company in enumerate(companies):
        interview = InterviewFactory(company=company, consent="anonymt")
        lots.evidence.add(
            FindingFactory(interview=interview, area=service, text=f"Bygglovet dröjde {number}")
        )
        if number < 2:
            praktik.evidence.add(
                FindingFactory(
                    interview=interview,
                    area=skills,
                    type="ide",
                    text=f"Praktik med skolan {number}",
                )
            )


def test_developer_creates_an_activity_from_two_proposals_and_celebrates_a_milestone(
    login, live_server, assert_accessible
):
    page = login("utvecklare")
    _dialogue()

    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Handlingsplan"
    ).click()
    page.get_by_role("link", name=sv("New activity from proposals")).first.click()
    page.get_by_label("Bygglovslots för små företag").check()
    page.get_by_label("Praktikplatsbank med gymnasiet").check()
    page.locator("#id_title").fill("Lots och praktik för små företag")
    page.locator("#id_party_name").fill("Näringslivskontoret")
    page.get_by_role("button", name=sv("Create the activity")).click()
    page.wait_for_url(re.compile(r"/handlingsplan/aktiviteter/\d+/$"))
    expect(page.get_by_role("heading", name="Lots och praktik för små företag")).to_be_visible()

    why = page.get_by_role("region", name=sv("Why are we doing this?"))
    expect(why.get_by_role("link", name="Bygglovslots för små företag")).to_be_visible()
    expect(why.get_by_role("link", name="Praktikplatsbank med gymnasiet")).to_be_visible()
    expect(
        why.get_by_text(re.compile(r"\b5 \w+ .*\b3 \w+")).first
    ).to_be_visible()  # 5 findings, 3 companies
    assert "Torshälla Mekaniska AB" in why.inner_text()  # developers see the companies

    page.get_by_role("link", name=sv("Add milestone")).click()
    page.locator("#id_title").fill("Lotsen är anställd")
    page.locator("#id_date").fill("2026-12-01")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(re.compile(r"/handlingsplan/aktiviteter/\d+/$"))
    facts = page.locator("dl")
    assert "0 %" in facts.inner_text()
    milestones = page.get_by_role("region", name=sv("Milestones"))
    expect(milestones.get_by_role("cell", name=sv("Not done"))).to_be_visible()

    milestones.get_by_role("button", name=re.compile("^Markera som klart")).click()
    page.wait_for_url(re.compile(r"/handlingsplan/aktiviteter/\d+/$"))
    assert "100 %" in page.locator("dl").inner_text()
    done = page.get_by_role("region", name=sv("Milestones")).locator(".milestone-done")
    assert sv("Done") in done.inner_text()
    page.screenshot(path="var/actionplan-activity.png", full_page=True)
    assert_accessible(page)

    page.get_by_role("link", name=sv("All that is worth celebrating")).click()
    expect(page.get_by_text(re.compile("Lotsen är anställd")).first).to_be_visible()
    assert Celebration.objects.filter(milestone__title="Lotsen är anställd").count() == 1
    assert_accessible(page)


def test_proposal_search_of_the_activity_form_keeps_what_was_typed(
    login, live_server, assert_accessible
):
    """With htmx the picker's search swaps only the list: the title typed stays, and so do the
    proposals ticked before the next search."""
    page = login("utvecklare")
    _dialogue()

    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Handlingsplan"
    ).click()
    page.get_by_role("link", name=sv("New activity"), exact=True).first.click()
    page.locator("#id_title").fill("Lots och praktik")
    url = page.url
    search = page.get_by_role("searchbox", name=sv("Search proposals"))
    search.fill("bygglov")
    search.press("Enter")
    page.get_by_label("Bygglovslots för små företag").check()
    search.fill("praktik")
    page.get_by_role("button", name=sv("Search"), exact=True).click()
    page.get_by_label("Praktikplatsbank med gymnasiet").check()
    assert page.get_by_label("Bygglovslots för små företag").is_checked()
    expect(page.get_by_role("status").filter(has_text="1").first).to_be_visible()
    assert page.url == url  # swapped in place, no page load
    assert page.locator("#id_title").input_value() == "Lots och praktik"
    assert_accessible(page)

    page.locator("#id_party_name").fill("Näringslivskontoret")
    service = PriorityArea.objects.get(slug="service-och-samverkan")
    page.locator(f"input[name=areas][value='{service.pk}']").check()
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(re.compile(r"/handlingsplan/aktiviteter/\d+/$"))
    why = page.get_by_role("region", name=sv("Why are we doing this?"))
    expect(why.get_by_role("link", name="Bygglovslots för små företag")).to_be_visible()
    expect(why.get_by_role("link", name="Praktikplatsbank med gymnasiet")).to_be_visible()
