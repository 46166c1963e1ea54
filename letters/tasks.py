"""Celery tasks of the letters: each takes an id, calls one service, and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from .services import letter_round_deliver


# Within the broker's visibility timeout (settings); a round cut short is taken up again by
# "Skicka breven" on its page, which delivers only the letters still in draft.
@shared_task(acks_late=True, soft_time_limit=9 * 60, time_limit=10 * 60)
def deliver_letter_round(round_id: int) -> int:
    return letter_round_deliver(round_id=round_id)
