"""A request for public documents in the browser: a registrar registers a request for one
company's interviews, reviews it with the confidential finding and the contact person masked,
releases it as a PDF whose text holds neither, and produces a refusal decision."""

from __future__ import annotations

import datetime
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import CompanyFactory, ContactFactory, FindingFactory, InterviewFactory
from tests.reports.test_pdf import pdf_text

SECRET = "Hemlig expansionsplan i Torshälla"
CONTACT = "Gunborg Åkesson"
EMAIL = "gunborg@hallby.invalid"


def _pdf_text(path) -> str:
    return " ".join(pdf_text(Path(path).read_bytes()).split())


def _download_text(page, link) -> str:
    with page.expect_download() as download:
        link.click()
    return _pdf_text(download.value.path())


def test_a_registrar_reviews_releases_and_refuses(login, live_server, assert_accessible):
    # The live server's database was flushed: the grounds come back as the migration seeds them.
    import_module("records.migrations.0002_secrecy_grounds").seed(apps, None)
    today = timezone.localdate()
    company = CompanyFactory(name="Hällby Åkeri AB")
    contact = ContactFactory(company=company, name=CONTACT, email=EMAIL, phone="016-123 45 67")
    interview = InterviewFactory(company=company, date=today - datetime.timedelta(days=10))
    interview.interviewees.add(contact)
    FindingFactory(interview=interview, text="Bygglovet tar för lång tid för oss")
    FindingFactory(interview=interview, text=SECRET, is_confidential=True)

    page = login("utvecklare")
    page.get_by_role("navigation").locator('a[href="/allmanna-handlingar/"]').click()
    page.locator('a[href="/allmanna-handlingar/ny/"]').click()
    page.locator("#id_received_on").fill(today.isoformat())
    page.locator("#id_channel").select_option("e-post")
    page.locator("#id_description").fill("Alla intervjuer med Hällby Åkeri AB")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(f"AH {today.year}/0001")

    page.locator("#id_kind_1").check()  # all interviews with one company
    page.locator("#id_company").fill(company.organisation_number)
    page.locator('form[action$="/omfattning/"] button[type=submit]').click()
    item_link = page.get_by_role("link", name="Hällby Åkeri AB", exact=False).first
    expect(item_link).to_be_visible()
    assert_accessible(page)

    item_link.click()
    main = page.locator("main")
    expect(main).to_contain_text("Bygglovet tar för lång tid för oss")
    expect(main).to_contain_text("31 kap. 16 § OSL")
    expect(main).to_contain_text("21 kap. 7 § OSL")
    expect(main).not_to_contain_text(SECRET)
    expect(main).not_to_contain_text(CONTACT)
    expect(main).not_to_contain_text(EMAIL)
    # A passage not in the field is refused with a message.
    page.locator("#id_field").select_option(index=0)
    page.locator("#id_passage").fill("finns inte")
    page.locator("#id_ground").select_option(label="31 kap. 16 § OSL")
    page.locator("#id_reason").fill("Prov")
    page.locator('form[action$="/maskera/"] button[type=submit]').click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Tillbaka till begäran").first.click()
    page.locator("#id_reviewed").check()
    page.locator('form[action$="/lamna-ut/"] button[type=submit]').click()
    released = page.locator('a[href*="/allmanna-handlingar/filer/"]').first
    expect(released).to_be_visible()
    text = _download_text(page, released)
    assert "Bygglovet tar för lång tid för oss" in text
    assert "31 kap. 16 § OSL" in text
    for secret in (SECRET, CONTACT, EMAIL, "016-123 45 67"):
        assert secret not in text

    page.locator("#id_outcome_2").check()  # refused
    page.locator("#id_grounds_0").check()
    page.locator("#id_reasoning").fill("Handlingarna röjer företagets affärsförhållanden.")
    page.locator('form[action$="/beslut/"] button[type=submit]').click()
    decision = page.locator('a[href*="/allmanna-handlingar/filer/"]').first
    expect(decision).to_be_visible()
    assert_accessible(page)
    decision_text = _download_text(page, decision)
    assert "kammarrätten" in decision_text
    assert SECRET not in decision_text
