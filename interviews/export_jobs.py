"""Large interview exports as jobs: request one, build it in a Celery worker, download, expire.

The flow follows the report runs (reports/services.py): a queued InterviewExport is handed to
Celery once its row is committed (a broker that is down fails it at once, with a Swedish
message on its page); the task builds it (interviews.exports.export_write, to a temporary file,
then into MEDIA_ROOT) and records progress as it goes; a sweep fails jobs that cannot finish.

The file holds personal data. Only the user who asked for it, or an administrator, may fetch it
(interviews.selectors.interview_export_visible). It is kept EXPORT_FILE_KEPT after the job ends, then deleted with
the search text of its filters (by the sweep, or at once when someone opens it after that); the
job's record (who, when, how many rows) is deleted after EXPORT_RECORD_KEPT.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from smeportal.core.queueing import enqueue_fail_fast

from .models import InterviewExport

logger = logging.getLogger(__name__)

# How long a finished export's file is kept (the README says so too).
EXPORT_FILE_KEPT = timedelta(hours=24)
# How long the record of an export (who, when, how many rows; no file, no search text) is kept.
EXPORT_RECORD_KEPT = timedelta(days=90)
# A job is given up after this many deliveries (a worker that keeps dying on it).
MAX_ATTEMPTS = 3
# How long a queued job may wait for a worker before the sweep gives up on it.
QUEUED_TIMEOUT = timedelta(hours=1)
# A running job records a heartbeat with every batch of rows (about a second apart) and
# before the file is zipped and stored. Silence this long means its worker is gone.
HEARTBEAT_TIMEOUT = timedelta(minutes=5)
# The filter kept when the file goes: everything else in the filters names no one.
SEARCH_PARAMETER = "q"


def export_parameters(params) -> dict[str, str]:
    """The list's filters from a query (or form) as they are stored with a job.

    Only the filter form's own fields, each with the one value the form reads (the last).
    """
    from .filters import InterviewFilter

    stored = {}
    for name in InterviewFilter.base_filters:
        value = params.get(name, "")
        if isinstance(value, str) and value.strip():
            stored[name] = value
    return stored


def parameters_query(parameters: dict[str, str]) -> QueryDict:
    """The stored filters as the query the list and the export read."""
    query = QueryDict(mutable=True)
    for name, value in parameters.items():
        query[name] = value
    return query


def _fail(export: InterviewExport, message: str, *, now=None) -> InterviewExport:
    now = now or timezone.now()
    export.status = InterviewExport.Status.FAILED
    export.error_message = message
    export.finished_at = now
    export.expires_at = now + EXPORT_FILE_KEPT
    export.save(update_fields=["status", "error_message", "finished_at", "expires_at"])
    return export


def _enqueue(export_id: int) -> None:
    from .tasks import build_interview_export

    if not enqueue_fail_fast(build_interview_export, args=[export_id]):
        export = InterviewExport.objects.get(pk=export_id)
        _fail(
            export,
            _(
                "The export could not be started because the job queue (Redis) cannot be "
                "reached. Nothing else is affected; try again in a while or contact the "
                "administrator."
            ),
        )


def interview_export_request(*, user, parameters: dict[str, str]) -> InterviewExport:
    """Create a queued export of the interview list and hand it to a worker once committed."""
    export = InterviewExport(requested_by=user, parameters=parameters)
    export.full_clean()
    export.save()
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _heartbeat(export: InterviewExport, *, rows: int, expected: int) -> None:
    # 5 % for starting and counting, 90 % for the rows, the rest for storing the file.
    percent = 5 + (90 * rows // expected if expected else 90)
    export.progress = max(export.progress, min(95, percent))
    export.row_count = rows
    export.heartbeat_at = timezone.now()
    InterviewExport.objects.filter(pk=export.pk).update(
        progress=export.progress, row_count=rows, heartbeat_at=export.heartbeat_at
    )


def _claim(export_id: int, now) -> tuple[InterviewExport | None, bool]:
    """Lock the job and mark it running for this delivery; (job, whether to build it)."""
    with transaction.atomic():
        export = InterviewExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.is_finished:
            return export, False
        if (
            export.status == InterviewExport.Status.RUNNING
            and export.heartbeat_at is not None
            and export.heartbeat_at > now - HEARTBEAT_TIMEOUT
        ):
            # A second delivery of the same message (the broker's visibility timeout passed
            # while a long export was still being built): the first worker carries on.
            return export, False
        export.attempts += 1
        if export.attempts > MAX_ATTEMPTS:
            export.save(update_fields=["attempts"])
            message = _("The export was given up after %(count)s attempts.") % {
                "count": MAX_ATTEMPTS
            }
            return _fail(export, message, now=now), False
        export.status = InterviewExport.Status.RUNNING
        export.started_at = now
        export.heartbeat_at = now
        export.progress = 1
        export.row_count = 0
        export.error_message = ""
        export.save(
            update_fields=[
                "status",
                "started_at",
                "heartbeat_at",
                "progress",
                "row_count",
                "attempts",
                "error_message",
            ]
        )
        return export, True


def _still_ours(export: InterviewExport) -> bool:
    """Locked: the job is still running under this delivery (not failed or taken over)."""
    current = InterviewExport.objects.select_for_update().filter(pk=export.pk).first()
    return (
        current is not None
        and current.status == InterviewExport.Status.RUNNING
        and current.attempts == export.attempts
    )


def interview_export_execute(*, export_id: int) -> InterviewExport | None:
    """Build one export's file. Safe to run twice.

    A finished job is left alone; a job found running with a recent heartbeat is left to the
    worker building it; one found running without (its worker died, acks_late redelivered it)
    is taken over, at most MAX_ATTEMPTS times.
    """
    from celery.exceptions import SoftTimeLimitExceeded

    from .exports import export_row_count, export_selection, export_write

    export, build = _claim(export_id, timezone.now())
    if not build:
        return export
    try:
        selection = export_selection(parameters_query(export.parameters), user=export.requested_by)
        expected = export_row_count(selection)
        export.expected_rows = expected
        InterviewExport.objects.filter(pk=export.pk).update(expected_rows=expected)
        _heartbeat(export, rows=0, expected=expected)
        with tempfile.TemporaryFile(suffix=".xlsx") as handle:
            result = export_write(
                selection,
                handle,
                on_progress=lambda rows: _heartbeat(export, rows=rows, expected=expected),
            )
            _heartbeat(export, rows=result.row_count, expected=expected)
            handle.seek(0)
            name = f"intervjuer-{timezone.localtime():%Y%m%d-%H%M}-{export.pk}.xlsx"
            with transaction.atomic():
                if not _still_ours(export):
                    return InterviewExport.objects.filter(pk=export.pk).first()
                export.file.save(name, File(handle), save=False)
                now = timezone.now()
                export.status = InterviewExport.Status.DONE
                export.progress = 100
                export.row_count = result.row_count
                export.sheet_count = len(result.sheet_titles)
                export.finished_at = now
                export.expires_at = now + EXPORT_FILE_KEPT
                try:
                    export.save(
                        update_fields=[
                            "file",
                            "status",
                            "progress",
                            "row_count",
                            "sheet_count",
                            "finished_at",
                            "expires_at",
                        ]
                    )
                except Exception:
                    export.file.storage.delete(export.file.name)  # no file without its job
                    raise
    except Exception as error:
        logger.exception("Interview export %s failed", export.pk)
        if isinstance(error, SoftTimeLimitExceeded):
            message = _(
                "The export took too long and was stopped. Narrow the selection with the "
                "filters (for example a period or an area) and try again."
            )
        else:
            message = _(
                "The export could not be built because of an internal error. "
                "The administrator can see the details in the log."
            )
        with transaction.atomic():
            if _still_ours(export):
                return _fail(export, message)
        return InterviewExport.objects.filter(pk=export.pk).first()
    return export


def _remove_file(export: InterviewExport, *, now) -> None:
    """Delete the file and forget the search text; the record of the export stays."""
    if export.file:
        export.file.storage.delete(export.file.name)
    export.file = ""
    export.file_removed_at = now
    export.parameters = {
        name: value for name, value in export.parameters.items() if name != SEARCH_PARAMETER
    }
    export.save(update_fields=["file", "file_removed_at", "parameters"])


def interview_export_expire_if_due(*, export: InterviewExport, now=None) -> InterviewExport:
    """Remove the file now if its time is up (the sweep would do it within minutes)."""
    now = now or timezone.now()
    if export.file_removed_at is None and export.is_expired(now):
        with transaction.atomic():
            locked = InterviewExport.objects.select_for_update().get(pk=export.pk)
            if locked.file_removed_at is None:
                _remove_file(locked, now=now)
            return locked
    return export


def interview_exports_discard(*, now=None) -> list[int]:
    """Remove every stored export file, and fail the exports being built: a retention decision
    was carried out, and an export made before it may hold what it removed.

    Exports are short-lived copies, so all of them go rather than working out which filters
    could have matched the removed records. Returns the ids of the exports changed. Call it in
    the decision's transaction: an export that is storing its file holds its row's lock, so it
    is waited for and then removed; one still writing rows sees it failed and drops its file.
    """
    now = now or timezone.now()
    changed = []
    exports = InterviewExport.objects.select_for_update().filter(
        Q(status__in=[InterviewExport.Status.QUEUED, InterviewExport.Status.RUNNING])
        | (Q(file_removed_at__isnull=True) & ~Q(file=""))
    )
    for export in exports.order_by("pk"):
        if export.is_finished:
            _remove_file(export, now=now)
            export.error_message = _(
                "The file was deleted when a retention decision was carried out, since it may "
                "have held records the decision removed. Make a new export from the interview "
                "list."
            )
            export.save(update_fields=["error_message"])
        else:
            _fail(
                export,
                _(
                    "A retention decision was carried out while this export was being built, "
                    "so it was discarded. Start a new export."
                ),
                now=now,
            )
        changed.append(export.pk)
    return changed


def interview_exports_sweep(*, now=None) -> int:
    """Fail jobs that cannot finish any more, delete expired files and old records.

    Returns how many jobs it changed or deleted.
    """
    now = now or timezone.now()
    swept = 0
    with transaction.atomic():
        silent = InterviewExport.objects.select_for_update(skip_locked=True).filter(
            Q(heartbeat_at__lt=now - HEARTBEAT_TIMEOUT)
            | Q(heartbeat_at__isnull=True, started_at__lt=now - HEARTBEAT_TIMEOUT),
            status=InterviewExport.Status.RUNNING,
        )
        for export in silent:
            _fail(
                export,
                _(
                    "The export stopped without finishing (the time limit was exceeded or the "
                    "worker stopped). Start a new export."
                ),
                now=now,
            )
            swept += 1
        never_started = InterviewExport.objects.select_for_update(skip_locked=True).filter(
            status=InterviewExport.Status.QUEUED, requested_at__lt=now - QUEUED_TIMEOUT
        )
        for export in never_started:
            _fail(
                export,
                _(
                    "No worker picked up the export within an hour. Start a new export; if it "
                    "happens again, contact the administrator."
                ),
                now=now,
            )
            swept += 1
    expired = InterviewExport.objects.filter(
        file_removed_at__isnull=True, expires_at__lte=now
    ).values_list("pk", flat=True)
    for export_id in list(expired):
        with transaction.atomic():
            export = (
                InterviewExport.objects.select_for_update(skip_locked=True)
                .filter(pk=export_id, file_removed_at__isnull=True)
                .first()
            )
            if export is not None:
                _remove_file(export, now=now)
                swept += 1
    old = InterviewExport.objects.filter(
        requested_at__lt=now - EXPORT_RECORD_KEPT, file_removed_at__isnull=False
    )
    deleted, _by_model = old.delete()
    return swept + deleted
