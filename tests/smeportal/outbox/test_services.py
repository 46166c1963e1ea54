"""The outbox sends through a real SMTP server: what arrives, once, and what a refusal does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from smeportal.outbox.models import OutgoingMessage
from smeportal.outbox.services import (
    MAX_ATTEMPTS,
    message_queue,
    message_send,
    message_send_again,
    outbox_sweep,
)

pytestmark = pytest.mark.django_db

HTML = '<!DOCTYPE html><html lang="sv"><body><main><h1>Hej</h1></main></body></html>'


def _queue(**overrides) -> OutgoingMessage:
    fields = {
        "to": "anna.andersson@example.se",
        "subject": "Påminnelse: tre uppföljningar väntar",
        "body_text": "Hej Anna!\n\nDu har tre uppföljningar som förfaller inom tre dagar.\n",
        "body_html": HTML,
        "purpose": OutgoingMessage.Purpose.DIGEST,
        "language": "sv",
        **overrides,
    }
    message, _created = message_queue(**fields)
    return message


def test_a_message_arrives_with_its_headers_and_both_parts(smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "Företagsdialog <foretagsdialog@eskilstuna.example>"
    message = _queue()
    sent = message_send(message_id=message.pk)

    assert sent.status == OutgoingMessage.Status.SENT
    assert sent.sent_at is not None and sent.attempts == 1
    [received] = smtp_server.messages
    assert smtp_server.envelopes[0].rcpt_tos == ["anna.andersson@example.se"]
    assert received["Subject"].strip() == "Påminnelse: tre uppföljningar väntar"
    assert received["To"] == "anna.andersson@example.se"
    assert "foretagsdialog@eskilstuna.example" in received["From"]
    assert received["Message-ID"].strip() == message.message_id
    assert received["Content-Language"] == "sv"
    assert received["Auto-Submitted"] == "auto-generated"
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "förfaller inom tre dagar" in text
    assert '<html lang="sv">' in html
    assert "<img" not in html


def test_sending_twice_sends_once(smtp_server):
    message = _queue()
    message_send(message_id=message.pk)
    again = message_send(message_id=message.pk)
    assert again.status == OutgoingMessage.Status.SENT
    assert len(smtp_server.messages) == 1


def test_a_message_is_sent_only_once_its_transaction_commits(
    smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                _queue()
                raise RuntimeError("the change that caused the message was rolled back")
    assert OutgoingMessage.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.SENT  # in-process in the tests
    assert len(smtp_server.messages) == 1


def test_the_same_key_queues_one_message(db):
    first, created = message_queue(
        to="a@example.se",
        subject="Påminnelser",
        body_text="x",
        purpose=OutgoingMessage.Purpose.DIGEST,
        dedupe_key="paminnelser:1:2026-12-01",
    )
    again, created_again = message_queue(
        to="a@example.se",
        subject="Påminnelser",
        body_text="x",
        purpose=OutgoingMessage.Purpose.DIGEST,
        dedupe_key="paminnelser:1:2026-12-01",
    )
    assert created and not created_again
    assert again == first
    assert OutgoingMessage.objects.count() == 1


def test_a_temporary_refusal_is_tried_again_later(smtp_server):
    smtp_server.refuse(451, "Try again later")
    message = message_send(message_id=_queue().pk)
    assert message.status == OutgoingMessage.Status.QUEUED
    assert "451" in message.last_error and message.attempts == 1
    assert smtp_server.messages == []

    smtp_server.accept()
    message = message_send(message_id=message.pk)
    assert message.status == OutgoingMessage.Status.SENT
    assert message.attempts == 2 and message.last_error == ""
    assert len(smtp_server.messages) == 1


def test_a_permanent_refusal_fails_at_once_and_an_administrator_can_send_again(smtp_server):
    smtp_server.refuse(550, "No such mailbox")
    message = message_send(message_id=_queue().pk)
    assert message.status == OutgoingMessage.Status.FAILED
    assert "550" in message.last_error

    smtp_server.accept()
    message = message_send_again(message=message)  # in-process in the tests: sent at once
    message.refresh_from_db()
    assert message.status in {OutgoingMessage.Status.QUEUED, OutgoingMessage.Status.SENT}
    message = message_send(message_id=message.pk)
    assert message.status == OutgoingMessage.Status.SENT
    assert len(smtp_server.messages) == 1


def test_no_server_is_a_temporary_failure_until_the_attempts_run_out(no_smtp_server):
    message = _queue()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        message = message_send(message_id=message.pk)
        assert message.attempts == attempt
    assert message.status == OutgoingMessage.Status.FAILED
    assert "Connection" in message.last_error or "Errno" in message.last_error


def test_the_sweep_never_sends_a_message_a_stopped_worker_may_have_sent(smtp_server):
    message = _queue()
    OutgoingMessage.objects.filter(pk=message.pk).update(
        status=OutgoingMessage.Status.SENDING,
        attempts=1,
        attempted_at=timezone.now() - timedelta(hours=1),
    )
    assert outbox_sweep()["failed"] == 1
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.FAILED
    assert "kan ha kommit fram" in message.last_error or "may have arrived" in message.last_error
    assert message_send(message_id=message.pk).status == OutgoingMessage.Status.FAILED
    assert smtp_server.messages == []


def test_the_sweep_hands_a_message_that_waited_to_a_worker(smtp_server):
    message = _queue()
    OutgoingMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    assert outbox_sweep()["requeued"] == 1
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.SENT  # in-process in the tests
    assert len(smtp_server.messages) == 1
