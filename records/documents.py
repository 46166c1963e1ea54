"""The files a request produces: what is released (a tagged PDF, and the same as a workbook on
request) and the decision to refuse, in whole or in part.

Both release files are written from the redacted sections (records.content): a masked passage
reaches them only as a box with its legal ground, so there is nothing under a box to uncover.
The items are read chunk by chunk; the cover (what was released, when, by whom, and what was
masked on what grounds) is written from the counts gathered on the way.
"""

from __future__ import annotations

from collections import Counter

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from smeportal.core.pdf import ARCHIVAL_PDF_VARIANT, html_to_pdf
from smeportal.core.xlsx import Column, formula_safe_row, new_workbook, start_sheet, workbook_bytes

from .content import Review, item_sections_chunked, redact_sections
from .models import RecordRequest, ReleasedDocument, SecrecyGround

PDF_STYLESHEET = "records/document_pdf.css"


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _ground_rows(counts: Counter) -> list[dict]:
    titles = dict(
        SecrecyGround.objects.filter(reference__in=counts).values_list("reference", "title")
    )
    return [
        {"reference": reference, "title": titles.get(reference, ""), "count": count}
        for reference, count in sorted(counts.items())
    ]


def _cover(document: ReleasedDocument, counts: Counter) -> dict:
    record_request = document.request
    return {
        "request": record_request,
        "items": list(record_request.items.order_by("pk")),
        "released_on": timezone.localtime(document.created_at).date(),
        "released_by": _person(document.created_by),
        "grounds": _ground_rows(counts),
        "masked_total": sum(counts.values()),
    }


def release_pdf(document: ReleasedDocument) -> bytes:
    """The released documents as a tagged PDF: the cover, then each item's redacted sections."""
    counts: Counter = Counter()
    parts = []
    for item in document.request.items.order_by("pk"):
        review = Review.of(item)
        # Only the redacted sections are kept: the records they came from go chunk by chunk.
        redacted = []
        for sections in item_sections_chunked(item):
            redacted.extend(redact_sections(sections, review, counts))
        parts.append({"item": item, "sections": redacted})
    html = render_to_string(
        "records/release_pdf.html",
        {**_cover(document, counts), "parts": parts, "language": "sv"},
    )
    return html_to_pdf(html, stylesheet=PDF_STYLESHEET, variant=ARCHIVAL_PDF_VARIANT)


def release_workbook(document: ReleasedDocument) -> bytes:
    """The same content as a workbook: a cover sheet and one row per field, formula-safe."""
    workbook = new_workbook()
    cover = start_sheet(workbook, _("Cover"), [Column(_("Heading"), 30), Column(_("Value"), 70)])
    content = start_sheet(
        workbook,
        _("Released documents"),
        [
            Column(_("Covered item"), 40),
            Column(_("Record"), 36),
            Column(_("Field"), 28),
            Column(_("Text"), 90, wrap=True),
        ],
    )
    counts: Counter = Counter()
    for item in document.request.items.order_by("pk"):
        review = Review.of(item)
        for sections in item_sections_chunked(item):
            for section in redact_sections(sections, review, counts):
                for field in section.fields:
                    content.append(
                        formula_safe_row(
                            content, [item.label, section.title, field.label, field.plain]
                        )
                    )
    info = _cover(document, counts)
    rows = [
        (_("Request"), info["request"].number),
        (_("Released on"), info["released_on"].isoformat()),
        (_("Released by"), info["released_by"]),
        *((_("Covered item"), item.label) for item in info["items"]),
        (_("Masked passages"), info["masked_total"]),
        *(
            (_("Masked on %(ground)s") % {"ground": row["reference"]}, row["count"])
            for row in info["grounds"]
        ),
    ]
    for row in rows:
        cover.append(formula_safe_row(cover, row))
    return workbook_bytes(workbook)


# Besvärshänvisning: how to appeal a decision not to release (2 kap. 15 § TF, 6 kap. 7 § OSL,
# 40–45 §§ förvaltningslagen): to the administrative court of appeal, in writing, through the
# municipality, within three weeks of the day the requester received the decision.
def decision_pdf(record_request: RecordRequest, grounds: list[SecrecyGround]) -> bytes:
    html = render_to_string(
        "records/decision_pdf.html",
        {
            "request": record_request,
            "grounds": grounds,
            "decided_by": _person(record_request.decided_by),
            "items": list(record_request.items.order_by("pk")),
            "language": "sv",
        },
    )
    return html_to_pdf(html, stylesheet=PDF_STYLESHEET, variant=ARCHIVAL_PDF_VARIANT)
