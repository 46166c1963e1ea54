"""Celery tasks of the reminders: each calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from .services import daily_digests_queue


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def send_daily_digests() -> int:
    return daily_digests_queue()
