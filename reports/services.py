"""Report runs: request one, build it (in a Celery worker), and sweep runs that died."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from datetime import date, timedelta

from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from smeportal.core.queueing import enqueue_fail_fast
from smeportal.core.schedules import periodic_task, periodic_task_schedule

from .models import ReportRun, SummarySnapshot

logger = logging.getLogger(__name__)

# A run is given up after this many deliveries (a worker that keeps dying on it).
MAX_ATTEMPTS = 3
# How long a queued run may wait for a worker before the sweep gives up on it.
QUEUED_TIMEOUT = timedelta(hours=1)


# The report task's own time limits, in seconds. At 100,000 interviews (600,000 findings) a
# report takes about 1 minute of CPU and 2.5 to 3 minutes on this 2-core machine while it is busy
# with other work (measured, issue 12); ten minutes leave room for twice that data on a busy
# machine. The hard limit stays below the broker's visibility timeout, after which Redis would
# hand the same task to a second worker while the first is still building it.
REPORT_SOFT_TIME_LIMIT = 10 * 60
REPORT_TIME_LIMIT = REPORT_SOFT_TIME_LIMIT + 60


def _running_timeout() -> timedelta:
    # The hard time limit plus a margin for the worker to report back.
    return timedelta(seconds=REPORT_TIME_LIMIT + 60)


def _fail(run: ReportRun, message: str) -> ReportRun:
    run.status = ReportRun.Status.FAILED
    run.error_message = message
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error_message", "finished_at"])
    return run


def _enqueue(run_id: int) -> None:
    """Hand the run to Celery; when the broker cannot be reached, the run fails visibly."""
    from .tasks import build_summary_report

    if not enqueue_fail_fast(build_summary_report, args=[run_id]):
        _fail(
            ReportRun.objects.get(pk=run_id),
            _(
                "The report could not be started because the job queue (Redis) cannot be reached. "
                "Nothing else is affected; try again in a while or contact the administrator."
            ),
        )


def report_run_request(
    *,
    user,
    period_start: date | None = None,
    period_end: date | None = None,
    scheduled: bool = False,
) -> ReportRun:
    """Create a queued run and hand it to a worker once the run is committed."""
    run = ReportRun.objects.create(
        requested_by=user,
        period_start=period_start,
        period_end=period_end,
        is_scheduled=scheduled,
    )
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _set_progress(run: ReportRun, percent: int) -> None:
    percent = min(100, percent)
    if percent <= run.progress:
        return  # one UPDATE per step forward, however often the writer reports
    run.progress = percent
    ReportRun.objects.filter(pk=run.pk).update(progress=run.progress)


# The parts of the progress bar: the figures, then the workbook (its data sheets the most),
# then the PDF (a few pages of figures, about a second whatever the data).
SUMMARY_DONE = 20
WORKBOOK_DONE = 94
PDF_DONE = 98


def report_run_execute(*, run_id: int) -> ReportRun:
    """Build the summary snapshot, the workbook and the PDF of one run. Safe to run twice.

    A finished run is left alone; a run found "running" was left by a worker that died (acks_late
    redelivers it), so it is taken over, at most MAX_ATTEMPTS times.

    Memory does not grow with the data: the figures are aggregated by the database, and the
    data sheets' rows are streamed from it into a write-only workbook written to a temporary
    file, which is then copied to storage in chunks. The progress moves with the rows written.
    The PDF holds the figures only (reports/pdf.py), so its size does not grow with the data.
    Both are in the report language, whoever asked for the run and wherever it is built.
    """
    from .pdf import summary_pdf_write
    from .rows import finding_row_count, summary_row_streams
    from .summary import summary_compute
    from .workbook import REPORT_LANGUAGE, summary_workbook_write

    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        if run.is_finished:
            return run
        run.attempts += 1
        if run.attempts > MAX_ATTEMPTS:
            return _fail(
                run,
                _("The report was given up after %(count)s attempts.") % {"count": MAX_ATTEMPTS},
            )
        run.status = ReportRun.Status.RUNNING
        run.started_at = timezone.now()
        run.progress = 5
        run.error_message = ""
        run.save(update_fields=["status", "started_at", "progress", "attempts", "error_message"])

    try:
        period = {"period_start": run.period_start, "period_end": run.period_end}
        summary = summary_compute(**period)
        _set_progress(run, SUMMARY_DONE)
        span = WORKBOOK_DONE - SUMMARY_DONE
        on_progress: Callable[[int], None] = lambda p: _set_progress(  # noqa: E731
            run, SUMMARY_DONE + p * span // 100
        )
        with (
            tempfile.TemporaryFile(suffix=".xlsx") as handle,
            tempfile.TemporaryFile(suffix=".pdf") as pdf_handle,
        ):
            summary_workbook_write(
                summary,
                handle,
                rows=summary_row_streams(**period),
                row_counts={"findings": finding_row_count(**period)},
                on_progress=on_progress,
            )
            with translation.override(REPORT_LANGUAGE):
                summary_pdf_write(summary, pdf_handle)
            _set_progress(run, PDF_DONE)
            return _finish(run, summary, handle, pdf_handle)
    except Exception as error:
        logger.exception("Report run %s failed", run.pk)
        from celery.exceptions import SoftTimeLimitExceeded

        if isinstance(error, SoftTimeLimitExceeded):
            message = _("The report took too long and was stopped.")
        else:
            message = _(
                "The report could not be built because of an internal error. "
                "The administrator can see the details in the log."
            )
        return _fail(run, message)


def _finish(run: ReportRun, summary: dict, handle, pdf_handle) -> ReportRun:
    """Store the snapshot, the workbook and the PDF (each copied in chunks from its handle),
    unless a retention decision was carried out meanwhile."""
    stem = f"sammanstallning-{timezone.localtime():%Y%m%d-%H%M}-{run.pk}"
    name, pdf_name = f"{stem}.xlsx", f"{stem}.pdf"
    handle.seek(0)
    pdf_handle.seek(0)
    with transaction.atomic():
        # A retention decision carried out while this run read the data marks it (and waits
        # for this lock if the run is finishing): what was built may hold the records the
        # decision removed, so it is thrown away; the decision requested a new run.
        current = ReportRun.objects.select_for_update().only("removed_by").get(pk=run.pk)
        if current.removed_by_id is not None:
            return _fail(
                run,
                _(
                    "A retention decision was carried out while this report was being "
                    "built, so it was discarded. A new report has been requested."
                ),
            )
        snapshot = SummarySnapshot.objects.create(
            taken_at=timezone.now(),
            period_start=run.period_start,
            period_end=run.period_end,
            data=summary,
        )
        run.file.save(name, File(handle, name=name), save=False)
        try:
            run.pdf_file.save(pdf_name, File(pdf_handle, name=pdf_name), save=False)
            run.snapshot = snapshot
            run.status = ReportRun.Status.DONE
            run.progress = 100
            run.finished_at = timezone.now()
            run.save(
                update_fields=["file", "pdf_file", "snapshot", "status", "progress", "finished_at"]
            )
        except Exception:
            # No file without a run that names it.
            run.file.storage.delete(run.file.name)
            if run.pdf_file:
                run.pdf_file.storage.delete(run.pdf_file.name)
            raise
    return run


def report_runs_sweep(*, now=None) -> int:
    """Mark runs that cannot finish any more as failed, so none stays "running" for ever."""
    now = now or timezone.now()
    swept = 0
    with transaction.atomic():
        stale = ReportRun.objects.select_for_update(skip_locked=True).filter(
            status=ReportRun.Status.RUNNING, started_at__lt=now - _running_timeout()
        )
        for run in stale:
            _fail(
                run,
                _(
                    "The report job stopped without finishing (the time limit was "
                    "exceeded or the worker stopped). Start a new report."
                ),
            )
            swept += 1
        never_started = ReportRun.objects.select_for_update(skip_locked=True).filter(
            status=ReportRun.Status.QUEUED, requested_at__lt=now - QUEUED_TIMEOUT
        )
        for run in never_started:
            _fail(
                run,
                _(
                    "No worker picked up the report within an hour. Start a new report; "
                    "if it happens again, contact the administrator."
                ),
            )
            swept += 1
    return swept


WEEKLY_TASK_NAME = "Veckorapport: sammanställning av de sex områdena"


def weekly_schedule():
    """The weekly report's periodic task (created by a migration), or None."""
    return periodic_task(WEEKLY_TASK_NAME)


def weekly_schedule_update(*, enabled: bool, day_of_week: str, hour: int):
    """Change when the weekly report runs (Swedish time), or pause it."""
    return periodic_task_schedule(
        name=WEEKLY_TASK_NAME,
        task="reports.tasks.build_scheduled_report",
        enabled=enabled,
        hour=hour,
        day_of_week=day_of_week,
    )
