"""The administrator reads the audit trail and records a retention decision; a locked-out login."""

from __future__ import annotations

import io

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from audit.selectors import criteria_from_rule, retention_candidates
from audit.views import AUDIT_PAGE_SIZE
from interviews.demo import seed_interviews
from interviews.models import Interview
from tests.audit.plan_rules import plan_rule


def swedish(msgid: str) -> str:
    with translation.override("sv"):
        return str(translation.gettext(msgid))


def test_administrator_filters_the_audit_trail_and_anonymises_a_contact(login, assert_accessible):
    seed_interviews(stdout=io.StringIO())
    # The plan's rule for contact persons: anonymised a month after their last interview.
    rule = plan_rule("kontakter", months=1)
    contact = retention_candidates(criteria_from_rule(rule)).first()
    page = login("admin")

    page.get_by_role("navigation", name=swedish("Main menu")).get_by_role(
        "link", name="Granskningslogg"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(swedish("Audit trail"))
    page.get_by_label(swedish("Object type")).select_option(label="Intervju")
    page.get_by_role("button", name=swedish("Show changes")).click()
    rows = page.locator("table tbody tr")
    expect(rows.first).to_contain_text("Intervju")
    assert rows.count() == min(AUDIT_PAGE_SIZE, Interview.history.count())
    assert_accessible(page)

    page.get_by_role("link", name=swedish("Retention (gallring)"), exact=True).click()
    with translation.override("sv"):
        page.get_by_label(f"{rule.get_record_type_display()}: {rule.period_text}").check()
    page.get_by_role("button", name=swedish("Show the records")).click()
    # The criteria are posted: no name or other criterion in the address (logs, history).
    assert page.url.endswith(reverse("audit:retention"))
    page.get_by_label(f"{swedish('Choose')}: {contact.name}, {contact.company.name}").check()
    assert_accessible(page)
    page.get_by_label(swedish("Decision reference")).fill("KS 2026/41 § 7")
    page.get_by_label(swedish("Reason")).fill("Kontaktuppgifterna behövs inte längre.")
    page.get_by_label(
        swedish("I understand that the records are destroyed or anonymised for good")
    ).check()
    page.get_by_role("button", name=swedish("Record the decision and carry it out")).click()
    # Nothing is destroyed until the decision is confirmed on the page the server rendered.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        swedish("Confirm the retention decision")
    )
    contact.refresh_from_db()
    assert contact.name != "Anonymiserad"
    assert_accessible(page)
    page.get_by_role("button", name=swedish("Carry out the decision")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(swedish("Retention decisions"))
    expect(page.locator("table tbody tr").first).to_contain_text("KS 2026/41 § 7")
    assert_accessible(page)
    contact.refresh_from_db()
    assert contact.name == "Anonymiserad"
    assert contact.email == ""


def test_repeated_failed_logins_lock_with_a_swedish_message(page, live_server, assert_accessible):
    for _attempt in range(5):
        page.goto(f"{live_server.url}{reverse('login')}")
        page.get_by_label("Användarnamn").fill("utvecklare")
        page.get_by_label("Lösenord").fill("fel-lösenord")
        page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(swedish("Login temporarily locked"))
    assert_accessible(page)
