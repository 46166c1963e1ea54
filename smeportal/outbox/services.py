"""Queue a message, send it once, and sweep what a worker left behind.

At most once: a message is marked "being sent" (and that is committed) before the mail server
is contacted. A worker that dies while sending leaves it so; the sweep then marks it failed
with a note that it may have arrived, and it is sent again only when an administrator says so.
A message the server refused for now (4xx, no connection) is queued again and retried with
growing pauses; one it refused for good (5xx) fails at once.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smeportal.core.queueing import enqueue_fail_fast

from .models import OutgoingMessage

logger = logging.getLogger(__name__)

# Attempts before a message the server keeps refusing for now is given up; the pause before
# each next attempt (seconds).
MAX_ATTEMPTS = 5
RETRY_DELAYS = (60, 5 * 60, 15 * 60, 60 * 60)
# A message "being sent" for longer than this was left by a worker that stopped.
SENDING_TIMEOUT = timedelta(minutes=15)
# A queued message not sent within this time is handed to a worker again (the broker was down,
# or a retry was lost).
QUEUED_GRACE = timedelta(minutes=5)


def retry_delay(attempts: int) -> int:
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]


def _enqueue(message_id: int) -> None:
    from .tasks import send_outgoing_message

    # When the broker is down the message stays queued; the sweep hands it over later.
    enqueue_fail_fast(send_outgoing_message, args=[message_id])


def message_queue(
    *,
    to: str,
    subject: str,
    body_text: str,
    purpose: str,
    language: str = "sv",
    body_html: str = "",
    recipient=None,
    related: models.Model | None = None,
    dedupe_key: str | None = None,
    unsubscribe_url: str = "",
) -> tuple[OutgoingMessage, bool]:
    """Write a message to the outbox and have a worker send it once the caller's transaction
    commits. With a `dedupe_key` already used, nothing new is written: (the earlier, False)."""
    if dedupe_key is not None:
        existing = OutgoingMessage.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing, False
    domain = settings.EMAIL_MESSAGE_ID_DOMAIN
    fields = {
        "to": to,
        "subject": subject[:200],
        "body_text": body_text,
        "body_html": body_html,
        "purpose": purpose,
        "language": language,
        "recipient": recipient,
        "dedupe_key": dedupe_key,
        "message_id": make_msgid(idstring="smeportal", domain=domain),
        "unsubscribe_url": unsubscribe_url,
    }
    if related is not None:
        fields["related_type"] = ContentType.objects.get_for_model(related)
        fields["related_id"] = related.pk
    try:
        with transaction.atomic():
            message = OutgoingMessage.objects.create(**fields)
    except IntegrityError:
        if dedupe_key is None:
            raise
        return OutgoingMessage.objects.get(dedupe_key=dedupe_key), False
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message, True


def _email(message: OutgoingMessage) -> EmailMultiAlternatives:
    headers = {
        "Message-ID": message.message_id,
        "Content-Language": message.language,
        # RFC 3834: no automatic replies (out of office) to a message nobody typed.
        "Auto-Submitted": "auto-generated",
    }
    if message.unsubscribe_url:
        # RFC 2369 and 8058: the mail program offers "unsubscribe", and may post to the link
        # itself (the link's signed token is what authorises it).
        headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers=headers,
        reply_to=[settings.EMAIL_REPLY_TO] if settings.EMAIL_REPLY_TO else None,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


def _is_permanent(error: Exception) -> bool:
    """A refusal the server means for good (5xx): trying again would not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def message_send(*, message_id: int) -> OutgoingMessage:
    """Send one queued message; any other state is left alone (safe to call twice)."""
    with transaction.atomic():
        message = OutgoingMessage.objects.select_for_update().get(pk=message_id)
        if message.status != OutgoingMessage.Status.QUEUED:
            return message
        message.status = OutgoingMessage.Status.SENDING
        message.attempts += 1
        message.attempted_at = timezone.now()
        message.save(update_fields=["status", "attempts", "attempted_at"])
    try:
        _email(message).send(fail_silently=False)
    except Exception as error:  # SMTP errors, OSError, a misconfigured backend: all recorded
        permanent = _is_permanent(error) or message.attempts >= MAX_ATTEMPTS
        logger.warning("Outgoing message %s not sent: %s", message.pk, error)
        message.status = (
            OutgoingMessage.Status.FAILED if permanent else OutgoingMessage.Status.QUEUED
        )
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.save(update_fields=["status", "last_error"])
        return message
    message.status = OutgoingMessage.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["status", "sent_at", "last_error"])
    return message


def message_send_again(*, message: OutgoingMessage) -> OutgoingMessage:
    """An administrator sends a failed message again (after fixing what made it fail)."""
    with transaction.atomic():
        updated = OutgoingMessage.objects.filter(
            pk=message.pk, status=OutgoingMessage.Status.FAILED
        ).update(status=OutgoingMessage.Status.QUEUED, attempts=0)
        if updated:
            transaction.on_commit(lambda: _enqueue(message.pk))
    message.refresh_from_db()
    return message


def outbox_sweep(*, now=None) -> dict[str, int]:
    """Fail messages a stopped worker left "being sent" (they may have arrived: never sent
    again by themselves), and hand queued messages that waited too long to a worker again."""
    now = now or timezone.now()
    stale = OutgoingMessage.objects.filter(
        status=OutgoingMessage.Status.SENDING, attempted_at__lt=now - SENDING_TIMEOUT
    ).update(
        status=OutgoingMessage.Status.FAILED,
        last_error=_(
            "The worker stopped while sending this message; it may have arrived. Check with "
            "the recipient before sending it again."
        ),
    )
    waiting = list(
        OutgoingMessage.objects.filter(
            status=OutgoingMessage.Status.QUEUED,
            created_at__lt=now - QUEUED_GRACE,
        )
        .filter(
            models.Q(attempted_at__isnull=True)
            | models.Q(attempted_at__lt=now - timedelta(seconds=RETRY_DELAYS[-1]))
        )
        .values_list("pk", flat=True)[:500]
    )
    for pk in waiting:
        _enqueue(pk)
    return {"failed": stale, "requeued": len(waiting)}
