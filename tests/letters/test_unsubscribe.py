"""“No more letters”: every e-mailed letter carries a link, and List-Unsubscribe headers for one
click in the mail program (RFC 8058), that withdraw the person's agreement to hear about the
results, without logging in."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from letters.models import ResultsLetter
from letters.services import letter_round_create, letter_round_send, unsubscribe_token
from smeportal.outbox.models import OutgoingMessage
from smeportal.outbox.services import message_send

from .test_letters import _round

pytestmark = pytest.mark.django_db


def _stop_url(contact) -> str:
    return reverse("letters:unsubscribe", args=[unsubscribe_token(contact)])


def _send(dialogue, developer, capture) -> OutgoingMessage:
    with capture(execute=True):
        letter_round_send(letter_round=_round(developer), user=developer)
    return OutgoingMessage.objects.get(purpose=OutgoingMessage.Purpose.RESULTS_LETTER)


def test_the_letter_carries_the_link_and_the_one_click_headers(
    smtp_server, dialogue, developer, django_capture_on_commit_callbacks
):
    message = _send(dialogue, developer, django_capture_on_commit_callbacks)
    assert message.unsubscribe_url.endswith(_stop_url(dialogue["contact"]))
    message_send(message_id=message.pk)
    [received] = smtp_server.messages
    assert received["List-Unsubscribe"].strip() == f"<{message.unsubscribe_url}>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    assert message.unsubscribe_url in text and f'href="{message.unsubscribe_url}"' in html
    assert "Inga fler brev som det här:" in text


def test_staff_messages_have_no_unsubscribe_headers(smtp_server, developer):
    from smeportal.outbox.services import message_queue

    message, _created = message_queue(
        to="utvecklare@eskilstuna.invalid",
        subject="Påminnelse",
        body_text="Text",
        purpose=OutgoingMessage.Purpose.DIGEST,
    )
    message_send(message_id=message.pk)
    [received] = smtp_server.messages
    assert received["List-Unsubscribe"] is None


def test_the_page_asks_first_and_says_nothing_about_the_person(client, dialogue):
    page = client.get(_stop_url(dialogue["contact"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Skicka inga fler brev till mig" in text
    for personal in ("Gunborg", "gunborg@hallby.invalid", "Hällby"):
        assert personal not in text
    dialogue["contact"].refresh_from_db()
    assert dialogue["contact"].results_consent_on is not None  # a GET changes nothing


def test_stopping_withdraws_the_agreement_and_the_next_round_goes_by_post(
    client, dialogue, developer
):
    contact = dialogue["contact"]
    page = client.post(_stop_url(contact))
    assert page.status_code == 200 and "inga fler brev" in page.content.decode()
    contact.refresh_from_db()
    assert contact.results_consent_on is None and contact.results_consent_by is None
    latest = contact.history.first()
    assert latest.history_type == "~" and latest.history_user is None
    # Asking again is harmless.
    assert client.post(_stop_url(contact)).status_code == 200
    letter_round = letter_round_create(
        title="Våren", interviews_from=dialogue["contact"].interviews.first().date,
        interviews_to=dialogue["contact"].interviews.first().date, opening="Hej", user=developer,
    )  # fmt: skip
    letter = letter_round.letters.get(company=dialogue["told"])
    assert letter.delivery == ResultsLetter.Delivery.POST


def test_a_mail_program_posts_without_a_csrf_token(dialogue):
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(_stop_url(dialogue["contact"]), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    dialogue["contact"].refresh_from_db()
    assert dialogue["contact"].results_consent_on is None


def test_the_page_is_in_the_persons_language(client, dialogue):
    dialogue["contact"].language = "en"
    dialogue["contact"].save()
    page = client.get(_stop_url(dialogue["contact"]))
    assert "Send me no more letters" in page.content.decode()
    assert '<html lang="en">' in page.content.decode()


@pytest.mark.parametrize(
    "token",
    ["nonsense", "MQ:1tFake:abcdefghijklmnopqrstuvwxyz0", "<script>alert(1)<"],
)
def test_a_link_the_portal_did_not_sign_is_refused(client, dialogue, token):
    page = client.post(reverse("letters:unsubscribe", args=[token]))
    assert page.status_code == 404
    assert "Länken är inte giltig" in page.content.decode()
    assert "<script>alert" not in page.content.decode()
    dialogue["contact"].refresh_from_db()
    assert dialogue["contact"].results_consent_on is not None


def test_a_token_names_one_contact_only(dialogue):
    token = unsubscribe_token(dialogue["contact"])
    assert re.fullmatch(r"[\w:-]+", token)
    assert str(dialogue["contact"].pk) not in token.split(":")[1:]
