"""Retention covers the outbox: e-mail the portal sent, deleted by a decision like any record."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import RetentionDecision
from audit.selectors import RetentionCriteria, retention_candidates
from audit.services import retention_decision_execute
from interviews.models import InterviewExport
from smeportal.outbox.models import OutgoingMessage
from tests.audit.plan_rules import rule_fields
from tests.confirmations import post_confirmed

pytestmark = pytest.mark.django_db
URL = reverse("audit:retention")


def _message(days_old: int, status=OutgoingMessage.Status.SENT, to="bo@example.invalid"):
    message = OutgoingMessage.objects.create(
        to=to,
        subject="Påminnelser från Företagsdialog",
        body_text="En uppföljning förfaller i dag: Ring Hällby Åkeri.",
        purpose=OutgoingMessage.Purpose.DIGEST,
        message_id=f"<{to}-{days_old}-{status}@foretagsdialog.invalid>",
        status=status,
    )
    OutgoingMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_old)
    )
    return message


def test_sent_and_failed_messages_older_than_the_limit_are_candidates():
    old_sent = _message(800)
    old_failed = _message(900, OutgoingMessage.Status.FAILED)
    _message(900, OutgoingMessage.Status.QUEUED)  # not yet sent: never covered
    _message(30)
    found = retention_candidates(RetentionCriteria(scope="utskick", older_than_years=2))
    assert [message.pk for message in found] == [old_failed.pk, old_sent.pk]


def test_a_decision_deletes_the_chosen_messages_and_nothing_else(administrator, developer):
    old = _message(800)
    kept = _message(800, to="annan@example.invalid")
    export = InterviewExport.objects.create(requested_by=developer)
    decision = retention_decision_execute(
        user=administrator,
        criteria=RetentionCriteria(scope="utskick", older_than_years=2),
        reference="KS 2026/9",
        reason="E-post som inte längre behövs gallras efter två år.",
        record_ids=[old.pk],
    )
    assert not OutgoingMessage.objects.filter(pk=old.pk).exists()
    assert OutgoingMessage.objects.filter(pk=kept.pk).exists()
    assert InterviewExport.objects.filter(pk=export.pk).exists()  # not an export decision
    assert decision.counts == {"outbox.outgoingmessage": 1}
    assert decision.scope_description.startswith("E-post som portalen har skickat (raderas)")
    assert "köad före" in decision.scope_description
    assert "Hällby" not in decision.scope_description


def test_the_retention_page_lists_and_deletes_messages(admin_client):
    old = _message(800, to="gunborg@example.invalid")
    listing = admin_client.post(
        URL, {**rule_fields("utskick", 2), "search": "gunborg", "show": "1"}
    )
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "gunborg@example.invalid" in html and "Påminnelser från Företagsdialog" in html
    response = post_confirmed(
        admin_client,
        URL,
        {
            **rule_fields("utskick", 2),
            "search": "",
            "reference": "KS 2026/9",
            "reason": "Gallring av e-post.",
            "records": [str(old.pk)],
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    assert not OutgoingMessage.objects.filter(pk=old.pk).exists()
    assert RetentionDecision.objects.get().scope == "utskick"
