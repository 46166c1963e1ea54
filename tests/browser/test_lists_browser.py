"""Paginated lists in Chromium: the page links work with the keyboard's target (a link), keep
the filters, and every list page passes axe, also where two lists are paginated on one page."""

from __future__ import annotations

import datetime
import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from actionplan.views.activities import PAGE_SIZE as PROPOSALS_PAGE_SIZE
from actionplan.views.coverage import PAGE_SIZE as COVERAGE_PAGE_SIZE
from actionplan.views.indicators import INDICATORS_PAGE_SIZE
from actionplan.views.plans import PAGE_SIZE as PLAN_PAGE_SIZE
from interviews.models import Finding
from interviews.views.companies import INTERVIEWS_PAGE_SIZE
from interviews.views.followups import PAGE_SIZE as FOLLOW_UPS_PAGE_SIZE
from smeportal.areas.models import PriorityArea
from smeportal.core.history import HISTORY_PAGE_SIZE
from tests.factories import (
    ActionPlanFactory,
    ActivityFactory,
    CompanyFactory,
    FindingFactory,
    FollowUpFactory,
    IndicatorFactory,
    InterviewFactory,
    ProposalFactory,
    WorkshopFactory,
    WorkshopGroupFactory,
)
from workshops.views.evidence import PAGE_SIZE as EVIDENCE_PAGE_SIZE


def test_long_lists_are_paginated_accessibly(login, live_server, assert_accessible):
    developer = get_user_model().objects.get(username="utvecklare")
    skills = PriorityArea.objects.get(slug="kompetensforsorjning")
    company = CompanyFactory(name="Kjula Snickeri AB")
    interviews = [
        InterviewFactory(
            company=company, date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n)
        )
        for n in range(INTERVIEWS_PAGE_SIZE + 1)
    ]
    for interview in interviews[: FOLLOW_UPS_PAGE_SIZE // 10 + 1]:
        FollowUpFactory.create_batch(10, interview=interview, owner=developer, status="oppen")
    Finding.objects.bulk_create(
        Finding(
            interview=interviews[0], area=skills, type="utmaning", text=f"Svårt att rekrytera {n}"
        )
        for n in range(max(COVERAGE_PAGE_SIZE, EVIDENCE_PAGE_SIZE) + 1)
    )
    group = WorkshopGroupFactory(workshop=WorkshopFactory(), area=skills)
    proposals = ProposalFactory.create_batch(
        max(COVERAGE_PAGE_SIZE, PROPOSALS_PAGE_SIZE) + 1, group=group
    )
    linked = FindingFactory.create_batch(
        EVIDENCE_PAGE_SIZE + 1, interview=interviews[1], area=skills
    )
    proposals[0].evidence.add(*linked)
    plan = ActionPlanFactory()
    ActivityFactory.create_batch(PLAN_PAGE_SIZE + 1, plan=plan)
    IndicatorFactory.create_batch(INDICATORS_PAGE_SIZE + 1)
    for grade in range(HISTORY_PAGE_SIZE):  # one change more than a page, with the creation
        interviews[2].grade = grade % 6 + 1
        interviews[2].save()

    page = login("utvecklare")
    base = live_server.url
    for path, link_name in [
        ("/uppfoljningar/", "Sidor"),
        (f"/foretag/{company.pk}/", "Sidor med intervjuer"),
        (f"/handlingsplan/tackning/?area={skills.pk}", "Sidor med utmaningar"),
        (f"/handlingsplan/tackning/?area={skills.pk}", "Sidor med förslag"),
        (f"/workshoppar/forslag/{proposals[0].pk}/", "Sidor med kopplade synpunkter"),
        (f"/workshoppar/forslag/{proposals[0].pk}/underlag/", "Sidor med kopplade synpunkter"),
        (
            f"/workshoppar/forslag/{proposals[0].pk}/underlag/",
            "Sidor med synpunkter som ännu inte är kopplade",
        ),
        (f"/handlingsplan/?plan={plan.pk}", "Sidor med aktiviteter"),
        (f"/handlingsplan/aktiviteter/fran-forslag/?area={skills.pk}", "Sidor med förslag"),
        ("/handlingsplan/matetal/", "Sidor med mätetal"),
        (f"/intervjuer/{interviews[2].pk}/historik/", "Sidor med ändringar"),
    ]:
        page.goto(f"{base}{path}")
        navigation = page.get_by_role("navigation", name=link_name, exact=True)
        expect(navigation.get_by_text(re.compile(r"^Sida 1 av \d+$"))).to_be_visible()
        assert_accessible(page)
        # The click only starts the navigation: wait for the second page before reading it.
        navigation.get_by_role("link", name="Nästa sida").click()
        page.wait_for_url(re.compile(r"page=2"))
        page.wait_for_load_state()
        expect(navigation.get_by_text(re.compile(r"^Sida 2 av \d+$"))).to_be_visible()
        expect(navigation.get_by_role("link", name="Föregående sida")).to_be_visible()
        assert_accessible(page)

    # The company step of a new interview: a search and a list of links.
    page.goto(f"{base}/intervjuer/ny/")
    page.get_by_label("Sök på namn eller organisationsnummer").fill("Kjula")
    page.locator("main").get_by_role("button", name="Sök").click()
    assert_accessible(page)
    page.get_by_role("link", name="Kjula Snickeri AB").click()
    expect(page.get_by_text("Kjula Snickeri AB").first).to_be_visible()
    assert "company=" in page.url
