"""The public page: what it shows anonymously, in Swedish and in English, and what it never
shows."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from actionplan.models import Celebration
from interviews.consent import Audience, visible_quote
from interviews.models import Finding

from .conftest import ANONYMOUS_QUOTE, NAMED_QUOTE, SECRETS

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def test_an_anonymous_visitor_reads_the_results_without_logging_in(anonymous, dialogue):
    response = anonymous.get(reverse("public:results"))

    assert response.status_code == 200
    assert "public/results.html" in [template.name for template in response.templates]
    page = text_of(response)
    assert '<html lang="sv">' in page
    assert dialogue.area.name in page
    # What the companies said, in aggregate: interviews and companies from the summary.
    assert re.search(r"<dt>Intervjuer</dt><dd>3</dd>", page)
    # The published proposals, what became of each, and the activity that realises it.
    assert "Snabbare bygglov för små företag" in page
    assert "Avslaget förslag om torghandel" in page
    assert "Bygglovslots för små företag" in page
    # The published goal with the indicator that measures it, and the celebration.
    assert "Ett bättre företagsklimat" in page
    assert "Sammanfattande omdöme" in page
    assert "Lotsen anställd" in page
    # The staff menu and the search box are not there; the accessibility statement is.
    assert reverse("search:search") not in page
    assert reverse("core:accessibility") in page
    assert reverse("public:feed") in page


def test_only_what_staff_published_is_shown(anonymous, dialogue):
    page = text_of(anonymous.get(reverse("public:results")))

    for key in ("hidden_proposal", "hidden_activity", "hidden_goal", "hidden_indicator"):
        assert SECRETS[key] not in page, key
    assert SECRETS["hidden_celebration"] not in page


def test_no_personal_data_or_confidential_text_ever_appears(anonymous, dialogue):
    page = text_of(anonymous.get(reverse("public:results")))

    leaked = [key for key, value in SECRETS.items() if value in page]
    assert not leaked, leaked


def test_quotes_only_with_consent_and_always_anonymous(anonymous, dialogue):
    page = text_of(anonymous.get(reverse("public:results")))

    assert NAMED_QUOTE in page
    assert ANONYMOUS_QUOTE in page
    assert SECRETS["internal_quote"] not in page
    assert SECRETS["confidential"] not in page
    assert SECRETS["company"] not in page  # the named quote's company is not named
    assert "Ett intervjuat företag" in page or "An interviewed company" in page


def test_the_public_audience_sees_consented_quotes_anonymously(dialogue):
    findings = Finding.objects.select_related("interview__company").exclude(quote="")
    shown = {
        finding.quote: visible_quote(finding, Audience.PUBLIC)
        for finding in findings
        if visible_quote(finding, Audience.PUBLIC)
    }

    assert set(shown) == {NAMED_QUOTE, ANONYMOUS_QUOTE}
    assert all(SECRETS["company"] not in quote.attribution for quote in shown.values())


def test_the_page_is_in_english_for_an_english_reader(anonymous, dialogue):
    dialogue.area.name_en = "Communication and dialogue"
    dialogue.area.save()
    anonymous.cookies["django_language"] = "en"

    page = text_of(anonymous.get(reverse("public:results")))

    assert '<html lang="en">' in page
    assert "What the SME dialogue led to" in page
    assert "Communication and dialogue" in page
    assert "In the action plan" in page  # the proposal's status in English


def test_a_language_change_reaches_a_cached_page(anonymous, dialogue):
    anonymous.get(reverse("public:results"))
    anonymous.cookies["django_language"] = "en"

    page = text_of(anonymous.get(reverse("public:results")))

    assert '<html lang="en">' in page
    assert "Skip to main content" in page


def test_without_a_summary_the_page_says_so_and_still_shows_what_is_published(anonymous, dialogue):
    dialogue.snapshot.delete()

    response = anonymous.get(reverse("public:results"))

    assert response.status_code == 200
    page = text_of(response)
    assert "Snabbare bygglov för små företag" in page
    assert NAMED_QUOTE not in page


def test_an_empty_portal_answers_with_the_page(anonymous, db):
    response = anonymous.get(reverse("public:results"))

    assert response.status_code == 200


def test_anonymous_answers_may_be_cached_by_browsers_and_proxies(anonymous, dialogue):
    response = anonymous.get(reverse("public:results"))

    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_signed_in_staff_get_the_page_but_not_stored(council_client, dialogue):
    response = council_client.get(reverse("public:results"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_published_celebration_is_listed_newest_first(anonymous, dialogue):
    Celebration.objects.filter(pk=dialogue.celebration.pk).update(title="x")
    page = text_of(anonymous.get(reverse("public:results")))

    assert f'id="celebration-{dialogue.celebration.pk}"' in page
