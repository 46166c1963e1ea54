"""Celery tasks: each takes ids, calls one service, and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from .models import ReportRun
from .services import (
    REPORT_SOFT_TIME_LIMIT,
    REPORT_TIME_LIMIT,
    report_run_execute,
    report_runs_sweep,
)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=REPORT_SOFT_TIME_LIMIT,
    time_limit=REPORT_TIME_LIMIT,
    max_retries=0,
)
def build_summary_report(run_id: int) -> str:
    """Build the report of one run; the run records progress and any failure."""
    return report_run_execute(run_id=run_id).status


# The same limits as an ordinary run: past the soft one the run is failed with a message, and
# the sweep (which waits for the hard one) never fails a run that is still being built.
@shared_task(acks_late=True, soft_time_limit=REPORT_SOFT_TIME_LIMIT, time_limit=REPORT_TIME_LIMIT)
def build_scheduled_report() -> int:
    """The weekly report (celery beat): a new run, built here in the worker, then the council's
    weekly message (reports.council_mail)."""
    from .council_mail import council_summary_queue

    run = ReportRun.objects.create(is_scheduled=True)
    run = report_run_execute(run_id=run.pk)
    council_summary_queue(run=run)
    return run.pk


@shared_task(acks_late=True, time_limit=120)
def sweep_stale_report_runs() -> int:
    return report_runs_sweep()
