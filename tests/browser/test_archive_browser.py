"""The administrator keeps the information management plan, retention proposes records from
it, and a package of the demo's interviews is produced for the e-archive and verified."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from playwright.sync_api import expect

from archive.demo import seed_plan
from archive.models import DeliveryPackage, InformationRule, RecordType
from interviews.demo import seed_interviews
from interviews.models import Interview
from tests.swedish import sv as swedish

pytestmark = pytest.mark.browser


def _label(rule: InformationRule) -> str:
    """The rule as the retention page's choice names it."""
    with translation.override("sv"):
        return f"{rule.get_record_type_display()}: {rule.period_text}"


def test_the_plan_drives_retention_and_a_package_is_produced_and_verified(login, assert_accessible):
    seed_interviews(stdout=io.StringIO())
    seed_plan()
    first_year = Interview.objects.order_by("date").first().date.year
    page = login("admin")

    # The archive's page, and from it the plan, kept by the administrator.
    page.get_by_role("navigation", name=swedish("Main menu")).get_by_role(
        "link", name=swedish("E-archive")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        swedish("E-archive: delivery packages")
    )
    assert_accessible(page)
    page.get_by_role("link", name=swedish("Information management plan")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        swedish("Information management plan")
    )
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(len(RecordType))
    assert_accessible(page)

    # Interviews are disposed of a year after the interview (a new decision, say).
    interviews = InformationRule.objects.get(record_type=RecordType.INTERVIEWS)
    page.locator(f'a[href$="/informationshanteringsplan/{interviews.pk}/"]').click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        swedish(str(RecordType.INTERVIEWS.label))
    )
    # By the fields' ids: their labels are the model's Swedish names ("Gallringsfrist", ...).
    page.locator("#id_period").fill("12")
    page.locator("#id_period_unit").select_option("manader")
    page.locator("#id_decision_reference").fill("KS 2026/90 § 3")
    assert_accessible(page)
    page.get_by_role("button", name=swedish("Save")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        swedish("Information management plan")
    )
    interviews.refresh_from_db()
    assert (interviews.months, interviews.decision_reference) == (12, "KS 2026/90 § 3")

    # A package of the first year's interviews, produced and verified.
    page.get_by_role("link", name=swedish("Delivery packages")).click()
    page.get_by_label(swedish("A closed year's interviews")).check()
    page.get_by_label(swedish("Interview year")).fill(str(first_year))
    page.get_by_role("button", name=swedish("Produce the package")).click()
    status = page.locator("#package-status")
    expect(status).to_contain_text(swedish("Done"))
    assert_accessible(page)
    page.get_by_role("button", name=swedish("Verify the package")).click()
    expect(page.locator("#package-status")).to_contain_text(swedish("Passed"))
    package = DeliveryPackage.objects.get()
    assert package.verification == DeliveryPackage.Verification.PASSED
    assert package.record_count > 0
    assert_accessible(page)

    # Retention proposes the interviews older than the plan's rule, delivered ones marked.
    page.goto(page.url.split("/arkiv/")[0] + "/granskning/gallring/")
    page.get_by_label(_label(interviews)).check()
    page.get_by_role("button", name=swedish("Show the records")).click()
    candidates = page.locator("table tbody tr")
    expect(candidates.first).to_contain_text(
        swedish("Delivered to the e-archive on %(date)s").split("%(date)s")[0].strip()
    )
    assert_accessible(page)
