"""“Ni sa – vi gjorde”: one letter per company of a round, its story, approval and sending."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from letters.models import ResultsLetter
from letters.selectors import company_story
from letters.services import (
    letter_opening_update,
    letter_pdf,
    letter_round_create,
    letter_round_deliver,
    letter_round_send,
)
from smeportal.outbox.models import OutgoingMessage
from smeportal.outbox.services import message_send
from tests.reports.test_pdf import pdf_info, pdf_objects, pdf_text

from .conftest import AUTUMN

pytestmark = pytest.mark.django_db


def _round(user):
    return letter_round_create(
        title="Hösten 2026",
        interviews_from=AUTUMN[0],
        interviews_to=AUTUMN[1],
        opening="Tack för att ni tog emot oss i höstas.",
        user=user,
    )


def test_one_letter_per_company_interviewed_in_the_round(dialogue, developer):
    letters = {letter.company: letter for letter in _round(developer).letters.all()}
    assert set(letters) == {dialogue["told"], dialogue["post_only"]}
    assert letters[dialogue["told"]].delivery == ResultsLetter.Delivery.EMAIL
    assert letters[dialogue["told"]].contact == dialogue["contact"]  # the one who agreed
    assert letters[dialogue["post_only"]].delivery == ResultsLetter.Delivery.POST
    assert letters[dialogue["post_only"]].contact is None


def test_the_story_tells_what_was_said_and_what_came_of_it(dialogue):
    story = company_story(dialogue["told"], date_from=AUTUMN[0], date_to=AUTUMN[1])
    [area] = story.areas
    assert area.findings == ["Bygglovet tar för lång tid för oss"]  # never the confidential one
    [proposal] = area.proposals
    assert proposal.title == "En väg in för bygglov"  # through the merge
    [activity] = proposal.activities
    assert activity.title == "Bygglovslotsen"
    assert activity.municipality_owner == "Stadsbyggnadsförvaltningen"
    assert activity.next_milestone[0] == "Lotsen bemannad"
    assert activity.celebrations and "Bygglovslotsen" in activity.celebrations[0]


def test_sending_the_round(dialogue, developer, django_capture_on_commit_callbacks):
    letter_round = _round(developer)
    told = letter_round.letters.get(company=dialogue["told"])
    letter_opening_update(letter=told, opening="Tack, Gunborg, för samtalet i oktober.")
    with django_capture_on_commit_callbacks(execute=True):
        counts = letter_round_send(letter_round=letter_round, user=developer)
    assert counts == {"email": 1, "post": 1}
    told.refresh_from_db()
    assert told.status == ResultsLetter.Status.SENT and told.sent_at
    message = told.message
    assert message.purpose == OutgoingMessage.Purpose.RESULTS_LETTER
    assert message.to == "gunborg@hallby.invalid" and message.related == told
    assert "Tack, Gunborg, för samtalet i oktober." in message.body_text
    assert "Bygglovet tar för lång tid för oss" in message.body_text
    assert "Bygglovslotsen" in message.body_text and "/resultat/" in message.body_text
    assert "Hemlig expansionsplan" not in message.body_text + message.body_html
    post = letter_round.letters.get(company=dialogue["post_only"])
    assert post.status == ResultsLetter.Status.FOR_POST and post.message is None

    with pytest.raises(ValidationError):
        letter_round_send(letter_round=letter_round, user=developer)
    with pytest.raises(ValidationError):
        letter_opening_update(letter=told, opening="För sent")
    assert letter_round_deliver(round_id=letter_round.pk) == 0  # safe to run twice
    assert OutgoingMessage.objects.filter(purpose="ni_sa_vi_gjorde").count() == 1


def test_a_round_cut_short_is_delivered_on_a_second_send(
    dialogue, developer, django_capture_on_commit_callbacks
):
    """The worker stopped after approving: the letters are still drafts; sending again hands
    the rest over, and nothing is sent twice."""
    letter_round = _round(developer)
    letter_round_send(letter_round=letter_round, user=developer)  # the delivery never ran
    assert letter_round.letters.filter(status=ResultsLetter.Status.DRAFT).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        letter_round_send(letter_round=letter_round, user=developer)
    assert not letter_round.letters.filter(status=ResultsLetter.Status.DRAFT).exists()
    assert OutgoingMessage.objects.filter(purpose="ni_sa_vi_gjorde").count() == 1


def test_a_letter_arrives_through_a_real_smtp_server(
    smtp_server, dialogue, developer, django_capture_on_commit_callbacks
):
    letter_round = _round(developer)
    with django_capture_on_commit_callbacks(execute=True):
        letter_round_send(letter_round=letter_round, user=developer)
    message = OutgoingMessage.objects.get(purpose="ni_sa_vi_gjorde")
    assert message_send(message_id=message.pk).status == OutgoingMessage.Status.SENT
    [received] = smtp_server.messages
    assert "Hällby Åkeri AB" in received["Subject"]
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "Bygglovet tar för lång tid för oss" in text and "Bygglovet tar" in html
    assert "Hemlig" not in text + html and "<img" not in html


def test_the_letter_for_post_is_a_tagged_pdf(dialogue, developer):
    letter = _round(developer).letters.get(company=dialogue["told"])
    pdf = letter_pdf(letter)
    text = pdf_text(pdf)
    assert "Hällby Åkeri AB" in text and "Bygglovet tar för lång tid för oss" in text
    assert "Bygglovslotsen" in text and "Hemlig" not in text
    catalog = pdf_objects(pdf)
    assert b"/StructTreeRoot" in catalog and b"/Lang (sv)" in catalog
    assert re.search(r"^Tagged:\s+yes$", pdf_info(pdf), re.MULTILINE)
