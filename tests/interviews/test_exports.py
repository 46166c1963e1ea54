"""The Excel export of interviews and findings: columns, formula safety, queries, round trip."""

from __future__ import annotations

import io
import tracemalloc
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from interviews import imports
from interviews.exports import (
    EXPORT_COLUMNS,
    export_row_batches,
    export_row_count,
    export_selection,
    export_write,
    interviews_workbook,
    is_small_export,
)
from interviews.imports import interview_import_commit, parse_interview_workbook
from interviews.models import Company, Finding, Interview
from interviews.selectors import interview_list_filtered
from smeportal.areas.models import PriorityArea
from smeportal.core.xlsx import EXCEL_MAX_ROWS
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    InterviewFactory,
    UserFactory,
    _valid_orgnr,
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
            # Done only with findings (interviews.models.validate_findings_for_status).
            status="klar" if index % 3 else "utkast",
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
    InterviewFactory(company=sole_trader, grade=2, status="utkast")
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
    """...without the optional contact person's columns: contacts are never exported."""
    headers = [column.header for column in EXPORT_COLUMNS]
    assert headers == [*imports.REQUIRED_HEADERS, "Intervjuare", "Intervju-id"]
    assert not set(imports.CONTACT_HEADERS) & set(headers)


# --- The list's filters, the row cap, bounded work and memory ------------------------------------


def _sheet_rows(content: bytes, title: str = "Intervjuer") -> list[dict]:
    return rows_as_dicts(load_workbook(io.BytesIO(content))[title])


@pytest.fixture
def two_areas(db):
    areas = list(PriorityArea.objects.order_by("order"))
    return areas[0], areas[1]


@pytest.mark.django_db
def test_filtered_by_area_only_the_findings_of_that_area_are_written(developer, two_areas):
    chosen, other = two_areas
    both = InterviewFactory(notes="Båda områdena")
    FindingFactory(interview=both, area=chosen, text="Rätt område")
    FindingFactory(interview=both, area=other, text="Annat område")
    only_other = InterviewFactory(notes="Bara det andra")
    FindingFactory(interview=only_other, area=other, text="Också annat område")

    selection = export_selection({"area": str(chosen.pk)}, user=developer)
    rows = _sheet_rows(interviews_workbook(selection))

    assert [(r["Intervju-id"], r["Synpunkt"], r["Område"]) for r in rows] == [
        (both.pk, "Rätt område", chosen.name)
    ]
    assert export_row_count(selection) == 1


@pytest.mark.django_db
def test_area_and_type_filters_together_write_the_findings_matching_both(developer, two_areas):
    chosen, other = two_areas
    interview = InterviewFactory()
    FindingFactory(interview=interview, area=chosen, type="ide", text="Idé i området")
    FindingFactory(interview=interview, area=chosen, type="utmaning", text="Utmaning i området")
    FindingFactory(interview=interview, area=other, type="ide", text="Idé i annat område")

    by_type = _sheet_rows(
        interviews_workbook(export_selection({"finding_type": "ide"}, user=developer))
    )
    assert sorted(r["Synpunkt"] for r in by_type) == ["Idé i annat område", "Idé i området"]
    both = export_selection({"area": str(chosen.pk), "finding_type": "ide"}, user=developer)
    assert [r["Synpunkt"] for r in _sheet_rows(interviews_workbook(both))] == ["Idé i området"]


@pytest.mark.django_db
def test_without_area_filter_every_interview_of_the_list_is_in_the_sheet(developer, two_areas):
    chosen, other = two_areas
    with_findings = InterviewFactory()
    FindingFactory(interview=with_findings, area=chosen)
    FindingFactory(interview=with_findings, area=other)
    archived_only = InterviewFactory()
    archived = FindingFactory(interview=archived_only, area=chosen, text="Arkiverad")
    Finding.all_objects.filter(pk=archived.pk).update(is_archived=True)
    InterviewFactory(status="utkast")

    selection = export_selection({"status": "klar"}, user=developer)
    rows = _sheet_rows(interviews_workbook(selection))

    assert sorted(r["Intervju-id"] for r in rows) == sorted(
        [with_findings.pk, with_findings.pk, archived_only.pk]
    )
    empty = next(r for r in rows if r["Intervju-id"] == archived_only.pk)
    assert empty["Synpunkt"] is None and empty["Område"] is None
    assert export_row_count(selection) == 3


@pytest.mark.django_db
def test_rows_follow_the_lists_sort_order(developer):
    late = InterviewFactory(date=date(2025, 5, 1), company=CompanyFactory(name="Östen AB"))
    early = InterviewFactory(date=date(2025, 1, 1), company=CompanyFactory(name="Ada AB"))
    middle = InterviewFactory(date=date(2025, 3, 1), company=CompanyFactory(name="Bertil AB"))
    newest_first = _sheet_rows(interviews_workbook(export_selection({}, user=developer)))
    assert [r["Intervju-id"] for r in newest_first] == [late.pk, middle.pk, early.pk]
    by_company = export_selection({"sort": "company"}, user=developer)
    assert [r["Intervju-id"] for r in _sheet_rows(interviews_workbook(by_company))] == [
        early.pk,
        middle.pk,
        late.pk,
    ]


@pytest.mark.django_db
def test_invalid_filters_export_nothing_as_the_list_shows_nothing(developer):
    InterviewFactory()
    selection = export_selection({"grade": "99"}, user=developer)
    assert _sheet_rows(interviews_workbook(selection)) == []


@pytest.mark.django_db
def test_past_the_row_cap_the_rows_go_on_in_new_sheets_with_the_header(tmp_path):
    for _n in range(3):
        FindingFactory.create_batch(2, interview=InterviewFactory())
    target = tmp_path / "split.xlsx"
    # A cap of 3 rows a sheet (header + 2) stands in for Excel's 1,048,576.
    result = export_write(Interview.objects.all(), str(target), max_rows=3)

    assert result.row_count == 6
    assert result.sheet_titles == ["Intervjuer", "Intervjuer 2", "Intervjuer 3"]
    workbook = load_workbook(target)
    assert workbook.sheetnames == result.sheet_titles
    headers = [column.header for column in EXPORT_COLUMNS]
    for title in result.sheet_titles:
        values = list(workbook[title].iter_rows(values_only=True))
        assert list(values[0]) == headers
        assert len(values) == 3
        assert workbook[title].freeze_panes == "A2"


def test_the_cap_is_excels_row_limit():
    assert EXCEL_MAX_ROWS == 1_048_576


@pytest.mark.django_db
def test_the_row_count_stops_early_when_asked(developer):
    for _n in range(4):
        FindingFactory.create_batch(3, interview=InterviewFactory())
    selection = export_selection({}, user=developer)
    assert export_row_count(selection) == 12
    assert export_row_count(selection, stop_after=5) == 6  # "more than 5", read no further
    assert is_small_export(selection)


@pytest.mark.django_db
@pytest.mark.parametrize("interviews", [4, 12])
def test_three_queries_per_batch_of_interviews(django_assert_num_queries, interviews):
    _make_interviews(interviews)
    # A batch of 4: its interviews (one query for all batches on an iterator's cursor), then
    # its findings and its interviewers.
    batches = interviews // 4
    with django_assert_num_queries(1 + 2 * batches):
        rows = [
            row
            for batch in export_row_batches(Interview.objects.all(), batch_size=4)
            for row in batch
        ]
    assert len(rows) == 2 * interviews


def _bulk_interviews(count: int, *, findings_each: int = 3) -> None:
    """Interviews with long notes and findings, inserted in bulk (the memory test's data)."""
    areas = list(PriorityArea.objects.order_by("order"))
    interviewer = UserFactory()
    start = Company.objects.count()
    companies = Company.objects.bulk_create(
        Company(
            name=f"Bulkbolaget {start + n} AB",
            organisation_number=_valid_orgnr(5570000000 + (start + n) * 10),
            industry="C",
            size_class="10-49",
            district="centrum",
        )
        for n in range(count)
    )
    interviews = Interview.objects.bulk_create(
        Interview(
            company=company,
            date=date(2025, 1, 1 + n % 28),
            status="klar",
            notes=f"Anteckning {n}: " + "lokaler, kompetens och bygglov. " * 20,
        )
        for n, company in enumerate(companies)
    )
    Interview.interviewers.through.objects.bulk_create(
        Interview.interviewers.through(interview=interview, user=interviewer)
        for interview in interviews
    )
    Finding.objects.bulk_create(
        Finding(
            interview=interview,
            area=areas[(n + k) % len(areas)],
            type="utmaning",
            text=f"Synpunkt {n}.{k}: " + "svårt att rekrytera svetsare. " * 10,
            quote='=HYPERLINK("x")' if k == 0 else "",
        )
        for n, interview in enumerate(interviews)
        for k in range(findings_each)
    )


def _peak_memory_of_export(target) -> int:
    tracemalloc.start()
    try:
        export_write(Interview.objects.all(), str(target), batch_size=25)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.django_db
def test_memory_does_not_grow_with_the_number_of_rows(tmp_path):
    """The peak while exporting 120 and 1,200 interviews (360 and 3,600 rows) is about the same.

    Holding the rows, model instances or the workbook in memory would make the larger peak
    several times the smaller one (each row is about 1 kB of text here); streaming keeps the
    two within a quarter of each other (measured: about 10 % apart, from caches warming up).
    """
    _bulk_interviews(120)
    export_write(Interview.objects.all(), str(tmp_path / "warm-up.xlsx"), batch_size=25)
    small = _peak_memory_of_export(tmp_path / "small.xlsx")
    _bulk_interviews(1_080)
    large = _peak_memory_of_export(tmp_path / "large.xlsx")

    sheet = load_workbook(tmp_path / "large.xlsx", read_only=True)["Intervjuer"]
    assert sum(1 for _row in sheet.iter_rows(values_only=True)) == 1 + 3_600
    assert large < small * 1.25, (small, large)
