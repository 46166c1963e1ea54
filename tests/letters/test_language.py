"""A letter is written in its recipient's language: by e-mail, on paper and in the preview."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from letters.models import DEFAULT_OPENING, ResultsLetter
from letters.services import (
    letter_content,
    letter_language,
    letter_pdf,
    letter_round_create,
    letter_round_send,
)
from smeportal.outbox.models import OutgoingMessage
from tests.factories import ContactFactory
from tests.reports.test_pdf import pdf_objects, pdf_text

from .conftest import AUTUMN
from .test_letters import _round

pytestmark = pytest.mark.django_db

FINDING = "Bygglovet tar för lång tid för oss"


def _sent_letter(dialogue, developer, capture) -> OutgoingMessage:
    letter_round = _round(developer)
    with capture(execute=True):
        letter_round_send(letter_round=letter_round, user=developer)
    return OutgoingMessage.objects.get(purpose=OutgoingMessage.Purpose.RESULTS_LETTER)


def test_an_english_speaking_contact_gets_the_letter_in_english(
    dialogue, developer, django_capture_on_commit_callbacks
):
    dialogue["contact"].language = "en"
    dialogue["contact"].save()
    message = _sent_letter(dialogue, developer, django_capture_on_commit_callbacks)
    assert message.language == "en"
    assert message.subject == "What came of what you told us – Hällby Åkeri AB"
    text, html = message.body_text, message.body_html
    assert text.startswith("What came of what you told us – Hällby Åkeri AB")
    assert "Dear Gunborg Åkesson," in text and "Thank you for your time," in text
    assert "What you told us" in text and "What came of it" in text
    assert "Next milestone: Lotsen bemannad (1 February 2027)." in text  # the date in English
    assert FINDING in text  # what the company said stays as it was written
    assert '<html lang="en">' in html and "What you told us" in html and "Dear Gunborg" in html
    for swedish in ("Det här berättade ni", "Hej Gunborg", "februari", "Tack för er tid"):
        assert swedish not in text + html


def test_a_letter_is_in_swedish_by_default(dialogue, developer, django_capture_on_commit_callbacks):
    assert dialogue["contact"].language == "sv"
    message = _sent_letter(dialogue, developer, django_capture_on_commit_callbacks)
    assert message.language == "sv"
    assert "Det här berättade ni" in message.body_text
    assert "1 februari 2027" in message.body_text
    assert '<html lang="sv">' in message.body_html
    assert "What you told us" not in message.body_text + message.body_html


def test_a_letter_for_post_is_in_the_language_of_the_person_met(dialogue, developer):
    """No one at the company agreed to e-mail: the letter goes by post to the person met at the
    round's interview, in their language."""
    post_only = dialogue["post_only"]
    reader = ContactFactory(company=post_only, name="John Smith", email="", language="en")
    post_only.interviews.get().interviewees.add(reader)
    letter = _round(developer).letters.get(company=post_only)
    assert letter.delivery == ResultsLetter.Delivery.POST and letter.contact == reader
    assert letter_language(letter) == "en"
    pdf = letter_pdf(letter)
    text = pdf_text(pdf)
    assert "Attn: John Smith" in text and "Dear John Smith," in text
    assert "There is nothing to tell yet from the interviews of this round." in text
    assert "Thank you for your time," in text and "Tack för er tid" not in text
    assert "Tack för att ni tog emot oss i höstas." in text  # the round's opening, as written
    assert b"/Lang (en)" in pdf_objects(pdf)


def test_a_letter_for_post_without_a_known_contact_is_in_swedish(dialogue, developer):
    letter = _round(developer).letters.get(company=dialogue["post_only"])
    assert letter.contact is None and letter_language(letter) == "sv"
    pdf = letter_pdf(letter)
    assert "Det finns ännu inget att berätta" in pdf_text(pdf)
    assert b"/Lang (sv)" in pdf_objects(pdf)


def test_an_english_letter_on_paper_tells_the_story_in_english(dialogue, developer):
    dialogue["contact"].language = "en"
    dialogue["contact"].save()
    letter = _round(developer).letters.get(company=dialogue["told"])
    text = pdf_text(letter_pdf(letter))
    assert "What you told us" in text and FINDING in text
    assert "Det här berättade ni" not in text


def test_the_preview_shows_the_letter_in_the_language_it_is_sent_in(
    developer_client, dialogue, developer
):
    dialogue["contact"].language = "en"
    dialogue["contact"].save()
    letter = _round(developer).letters.get(company=dialogue["told"])
    page = developer_client.get(reverse("letters:letter_detail", args=[letter.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'lang="en"' in html and "What you told us" in html and "Dear Gunborg" in html
    assert "Engelska" in html  # which language, named in the page's own (Swedish)
    assert "Mottagare" in html  # the page around the letter stays Swedish


def test_the_default_opening_comes_in_each_letters_language(dialogue, developer, developer_client):
    """A round drafted with the form's opening (shown in Swedish) gives an English letter the
    same opening in English; an opening written for the round is used as written, and the
    preview of an English letter says so."""
    dialogue["contact"].language = "en"
    dialogue["contact"].save()
    with translation.override("sv"):
        swedish_default = str(DEFAULT_OPENING)
    letter_round = letter_round_create(
        title="Hösten 2026",
        interviews_from=AUTUMN[0],
        interviews_to=AUTUMN[1],
        opening=swedish_default,
        user=developer,
    )
    english = letter_round.letters.get(company=dialogue["told"])
    swedish = letter_round.letters.get(company=dialogue["post_only"])
    assert letter_content(english)["opening"].startswith("Thank you for taking the time")
    assert letter_content(swedish)["opening"] == swedish_default
    page = developer_client.get(reverse("letters:letter_detail", args=[english.pk]))
    assert "alert-warning" not in page.content.decode()

    custom = _round(developer).letters.get(company=dialogue["told"])
    assert letter_content(custom)["opening"] == "Tack för att ni tog emot oss i höstas."
    page = developer_client.get(reverse("letters:letter_detail", args=[custom.pk]))
    assert 'role="note"' in page.content.decode()  # give it an opening in its language
