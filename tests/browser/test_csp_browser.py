"""The enforced Content Security Policy breaks nothing: no page asks for inline code."""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from playwright.sync_api import expect

from actionplan.demo import seed_actionplan
from actionplan.models import Activity, Indicator
from interviews.demo import seed_interviews
from interviews.models import Interview
from reports.models import ReportRun, SummarySnapshot
from tests.reports.test_dashboard import make_summary
from workshops.demo import seed_workshops
from workshops.models import Workshop, WorkshopGroup


def seed_portal():
    for seeder in (seed_interviews, seed_workshops, seed_actionplan):
        seeder(stdout=io.StringIO())
    SummarySnapshot.objects.create(
        taken_at=datetime.datetime.fromisoformat("2026-11-29T14:05:00+01:00"),
        data=make_summary(scale=2),
    )
    return ReportRun.objects.create()


def watch_for_violations(page) -> list[str]:
    """Chromium reports every blocked inline script, style or handler on the console."""
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    return problems


def test_main_pages_raise_no_csp_violation(login, live_server):
    queued_run = seed_portal()
    interview = Interview.objects.order_by("pk").first()
    workshop = Workshop.objects.order_by("pk").first()
    group = WorkshopGroup.objects.order_by("pk").first()
    activity = Activity.objects.order_by("pk").first()
    indicator = Indicator.objects.order_by("pk").first()
    page = login("admin")
    problems = watch_for_violations(page)

    urls = [
        reverse("core:home"),
        reverse("reports:dashboard"),
        reverse("interviews:interview_list"),
        reverse("interviews:interview_detail", args=[interview.pk]),
        reverse("interviews:interview_create"),
        reverse("interviews:interview_update", args=[interview.pk]),
        reverse("workshops:workshop_detail", args=[workshop.pk]),
        reverse("workshops:fast_entry", args=[group.pk]),
        reverse("actionplan:plan_overview"),
        reverse("actionplan:activity_detail", args=[activity.pk]),
        reverse("actionplan:indicator_detail", args=[indicator.pk]),
        reverse("reports:run_list"),
        reverse("reports:run_detail", args=[queued_run.pk]),
    ]
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        policy = response.headers["content-security-policy"]
        assert "unsafe-inline" not in policy
        page.wait_for_load_state("networkidle")

    # htmx at work under the policy: a queued report polls its status every two seconds, and
    # the fast entry posts a proposal and swaps the list in place.
    page.goto(live_server.url + reverse("reports:run_detail", args=[queued_run.pk]))
    with page.expect_response(lambda r: r.url.endswith(f"/rapporter/{queued_run.pk}/")):
        pass
    page.goto(live_server.url + reverse("workshops:fast_entry", args=[group.pk]))
    before = page.locator("#fast-entry-proposals li").count()
    page.locator("#id_title").fill("Snabbare svar på bygglovsfrågor")
    page.locator("label[for=id_actor_0]").click()
    page.locator("#id_title").press("Enter")
    expect(page.locator("#fast-entry-proposals li")).to_have_count(before + 1)
    # htmx leaves its indicator styles out (htmx-config meta), so no <style> was injected.
    assert page.locator("style").count() == 0

    assert problems == []
