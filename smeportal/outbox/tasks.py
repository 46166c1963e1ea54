"""Celery tasks of the outbox: each takes an id, calls one service, and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from .models import OutgoingMessage
from .services import message_send, outbox_sweep, retry_delay


@shared_task(bind=True, acks_late=True, max_retries=None, soft_time_limit=90, time_limit=120)
def send_outgoing_message(self, message_id: int) -> str:
    message = message_send(message_id=message_id)
    if message.status == OutgoingMessage.Status.QUEUED and not self.request.is_eager:
        # Refused for now: try again after a growing pause. (In-process, without a worker,
        # the sweep tries again instead of holding up the request.)
        raise self.retry(countdown=retry_delay(message.attempts))
    return message.status


@shared_task(acks_late=True, soft_time_limit=90, time_limit=120)
def sweep_outbox() -> dict[str, int]:
    return outbox_sweep()
