"""The Excel export of interviews and findings: columns, formula safety, queries, round trip."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from interviews import imports
from interviews.exports import EXPORT_COLUMNS, interviews_workbook
from interviews.imports import interview_import_commit, parse_interview_workbook
from interviews.models import Company, Finding, Interview
from interviews.selectors import interview_list_filtered
from smeportal.areas.models import PriorityArea
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    InterviewFactory,
    UserFactory,
)


def reopen(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    return workbook["Intervjuer"]


def rows_as_dicts(worksheet) -> list[dict]:
    rows = list(worksheet.iter_rows(values_only=True))
    headers = rows[0]
    return [dict(zip(headers, values, strict=True)) for values in rows[1:]]


@pytest.mark.django_db
def test_one_row_per_finding_and_one_for_an_interview_without_findings():
    interviewer = UserFactory(first_name="Kim", last_name="Berg")
    interview = InterviewFactory(
        company=CompanyFactory(name="Svets & Smide AB", size_class="1-9", district="soder"),
        date=date(2025, 3, 14),
        format="besok",
        duration_minutes=45,
        status="klar",
        grade=5,
        consent="med_namn",
        notes="Anteckning",
        interviewers=[interviewer],
    )
    area = PriorityArea.objects.get(slug="upphandling")
    FindingFactory(
        interview=interview,
        area=area,
        type="ide",
        text="Mindre delar",
        importance=3,
        quote="Citat",
        is_key_quote=True,
        is_confidential=True,
    )
    FindingFactory(interview=interview, area=area, type="styrka", text="Bra dialog")
    empty = InterviewFactory(date=date(2025, 1, 2))

    worksheet = reopen(interviews_workbook(Interview.objects.all()))

    assert [cell.value for cell in worksheet[1]] == [column.header for column in EXPORT_COLUMNS]
    assert worksheet["A1"].font.bold
    assert worksheet.freeze_panes == "A2"
    rows = rows_as_dicts(worksheet)
    assert len(rows) == 3
    by_text = {r["Synpunkt"]: r for r in rows}
    first = by_text["Mindre delar"]
    assert first["Intervju-id"] == interview.pk
    assert first["Intervju-ref"] == str(interview.pk)
    assert first["Organisationsnummer"] == interview.company.organisation_number
    assert first["Företagsnamn"] == "Svets & Smide AB"
    assert (first["Bransch (SNI)"], first["Storleksklass"], first["Kommundel"]) == (
        "C",
        "1–9",
        "söder",
    )
    assert first["Datum"].date() == date(2025, 3, 14)
    assert (
        first["Format"],
        first["Längd (min)"],
        first["Status"],
        first["Betyg (1–6)"],
        first["Samtycke"],
        first["Anteckningar"],
    ) == ("besök", 45, "klar", 5, "med namn", "Anteckning")
    assert (
        first["Område"],
        first["Typ"],
        first["Vikt (1–3)"],
        first["Citat"],
        first["Nyckelcitat (Ja/Nej)"],
        first["Konfidentiell (Ja/Nej)"],
    ) == (area.name, "idé", 3, "Citat", "Ja", "Ja")
    assert first["Intervjuare"] == "Kim Berg"
    assert by_text["Bra dialog"]["Konfidentiell (Ja/Nej)"] == "Nej"
    lonely = by_text[None]
    assert lonely["Intervju-id"] == empty.pk
    assert lonely["Område"] is None and lonely["Typ"] is None


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_is_written_as_text():
    interview = InterviewFactory(notes="@SUM(A1:A9)", company=CompanyFactory(name="+46 AB"))
    FindingFactory(interview=interview, text="=1+1", quote="-2+3")
    worksheet = reopen(interviews_workbook(Interview.objects.all()))
    headers = [cell.value for cell in worksheet[1]]
    for header, expected in [
        ("Synpunkt", "=1+1"),
        ("Citat", "-2+3"),
        ("Anteckningar", "@SUM(A1:A9)"),
        ("Företagsnamn", "+46 AB"),
    ]:
        cell = worksheet.cell(row=2, column=headers.index(header) + 1)
        assert cell.value == expected
        assert cell.data_type == "s"
        assert cell.quotePrefix is True
    ordinary = worksheet.cell(row=2, column=headers.index("Typ") + 1)
    assert ordinary.quotePrefix is False


@pytest.mark.django_db
def test_no_contact_details_are_exported():
    interview = InterviewFactory()
    contact = ContactFactory(
        company=interview.company,
        name="Greta Personsson",
        email="greta@example.invalid",
        phone="016-123 45 67",
    )
    interview.interviewees.add(contact)
    FindingFactory(interview=interview)
    worksheet = reopen(interviews_workbook(Interview.objects.all()))
    cells = [str(v) for r in worksheet.iter_rows(values_only=True) for v in r if v is not None]
    for personal in (contact.name, contact.email, contact.phone):
        assert not any(personal in cell for cell in cells)


def _make_interviews(count: int) -> None:
    interviewer = UserFactory()
    for _n in range(count):
        interview = InterviewFactory(interviewers=[interviewer])
        FindingFactory.create_batch(2, interview=interview)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_the_export_runs_a_constant_number_of_queries(django_assert_num_queries, count):
    _make_interviews(count)
    # Interviews with their company, their findings with areas, their interviewers.
    with django_assert_num_queries(3):
        content = interviews_workbook(Interview.objects.all())
    assert reopen(content).max_row == 1 + 2 * count


@pytest.mark.django_db
def test_the_export_of_the_list_selection_runs_the_same_queries_for_3_and_30(
    django_assert_max_num_queries, developer
):
    _make_interviews(3)
    with django_assert_max_num_queries(4):
        interviews_workbook(interview_list_filtered({}, user=developer))
    _make_interviews(27)
    with django_assert_max_num_queries(4):
        content = interviews_workbook(interview_list_filtered({}, user=developer))
    assert reopen(content).max_row == 1 + 2 * 30


def snapshot() -> set[tuple]:
    """Everything the export carries over, without database ids."""
    result = set()
    for interview in Interview.objects.select_related("company").prefetch_related("findings__area"):
        company = interview.company
        findings = tuple(
            sorted(
                (
                    f.area.slug,
                    f.type,
                    f.text,
                    f.importance,
                    f.quote,
                    f.is_key_quote,
                    f.is_confidential,
                )
                for f in interview.findings.all()
            )
        )
        result.add(
            (
                company.organisation_number,
                company.name,
                company.industry,
                company.size_class,
                company.district,
                company.is_personal_data,
                interview.date,
                interview.format,
                interview.duration_minutes,
                interview.status,
                interview.grade,
                interview.consent,
                interview.notes,
                findings,
            )
        )
    return result


@pytest.mark.django_db
def test_an_export_imports_into_an_empty_database_as_the_same_interviews(developer):
    areas = list(PriorityArea.objects.order_by("order"))
    sole_trader = CompanyFactory(
        organisation_number="811218-9876",
        name="Anna Frisör",
        industry="S",
        size_class="0",
        district="landsbygd",
    )
    Company.objects.filter(pk=sole_trader.pk).update(is_personal_data=True)
    shared = CompanyFactory(size_class="250+", district="arla")
    for index in range(6):
        interview = InterviewFactory(
            company=shared if index % 2 else CompanyFactory(),
            format=["besok", "digitalt", "telefon"][index % 3],
            status=["utkast", "klar"][index % 2],
            consent=["internt", "anonymt", "med_namn"][index % 3],
            grade=None if index == 0 else index,
            duration_minutes=None if index == 1 else 30 + index,
            notes="" if index == 2 else f"Anteckning {index}\nandra raden",
        )
        for number in range(index % 3):
            FindingFactory(
                interview=interview,
                area=areas[(index + number) % 6],
                type=["utmaning", "ide", "styrka"][number],
                importance=1 + number,
                quote="" if number else "=1+1 sa hon",
                is_key_quote=bool(number),
                is_confidential=not number,
            )
    InterviewFactory(company=sole_trader, grade=2)
    before = snapshot()
    assert len(before) == 7

    content = interviews_workbook(Interview.objects.all())
    Finding.objects.all().delete()
    Interview.objects.all().delete()
    Company.objects.all().delete()

    preview = parse_interview_workbook(SimpleUploadedFile("export.xlsx", content))
    assert preview.problems == []
    interview_import_commit(preview=preview, user=developer)

    assert snapshot() == before
    assert Finding.objects.filter(quote="=1+1 sa hon").exists()


@pytest.mark.django_db
def test_the_exported_headers_are_the_import_headers_then_interviewers_and_id():
    headers = [column.header for column in EXPORT_COLUMNS]
    assert headers == [*imports.IMPORT_HEADERS, "Intervjuare", "Intervju-id"]
