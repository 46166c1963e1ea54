"""Excel export of a workshop's proposals: what was proposed, by whom, and how it was received.

No personal data: the evidence is given as numbers of findings and companies only.

A national dialogue can gather thousands of proposals in one workshop (5,000 proposals with
20,000 evidence links across 200 workshops at the issue-12 scale), so the rows are streamed:
the counts come from the database (one GROUP BY query), the rows are read as tuples
(`values_list(...).iterator()`, no model instances) and written straight into a write-only
workbook on a temporary file, which the view streams to the browser. Memory stays the same
whatever the number of proposals.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import IO, Any

from django.db.models import BooleanField, ExpressionWrapper, Q

from smeportal.core.xlsx import Column, SplitSheetWriter, new_workbook

from .models import Proposal, Workshop
from .selectors import workshop_proposals

SHEET_TITLE = "Förslag"
EXPORT_COLUMNS: tuple[Column, ...] = (
    Column("Förslag", 40),
    Column("Beskrivning", 60),
    Column("Område", 30),
    Column("Grupp", 14),
    Column("Aktör", 16),
    Column("Tidshorisont", 14),
    Column("Effekt", 8),
    Column("Insats", 8),
    Column("Röster", 8),
    Column("Status", 18),
    Column("Avslagsorsak", 40),
    Column("Sammanslaget med", 40),
    Column("Antal synpunkter", 10),
    Column("Antal företag", 10),
)
# Rows read from the database at a time.
CHUNK_SIZE = 1_000


def _labels(field_name: str) -> dict[str, Any]:
    return dict(Proposal._meta.get_field(field_name).flatchoices)


def _rows(workshop: Workshop) -> Iterator[list[Any]]:
    """Live proposals ranked by votes, then the merged ones (also by votes), in one query."""
    actors, horizons, statuses = _labels("actor"), _labels("horizon"), _labels("status")
    proposals = (
        workshop_proposals(workshop)
        .annotate(
            is_merged=ExpressionWrapper(Q(merged_into__isnull=False), output_field=BooleanField()),
        )
        .order_by("is_merged", "-votes", "title", "pk")
        .values_list(
            "title",
            "description",
            "area__name",
            "group__name",
            "actor",
            "horizon",
            "effect",
            "effort",
            "votes",
            "status",
            "rejection_reason",
            "merged_into__title",
            "evidence_count",
            "company_count",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for (
        title,
        description,
        area,
        group,
        actor,
        horizon,
        effect,
        effort,
        votes,
        status,
        rejection_reason,
        merged_into,
        evidence_count,
        company_count,
    ) in proposals:
        yield [
            title,
            description,
            area,
            group,
            str(actors.get(actor, actor)),
            str(horizons.get(horizon, horizon)),
            effect,
            effort,
            votes,
            str(statuses.get(status, status)),
            rejection_reason,
            merged_into or "",
            evidence_count,
            company_count,
        ]


def workshop_proposals_write(workshop: Workshop, target: str | IO[bytes]) -> int:
    """Write the workshop's proposals as an .xlsx file to `target`; returns the rows written."""
    workbook = new_workbook()
    writer = SplitSheetWriter(workbook, SHEET_TITLE, EXPORT_COLUMNS)
    writer.start()
    for row in _rows(workshop):
        writer.append(row)
    workbook.save(target)
    return writer.row_count


def workshop_proposals_workbook(workshop: Workshop) -> bytes:
    """The workshop's proposals as the bytes of an .xlsx file (one sheet, "Förslag")."""
    buffer = BytesIO()
    workshop_proposals_write(workshop, buffer)
    return buffer.getvalue()
