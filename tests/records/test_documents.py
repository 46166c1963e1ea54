"""What is released holds no masked text: the PDF's extracted text and its bytes, the workbook,
the preview. Every masked passage is a box with its ground; the cover counts them per ground."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from records.content import MASK_LABEL, Review, item_sections_chunked, redact_sections
from records.models import Mask, ReleasedDocument, SecrecyGround
from records.services import (
    mask_add,
    mask_lift,
    released_document_build,
    request_decide,
    request_release,
)
from tests.factories import InterviewFactory
from tests.reports.test_pdf import pdf_objects, pdf_text

from .conftest import CONTACT_EMAIL, CONTACT_NAME, CONTACT_PHONE, PUBLIC_TEXT, SECRET

pytestmark = pytest.mark.django_db

MASKED = (SECRET, "Vi bygger ut i hemlighet", CONTACT_NAME, CONTACT_EMAIL, CONTACT_PHONE)


def _release(record_request, user, *, with_workbook=True) -> dict[str, bytes]:
    documents = request_release(
        record_request=record_request, user=user, with_workbook=with_workbook
    )
    files = {}
    for document in documents:
        document = released_document_build(document_id=document.pk)
        assert document.status == ReleasedDocument.Status.DONE, document.error_message
        with document.file.open("rb") as handle:
            files[document.kind] = handle.read()
    return files


def _workbook_text(data: bytes) -> str:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    cells = [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    workbook.close()
    return "\n".join(cells)


def _assert_absent(secret: str, data: bytes) -> None:
    for encoded in (secret.encode(), secret.encode("utf-16-be")):
        assert encoded not in data
        assert encoded not in pdf_objects(data)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_released_pdf_holds_boxes_with_grounds_and_none_of_the_masked_text(
    covered, record_request, registrar
):
    files = _release(record_request, registrar)
    text = pdf_text(files["pdf"])
    flat = _flat(text)
    for secret in MASKED:
        assert secret not in flat
        _assert_absent(secret, files["pdf"])
    assert PUBLIC_TEXT in flat
    assert f"{MASK_LABEL} Maskerat – 31 kap. 16 § OSL" in flat or "31 kap. 16 § OSL" in flat
    assert flat.count(MASK_LABEL) >= 5
    # The cover: what, when, by whom, and the masked passages per ground.
    assert record_request.number in flat
    assert "Alla intervjuer med Hällby Åkeri AB" in flat
    assert timezone.localdate().isoformat() in flat
    assert registrar.get_full_name() in flat
    assert "21 kap. 7 § OSL" in flat


def test_the_workbook_holds_the_same_boxes_and_none_of_the_masked_text(
    covered, record_request, registrar
):
    files = _release(record_request, registrar)
    text = _workbook_text(files["xlsx"])
    for secret in MASKED:
        assert secret not in text
        assert secret.encode() not in files["xlsx"]
    assert PUBLIC_TEXT in text
    assert "31 kap. 16 § OSL" in text and "21 kap. 7 § OSL" in text
    assert text.count(MASK_LABEL) >= 5


def test_a_lifted_mask_releases_the_field_and_a_manual_mask_hides_a_passage(
    covered, record_request, registrar, company_interview
):
    company_interview.notes = "=SUM(A1) nämnde ägaren, och planerna i Torshälla."
    company_interview.save()
    sections = next(item_sections_chunked(covered))
    fields = {field.key: field for section in sections for field in section.fields}
    contact_role = next(
        key for key in fields if key.startswith("contact:") and key.endswith(":name")
    )
    mask_lift(item=covered, field=fields[contact_role], reason="Personen är känd", user=registrar)
    ground = SecrecyGround.objects.get(reference="31 kap. 16 § OSL")
    mask_add(
        item=covered,
        field=fields[f"interview:{company_interview.pk}:notes"],
        passage="planerna i Torshälla",
        ground=ground,
        reason="Affärsplaner",
        user=registrar,
    )
    files = _release(record_request, registrar)
    flat = _flat(pdf_text(files["pdf"]))
    assert CONTACT_NAME in flat
    assert "planerna i Torshälla" not in flat
    assert "nämnde ägaren" in flat
    for secret in (SECRET, CONTACT_EMAIL, CONTACT_PHONE):
        assert secret not in flat
    # A text that starts like a formula is written as text, never as a formula.
    workbook = load_workbook(io.BytesIO(files["xlsx"]))
    cells = [cell for row in workbook.worksheets[1].iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert any(str(cell.value).startswith("=SUM(A1)") for cell in cells)
    assert Mask.objects.filter(item=covered).count() == 2


def test_redaction_merges_overlapping_passages_and_keeps_every_ground(covered, registrar):
    review = Review()
    sections = next(item_sections_chunked(covered))
    redacted = redact_sections(sections, review)
    masked = [
        segment
        for section in redacted
        for field in section.fields
        for segment in field.segments
        if segment.is_masked
    ]
    assert all(segment.text == "" for segment in masked)


def test_a_refusal_produces_a_decision_with_grounds_and_the_appeal_instructions(
    covered, record_request, registrar
):
    grounds = list(SecrecyGround.objects.filter(reference="31 kap. 16 § OSL"))
    request_decide(
        record_request=record_request,
        outcome="avslag",
        grounds=grounds,
        reasoning="Handlingarna röjer företagets affärsförhållanden.",
        user=registrar,
    )
    document = ReleasedDocument.objects.get(request=record_request, kind="beslut")
    with document.file.open("rb") as handle:
        flat = _flat(pdf_text(handle.read()))
    assert record_request.number in flat
    assert "31 kap. 16 § OSL" in flat
    assert "kammarrätten" in flat
    assert "tre veckor" in flat or "three weeks" in flat
    assert SECRET not in flat


def test_a_release_over_many_interviews_is_read_in_chunks(
    covered, record_request, registrar, company_interview, settings
):
    import records.content as content

    for day in range(1, 6):
        InterviewFactory(
            company=company_interview.company, date=company_interview.date.replace(day=day)
        )
    original = content.CHUNK_SIZE
    content.CHUNK_SIZE = 2
    try:
        chunks = list(item_sections_chunked(covered))
    finally:
        content.CHUNK_SIZE = original
    assert [len(chunk) for chunk in chunks] == [2, 2, 2]


def test_a_released_report_holds_its_figures_per_priority_area(
    record_request, company_interview, registrar
):
    from records.models import CoveredItem
    from records.services import covered_item_add
    from reports.models import ReportRun
    from reports.services import report_run_execute

    run = report_run_execute(run_id=ReportRun.objects.create(requested_by=registrar).pk)
    covered_item_add(
        record_request=record_request,
        kind=CoveredItem.Kind.REPORT,
        target_id=run.pk,
        label=f"Sammanställning nr {run.pk}",
        user=registrar,
    )

    files = _release(record_request, registrar, with_workbook=True)

    text = " ".join(pdf_text(files[ReleasedDocument.Kind.RELEASE_PDF]).split())
    area = company_interview.findings.select_related("area").first().area
    assert area.name in text
    assert "intervjuer: 1, företag: 1" in text  # the report's totals, not only a description
    assert "intervjuer: 1, företag: 1" in _workbook_text(files[ReleasedDocument.Kind.RELEASE_XLSX])
