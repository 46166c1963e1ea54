"""A real Celery worker sends a queued message through a real SMTP server."""

from __future__ import annotations

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from smeportal.celery import app
from smeportal.outbox.models import OutgoingMessage
from smeportal.outbox.services import message_queue

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (set in CI)"),
]


@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_the_message_once(redis_broker, smtp_server):
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        message, _created = message_queue(
            to="council@example.se",
            subject="Veckans siffror",
            body_text="Nya siffror finns på översikten.",
            purpose=OutgoingMessage.Purpose.COUNCIL_SUMMARY,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.status != OutgoingMessage.Status.QUEUED or message.attempts:
                if message.status == OutgoingMessage.Status.SENT:
                    break
            time.sleep(0.1)
    assert message.status == OutgoingMessage.Status.SENT, message.last_error
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["Subject"] == "Veckans siffror"
