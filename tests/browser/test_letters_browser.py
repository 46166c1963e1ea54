"""“Ni sa – vi gjorde” in the browser: a business developer drafts the round, previews a letter,
adjusts its opening, sends and downloads the letters for post; the administrator reads the
message on the outbox page."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from smeportal.accounts.models import User
from tests.factories import CompanyFactory, ContactFactory, FindingFactory, InterviewFactory


def test_a_developer_previews_and_sends_the_letters(login, live_server, assert_accessible):
    developer = User.objects.get(username="utvecklare")
    today = timezone.localdate()
    told = CompanyFactory(name="Hällby Åkeri AB")
    ContactFactory(
        company=told,
        name="Gunborg Åkesson",
        email="gunborg@hallby.invalid",
        results_consent_on=today,
        results_consent_by=developer,
    )
    interview = InterviewFactory(company=told, date=today - datetime.timedelta(days=10))
    FindingFactory(interview=interview, text="Bygglovet tar för lång tid för oss")
    FindingFactory(interview=interview, text="Hemlig expansionsplan", is_confidential=True)
    InterviewFactory(
        company=CompanyFactory(name="Eskilstuna Mekaniska"),
        date=today - datetime.timedelta(days=5),
    )

    page = login("utvecklare")
    page.get_by_role("navigation").get_by_role("link", name="Ni sa – vi gjorde").click()
    page.get_by_label("Titel").fill("Hösten")
    page.get_by_label("Intervjuer från").fill((today - datetime.timedelta(days=30)).isoformat())
    page.get_by_label("Intervjuer till och med").fill(today.isoformat())
    page.get_by_role("button", name="Skapa breven").click()
    expect(page.get_by_text("2 brev, 1 med e-post och 1 med post")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Hällby Åkeri AB", exact=True).click()
    preview = page.locator("article.letter-preview")
    expect(preview).to_contain_text("Bygglovet tar för lång tid för oss")
    expect(preview).not_to_contain_text("Hemlig")
    page.get_by_label("Inledning i det här brevet").fill("Tack, Gunborg, för samtalet.")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("article.letter-preview")).to_contain_text("Tack, Gunborg, för samtalet.")
    assert_accessible(page)

    page.get_by_role("link", name="Hösten", exact=True).click()
    page.get_by_role("button", name="Skicka breven").click()
    expect(page.locator("#form-errors")).to_be_visible()  # approve first
    page.get_by_label("Jag har förhandsgranskat breven och godkänner dem").check()
    page.get_by_role("button", name="Skicka breven").click()
    expect(page.get_by_text("Breven är på väg: 1 med e-post, 1 att posta som PDF.")).to_be_visible()
    # The letter for post has no address yet: the page says so, and offers the letters for post
    # as one PDF to print.
    expect(page.locator(".alert-warning")).to_contain_text("Eskilstuna Mekaniska")
    post_pdf = page.locator('a[href$="/brev-for-post.pdf"]')
    expect(post_pdf).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        post_pdf.click()
    assert download.value.suggested_filename.endswith("-post.pdf")

    page.context.clear_cookies()
    page = login("admin")
    page.get_by_role("navigation").get_by_role("link", name="E-post").click()
    row = page.locator("table tbody tr", has_text="gunborg@hallby.invalid")
    expect(row).to_contain_text("Hällby Åkeri AB")
    expect(row).to_contain_text("Skickat")
    row.get_by_role("link").click()
    expect(page.locator("pre")).to_contain_text("Tack, Gunborg, för samtalet.")
    expect(page.locator("pre")).not_to_contain_text("Hemlig")
    assert_accessible(page)


def test_a_recipient_stops_the_letters_from_the_link(page, live_server, assert_accessible):
    """The link at the foot of a letter, opened by its recipient: no login, nothing about the
    person on the page, one button, and the agreement is gone."""
    from django.urls import reverse

    from letters.services import unsubscribe_token

    contact = ContactFactory(
        company=CompanyFactory(name="Hällby Åkeri AB"),
        name="Gunborg Åkesson",
        email="gunborg@hallby.invalid",
        results_consent_on=timezone.localdate(),
    )
    page.goto(live_server.url + reverse("letters:unsubscribe", args=[unsubscribe_token(contact)]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inga fler brev om resultaten")
    expect(page.locator("main")).not_to_contain_text("Gunborg")
    assert_accessible(page)
    page.get_by_role("button", name="Skicka inga fler brev till mig").click()
    expect(page.get_by_role("status")).to_contain_text("Klart: vi skickar inga fler brev")
    assert_accessible(page)
    contact.refresh_from_db()
    assert contact.results_consent_on is None
