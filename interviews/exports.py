"""Export of interviews and their findings to Excel, in the columns the import reads back.

One row per finding with its interview's fields; an interview without findings still gets one
row. Contact persons (names, e-mail, phone) are never exported. Notes and confidential findings
are included, marked in the "Konfidentiell" column: the export is for business developers only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from smeportal.core.xlsx import Column, Sheet, sheets_workbook

from .imports import DATA_SHEET, IMPORT_COLUMNS, file_value, yes_no
from .models import Finding, Interview

INTERVIEWERS = "Intervjuare"
INTERVIEW_ID = "Intervju-id"
EXPORT_COLUMNS: tuple[Column, ...] = (
    *IMPORT_COLUMNS,
    Column(INTERVIEWERS, 30),
    Column(INTERVIEW_ID, 11),
)


def export_queryset(interviews: QuerySet[Interview]) -> QuerySet[Interview]:
    """The interviews with everything a row needs, in a fixed number of queries."""
    return (
        interviews.select_related("company")
        # Replace any prefetches of the caller's list query: the export needs its own.
        .prefetch_related(None)
        .prefetch_related(
            "interviewers",
            Prefetch(
                "findings",
                # Archived findings (removed from the interview) are never exported.
                queryset=Finding.objects.filter(is_archived=False)
                .select_related("area")
                .order_by("area__order", "pk"),
            ),
        )
    )


def _interviewer_names(interview: Interview) -> str:
    names = sorted(
        user.get_full_name() or user.get_username() for user in interview.interviewers.all()
    )
    return ", ".join(names)


def _interview_rows(interviews: QuerySet[Interview]) -> Iterator[list[Any]]:
    for interview in export_queryset(interviews):
        company = interview.company
        interview_part = [
            str(interview.pk),
            company.organisation_number,
            company.name,
            company.industry,
            file_value(company.size_class),
            file_value(company.district),
            interview.date,
            file_value(interview.format),
            interview.duration_minutes,
            file_value(interview.status),
            interview.grade,
            file_value(interview.consent),
            interview.notes,
        ]
        tail = [_interviewer_names(interview), interview.pk]
        findings = list(interview.findings.all())
        if not findings:
            yield [*interview_part, *([None] * 7), *tail]
        for finding in findings:
            yield [
                *interview_part,
                finding.area.name,
                file_value(finding.type),
                finding.text,
                finding.importance,
                finding.quote,
                yes_no(finding.is_key_quote),
                yes_no(finding.is_confidential),
                *tail,
            ]


def interviews_workbook(interviews: QuerySet[Interview]) -> bytes:
    """The interviews and their findings as an .xlsx file (one sheet, "Intervjuer")."""
    return sheets_workbook([Sheet(DATA_SHEET, EXPORT_COLUMNS, _interview_rows(interviews))])
