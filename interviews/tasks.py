"""Celery tasks of the interviews app: each takes ids, calls one service, and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from .export_jobs import interview_export_execute, interview_exports_sweep

# An export of 100,000 interviews (600,000 rows) takes a few minutes on a 2-core machine; the
# limits leave room for several times that. Longer than the broker's visibility timeout, so a
# long export may be delivered twice: the second delivery sees the heartbeat and leaves it.
EXPORT_SOFT_TIME_LIMIT = 30 * 60
EXPORT_TIME_LIMIT = EXPORT_SOFT_TIME_LIMIT + 60


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=EXPORT_SOFT_TIME_LIMIT,
    time_limit=EXPORT_TIME_LIMIT,
    max_retries=0,
)
def build_interview_export(export_id: int) -> str | None:
    """Build one export's file; the job records progress and any failure."""
    export = interview_export_execute(export_id=export_id)
    return export.status if export is not None else None


@shared_task(acks_late=True, time_limit=300)
def sweep_interview_exports() -> int:
    """Fail stuck export jobs and delete expired files (celery beat, every 10 minutes)."""
    return interview_exports_sweep()
