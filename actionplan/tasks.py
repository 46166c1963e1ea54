"""Celery tasks of the action plan: each takes ids, calls one service, and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from .choices import KoladaFetchStatus
from .kolada import (
    KOLADA_SOFT_TIME_LIMIT,
    KOLADA_TIME_LIMIT,
    MAX_ATTEMPTS,
    kolada_fetch_all,
    kolada_fetch_execute,
    retry_delay,
)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=KOLADA_SOFT_TIME_LIMIT,
    time_limit=KOLADA_TIME_LIMIT,
    max_retries=MAX_ATTEMPTS - 1,
)
def fetch_kolada_indicator(self, fetch_id: int) -> str | None:
    """Run one fetch from Kolada; the fetch records what it did, or why it failed.

    An unreachable Kolada is tried again after growing pauses, MAX_ATTEMPTS times in all; the
    last attempt ends the fetch "unreachable". In-process (no worker) there is one attempt,
    so a page never waits for the pauses.
    """
    final = self.request.is_eager or self.request.retries >= self.max_retries
    fetch = kolada_fetch_execute(fetch_id=fetch_id, final_attempt=final)
    if fetch is None:
        return None
    if fetch.status == KoladaFetchStatus.QUEUED and not final:
        raise self.retry(countdown=retry_delay(self.request.retries))
    return fetch.status


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, max_retries=0)
def fetch_kolada_indicators() -> int:
    """Queue a fetch of every indicator fetched from Kolada (scheduled monthly by
    actionplan/migrations/0009_kolada_schedule.py); each is its own task."""
    return kolada_fetch_all()
