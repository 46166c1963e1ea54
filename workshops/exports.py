"""Excel export of a workshop's proposals: what was proposed, by whom, and how it was received.

No personal data: the evidence is given as numbers of findings and companies only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count

from smeportal.core.xlsx import Column, Sheet, sheets_workbook

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


def export_proposals(workshop: Workshop) -> list[Proposal]:
    """Live proposals ranked by votes, then the merged ones (also by votes), in two queries."""
    proposals = list(
        workshop_proposals(workshop).annotate(
            company_count=Count("evidence__interview__company", distinct=True)
        )
    )
    live = [proposal for proposal in proposals if not proposal.is_merged]
    merged = [proposal for proposal in proposals if proposal.is_merged]
    return live + merged


def _rows(workshop: Workshop) -> Iterator[list[Any]]:
    for proposal in export_proposals(workshop):
        yield [
            proposal.title,
            proposal.description,
            proposal.area.name,
            proposal.group.name,
            proposal.get_actor_display(),
            proposal.get_horizon_display(),
            proposal.effect,
            proposal.effort,
            proposal.votes,
            proposal.get_status_display(),
            proposal.rejection_reason,
            proposal.merged_into.title if proposal.merged_into else "",
            proposal.evidence_count,
            proposal.company_count,
        ]


def workshop_proposals_workbook(workshop: Workshop) -> bytes:
    """The workshop's proposals as an .xlsx file (one sheet, "Förslag")."""
    return sheets_workbook([Sheet(SHEET_TITLE, EXPORT_COLUMNS, _rows(workshop))])
