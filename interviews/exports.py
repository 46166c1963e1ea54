"""Export of interviews and their findings to Excel, in the columns the import reads back.

What the file holds. One sheet, "Intervjuer" (the import's sheet), with one row per finding and
its interview's fields repeated before it. Every interview the list shows for the same filters
is in it: with the list's area and/or finding-type filter, an interview's rows are only its
findings of that area and type (the list shows the interviews that have at least one); without
those filters, all its findings. An interview without a (matching) finding still gets one row,
with the finding columns empty. Archived findings are never exported. Contact persons (names,
e-mail, phone) are never exported: the import's optional contact columns are left out. Notes
and confidential findings are included, marked in the "Konfidentiell" column: the export is
for business developers only.

How it is written. Nothing is held for the whole export: the interviews are read in the list's
order as tuples (`values_list(...).iterator()`, no model instances), a batch of
INTERVIEW_BATCH at a time; each batch's findings and interviewers come in one query each; the
rows go straight into openpyxl's write-only workbook, which writes them to a temporary file.
Memory therefore stays the same whatever the number of rows (tests/interviews/test_exports.py
measures it). A sheet holds at most Excel's 1,048,576 rows (header included); a larger export
goes on in "Intervjuer 2", "Intervjuer 3", ... each with the header (the import reads the first
sheet only, and takes at most 5,000 rows anyway).

A selection of at most SMALL_EXPORT_ROWS rows is built in the request and downloaded at once; a
larger one becomes an InterviewExport job built by a Celery worker (interviews.export_jobs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from itertools import islice
from typing import IO, Any

from django.db.models import Q, QuerySet

from smeportal.core.xlsx import EXCEL_MAX_ROWS, Column, SplitSheetWriter, new_workbook

from .imports import CONTACT_HEADERS, DATA_SHEET, IMPORT_COLUMNS, file_value, yes_no
from .models import Finding, Interview
from .selectors import interview_list_filtered

INTERVIEWERS = "Intervjuare"
INTERVIEW_ID = "Intervju-id"
EXPORT_COLUMNS: tuple[Column, ...] = (
    *(column for column in IMPORT_COLUMNS if column.header not in CONTACT_HEADERS),
    Column(INTERVIEWERS, 30),
    Column(INTERVIEW_ID, 11),
)

# Up to this many rows the file is built in the request: about a second on this machine, and
# the most the import takes in one file, so such an export can be edited and imported again.
SMALL_EXPORT_ROWS = 5_000
# Interviews read per batch: their findings and interviewers come in one query each, so a
# batch holds about INTERVIEW_BATCH × (findings per interview) rows, whatever the export's size.
# Below SQLite's old 999-parameter limit for the batch's `IN (...)` lists.
INTERVIEW_BATCH = 500

_INTERVIEW_FIELDS = (
    "pk",
    "company__organisation_number",
    "company__name",
    "company__industry",
    "company__size_class",
    "company__district",
    "date",
    "format",
    "duration_minutes",
    "status",
    "grade",
    "consent",
    "notes",
)
_FINDING_FIELDS = (
    "interview_id",
    "area__name",
    "type",
    "text",
    "importance",
    "quote",
    "is_key_quote",
    "is_confidential",
)
_NO_FINDING = [None] * 7


@dataclass(frozen=True)
class ExportSelection:
    """The interviews to export, in the list's order, and which of their findings to write."""

    interviews: QuerySet[Interview]
    findings: Q = field(default_factory=Q)


@dataclass(frozen=True)
class ExportResult:
    row_count: int
    sheet_titles: list[str]


def _finding_filter(params) -> Q:
    """The findings the list's area and finding-type filters ask for (all when neither is set)."""
    from .filters import InterviewFilter

    form = InterviewFilter(params, queryset=Interview.objects.none()).form
    if not form.is_valid():
        return Q()  # the selection is empty then (interview_list_filtered)
    condition = Q()
    if area := form.cleaned_data.get("area"):
        condition &= Q(area=area)
    if finding_type := form.cleaned_data.get("finding_type"):
        condition &= Q(type=finding_type)
    return condition


def export_selection(params, *, user) -> ExportSelection:
    """What the export of the interview list with these filters (GET parameters) holds."""
    return ExportSelection(
        interviews=interview_list_filtered(params, user=user),
        findings=_finding_filter(params),
    )


def _as_selection(selection: ExportSelection | QuerySet[Interview]) -> ExportSelection:
    if isinstance(selection, ExportSelection):
        return selection
    return ExportSelection(interviews=selection)


def export_row_count(
    selection: ExportSelection | QuerySet[Interview], *, stop_after: int | None = None
) -> int:
    """The number of data rows: the findings written, plus one per interview without one.

    With `stop_after`, each count stops reading once it is past that number (a LIMIT), so the
    answer "more than stop_after" costs the same at any size; the result is then only exact
    up to stop_after.
    """
    selection = _as_selection(selection)
    interview_ids = selection.interviews.order_by().values("pk")
    findings = Finding.objects.filter(interview__in=interview_ids).filter(selection.findings)

    def count(queryset: QuerySet) -> int:
        queryset = queryset.order_by()
        if stop_after is not None:
            queryset = queryset[: stop_after + 1]
        return queryset.count()

    finding_rows = count(findings.values("pk"))
    if stop_after is not None and finding_rows > stop_after:
        return finding_rows
    interviews = count(interview_ids)
    if stop_after is not None and interviews > stop_after:
        return interviews
    with_findings = count(findings.values("interview_id").distinct())
    return finding_rows + interviews - with_findings


def is_small_export(selection: ExportSelection | QuerySet[Interview]) -> bool:
    """Whether the export is small enough to be built in the request (bounded work to find out)."""
    return export_row_count(selection, stop_after=SMALL_EXPORT_ROWS) <= SMALL_EXPORT_ROWS


def _batched(iterable: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _interviewer_names(interview_ids: list[int]) -> dict[int, str]:
    through = Interview.interviewers.through
    names: dict[int, list[str]] = defaultdict(list)
    for interview_id, first, last, username in through.objects.filter(
        interview_id__in=interview_ids
    ).values_list("interview_id", "user__first_name", "user__last_name", "user__username"):
        # The same name as User.get_full_name() or get_username() gives.
        names[interview_id].append(f"{first} {last}".strip() or username)
    return {interview_id: ", ".join(sorted(found)) for interview_id, found in names.items()}


def _findings_of(interview_ids: list[int], condition: Q) -> dict[int, list[tuple]]:
    findings: dict[int, list[tuple]] = defaultdict(list)
    rows = (
        Finding.objects.filter(interview_id__in=interview_ids)
        .filter(condition)
        .order_by("interview_id", "area__order", "pk")
        .values_list(*_FINDING_FIELDS)
    )
    for interview_id, *finding in rows:
        findings[interview_id].append(finding)
    return findings


def export_row_batches(
    selection: ExportSelection | QuerySet[Interview], *, batch_size: int = INTERVIEW_BATCH
) -> Iterator[list[list[Any]]]:
    """The export's rows, a batch of interviews at a time (three queries per batch)."""
    selection = _as_selection(selection)
    interviews = (
        selection.interviews.prefetch_related(None)
        .values_list(*_INTERVIEW_FIELDS)
        .iterator(chunk_size=batch_size)
    )
    for batch in _batched(interviews, batch_size):
        ids = [interview[0] for interview in batch]
        findings = _findings_of(ids, selection.findings)
        names = _interviewer_names(ids)
        rows: list[list[Any]] = []
        for (
            pk,
            organisation_number,
            company_name,
            industry,
            size_class,
            district,
            interview_date,
            interview_format,
            duration,
            status,
            grade,
            consent,
            notes,
        ) in batch:
            interview_part = [
                str(pk),
                organisation_number,
                company_name,
                industry,
                file_value(size_class),
                file_value(district),
                interview_date,
                file_value(interview_format),
                duration,
                file_value(status),
                grade,
                file_value(consent),
                notes,
            ]
            tail = [names.get(pk, ""), pk]
            own = findings.pop(pk, ())
            if not own:
                rows.append([*interview_part, *_NO_FINDING, *tail])
            for area, finding_type, text, importance, quote, key_quote, confidential in own:
                rows.append(
                    [
                        *interview_part,
                        area,
                        file_value(finding_type),
                        text,
                        importance,
                        quote,
                        yes_no(key_quote),
                        yes_no(confidential),
                        *tail,
                    ]
                )
        yield rows


def export_write(
    selection: ExportSelection | QuerySet[Interview],
    target: str | IO[bytes],
    *,
    max_rows: int = EXCEL_MAX_ROWS,
    batch_size: int = INTERVIEW_BATCH,
    on_progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write the export as an .xlsx file to `target` (a path or a binary file).

    `on_progress(rows_written)` is called after each batch. A sheet holds at most `max_rows`
    rows with its header; the rows then go on in the next sheet.
    """
    workbook = new_workbook()
    writer = SplitSheetWriter(workbook, DATA_SHEET, EXPORT_COLUMNS, max_rows=max_rows)
    writer.start()
    for rows in export_row_batches(selection, batch_size=batch_size):
        for row in rows:
            writer.append(row)
        if on_progress is not None:
            on_progress(writer.row_count)
    workbook.save(target)
    return ExportResult(row_count=writer.row_count, sheet_titles=writer.sheet_titles)


def interviews_workbook(selection: ExportSelection | QuerySet[Interview]) -> bytes:
    """A small export as the bytes of an .xlsx file (the request's immediate download)."""
    buffer = BytesIO()
    export_write(selection, buffer)
    return buffer.getvalue()
