"""Reading interview workbooks into a preview, and committing a valid one."""

from __future__ import annotations

import io
import math
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from audit.selectors import AuditFilter, audit_trail_count
from interviews import imports
from interviews.imports import (
    IMPORT_HEADERS,
    import_template_workbook,
    interview_import_commit,
    parse_interview_workbook,
)
from interviews.models import Company, Finding, Interview
from smeportal.areas.models import PriorityArea
from tests.factories import CompanyFactory, InterviewFactory, PriorityAreaFactory, _valid_orgnr

ORGNR = "556036-0793"
SOLE_TRADER = "19811218-9876"  # a personal identity number


def row(**values) -> dict:
    """One data row: a complete interview with one finding, overridden by header keyword."""
    base = {
        imports.REF: "INT-1",
        imports.ORGANISATION_NUMBER: ORGNR,
        imports.COMPANY_NAME: "Svets & Smide AB",
        imports.INDUSTRY: "C",
        imports.SIZE_CLASS: "10–49",
        imports.DISTRICT: "Torshälla",
        imports.DATE: "2025-03-14",
        imports.FORMAT: "besök",
        imports.DURATION: 60,
        imports.STATUS: "klar",
        imports.GRADE: 4,
        imports.CONSENT: "anonymt",
        imports.NOTES: "Samtal om kompetens.",
        imports.AREA: "kompetensforsorjning",
        imports.TYPE: "utmaning",
        imports.TEXT: "Svårt att hitta svetsare.",
        imports.IMPORTANCE: 3,
        imports.QUOTE: "Vi har annonserat i ett halvår.",
        imports.KEY_QUOTE: "Ja",
        imports.CONFIDENTIAL: "Nej",
    }
    base.update(values)
    return base


def workbook_file(rows, headers=IMPORT_HEADERS, sheet="Intervjuer", name="import.xlsx"):
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(list(headers))
    for values in rows:
        worksheet.append([values.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def counts() -> tuple[int, int, int]:
    return Company.objects.count(), Interview.objects.count(), Finding.objects.count()


def problem_cells(preview) -> set[tuple[int, str]]:
    return {(problem.row, problem.column) for problem in preview.problems}


@pytest.mark.django_db
def test_a_valid_file_imports_every_row(developer):
    existing = CompanyFactory(organisation_number="556677-8899", name="Mälarverken AB")
    rows = [
        row(),
        # Same interview: the interview columns may be repeated or left empty.
        row(
            **{
                imports.AREA: "Upphandling inom kommunkoncernen",
                imports.TYPE: "Idé",
                imports.TEXT: "Dela upp upphandlingar i mindre delar.",
                imports.QUOTE: None,
                imports.KEY_QUOTE: None,
                imports.CONFIDENTIAL: "ja",
                imports.IMPORTANCE: None,
                imports.DATE: None,
                imports.NOTES: None,
            }
        ),
        # An interview with an existing company and no findings; the date as an Excel date.
        row(
            **{
                imports.REF: "INT-2",
                imports.ORGANISATION_NUMBER: "5566778899",
                imports.COMPANY_NAME: "Mälarverken AB",
                imports.DATE: datetime(2025, 2, 3),
                imports.FORMAT: "Telefon",
                imports.STATUS: "utkast",
                imports.CONSENT: "med namn",
                imports.GRADE: None,
                imports.DURATION: None,
                imports.AREA: None,
                imports.TYPE: None,
                imports.TEXT: None,
                imports.IMPORTANCE: None,
                imports.QUOTE: None,
                imports.KEY_QUOTE: None,
                imports.CONFIDENTIAL: None,
            }
        ),
        # A sole trader: the company is personal data.
        row(
            **{
                imports.REF: 3,
                imports.ORGANISATION_NUMBER: SOLE_TRADER,
                imports.COMPANY_NAME: "Anna Svensson Frisör",
                imports.SIZE_CLASS: "1-9",
                imports.INDUSTRY: "S",
                imports.DISTRICT: "centrum",
                imports.FORMAT: "digitalt",
                imports.AREA: "SERVICE-OCH-SAMVERKAN",
                imports.TYPE: "styrka",
            }
        ),
    ]
    preview = parse_interview_workbook(workbook_file(rows))

    assert preview.problems == []
    assert preview.is_valid
    assert (preview.interview_count, preview.finding_count) == (3, 3)
    assert (preview.new_company_count, preview.existing_company_count) == (2, 1)
    assert counts() == (1, 0, 0)  # nothing is written by the preview

    result = interview_import_commit(preview=preview, user=developer)

    assert (result.interview_count, result.finding_count, result.companies_created) == (3, 3, 2)
    assert counts() == (3, 3, 3)
    first = Interview.objects.get(company__organisation_number=ORGNR)
    assert first.company.name == "Svets & Smide AB"
    assert (first.company.industry, first.company.size_class, first.company.district) == (
        "C",
        "10-49",
        "torshalla",
    )
    assert first.company.is_personal_data is False
    assert (
        first.date,
        first.format,
        first.duration_minutes,
        first.status,
        first.grade,
        first.consent,
        first.notes,
    ) == (date(2025, 3, 14), "besok", 60, "klar", 4, "anonymt", "Samtal om kompetens.")
    assert first.created_by == developer
    assert list(first.interviewers.all()) == [developer]
    findings = {f.text: f for f in first.findings.select_related("area")}
    challenge = findings["Svårt att hitta svetsare."]
    assert (
        challenge.area.slug,
        challenge.type,
        challenge.importance,
        challenge.is_key_quote,
        challenge.is_confidential,
    ) == ("kompetensforsorjning", "utmaning", 3, True, False)
    assert challenge.quote == "Vi har annonserat i ett halvår."
    idea = findings["Dela upp upphandlingar i mindre delar."]
    assert (idea.area.slug, idea.type, idea.importance, idea.quote, idea.is_confidential) == (
        "upphandling",
        "ide",
        2,
        "",
        True,
    )

    second = Interview.objects.get(company=existing)
    assert (second.date, second.format, second.status, second.consent, second.grade) == (
        date(2025, 2, 3),
        "telefon",
        "utkast",
        "med_namn",
        None,
    )
    assert second.findings.count() == 0

    sole_trader = Company.objects.get(organisation_number="811218-9876")
    assert sole_trader.is_personal_data is True
    assert sole_trader.size_class == "1-9"


@pytest.mark.django_db
def test_empty_optional_cells_get_the_defaults(developer):
    preview = parse_interview_workbook(
        workbook_file(
            [
                row(
                    **{
                        imports.FORMAT: None,
                        imports.STATUS: None,
                        imports.CONSENT: None,
                        imports.IMPORTANCE: None,
                        imports.KEY_QUOTE: None,
                        imports.CONFIDENTIAL: None,
                    }
                )
            ]
        )
    )
    interview_import_commit(preview=preview, user=developer)
    interview = Interview.objects.get()
    assert (interview.format, interview.status, interview.consent) == ("besok", "utkast", "internt")
    finding = interview.findings.get()
    assert (finding.importance, finding.is_key_quote, finding.is_confidential) == (2, False, False)


BAD_CELLS = [
    (imports.AREA, "Parkering", "Parkering"),
    (imports.DATE, "14/3/2025", "14/3/2025"),
    (imports.DATE, "2025-02-30", "2025-02-30"),
    (imports.ORGANISATION_NUMBER, "556036-0794", "556036-0794"),
    (imports.ORGANISATION_NUMBER, "12345", None),
    (imports.GRADE, 7, "6"),
    (imports.GRADE, "bra", "bra"),
    (imports.DURATION, 2, "600"),
    (imports.IMPORTANCE, 5, "3"),
    (imports.TYPE, "klagomål", "klagomål"),
    (imports.FORMAT, "brev", "brev"),
    (imports.STATUS, "pågår", "pågår"),
    (imports.CONSENT, "ja", "ja"),
    (imports.INDUSTRY, "Z", "Z"),
    (imports.SIZE_CLASS, "många", "många"),
    (imports.DISTRICT, "Västerås", "Västerås"),
    (imports.KEY_QUOTE, "kanske", None),
    (imports.CONFIDENTIAL, "kanske", None),
    (imports.TEXT, "x" * 4001, "4000"),
    (imports.QUOTE, "x" * 2001, "2000"),
    (imports.COMPANY_NAME, "x" * 201, "200"),
    # The notes have the interview form's limit: refused on their row, never cut short.
    (imports.NOTES, "x" * 10_001, "10000"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("column", "value", "in_message"), BAD_CELLS)
def test_a_bad_cell_is_reported_by_row_and_column_and_nothing_is_written(
    developer, column, value, in_message
):
    before = counts()
    rows = [row(**{imports.REF: "A"}), row(**{imports.REF: "B", column: value})]
    preview = parse_interview_workbook(workbook_file(rows))

    assert problem_cells(preview) == {(3, column)}
    message = preview.problems[0].message
    assert message
    if in_message:
        assert in_message in message
    assert not preview.is_valid
    with pytest.raises(ValidationError):
        interview_import_commit(preview=preview, user=developer)
    assert counts() == before


@pytest.mark.django_db
def test_a_date_in_the_future_is_refused():
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    preview = parse_interview_workbook(workbook_file([row(**{imports.DATE: tomorrow})]))
    assert problem_cells(preview) == {(2, imports.DATE)}


NO_FINDING = {
    imports.AREA: None,
    imports.TYPE: None,
    imports.TEXT: None,
    imports.IMPORTANCE: None,
    imports.QUOTE: None,
    imports.KEY_QUOTE: None,
    imports.CONFIDENTIAL: None,
}


@pytest.mark.django_db
def test_a_done_interview_without_findings_is_refused_as_the_form_refuses_it():
    """One rule (interviews.models.validate_findings_for_status): reported on the status cell
    of the row that says "klar"; a draft without findings is fine."""
    rows = [
        row(**{imports.REF: "INT-1", imports.STATUS: None}),
        row(**{imports.REF: "INT-1", imports.STATUS: "klar", **NO_FINDING}),
        row(**{imports.REF: "INT-2", imports.STATUS: "utkast", **NO_FINDING}),
    ]
    rows[0].update(NO_FINDING)
    preview = parse_interview_workbook(workbook_file(rows))
    assert problem_cells(preview) == {(3, imports.STATUS)}
    assert "minst en synpunkt" in str(preview.problems[0].message)
    assert [interview.ref for interview in preview.interviews] == ["INT-2"]


@pytest.mark.django_db
def test_a_done_interview_whose_only_finding_is_wrong_gets_that_message_only():
    preview = parse_interview_workbook(workbook_file([row(**{imports.TEXT: None})]))
    assert problem_cells(preview) == {(2, imports.TEXT)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", ["0001-01-01", "1989-12-31", "9999-12-31", date(1850, 5, 1), datetime(2200, 1, 1)]
)
def test_an_implausible_date_is_refused_as_the_form_refuses_it(value):
    """The import and the interview form share one rule (smeportal.core.dates)."""
    preview = parse_interview_workbook(workbook_file([row(**{imports.DATE: value})]))
    assert problem_cells(preview) == {(2, imports.DATE)}
    assert "1990-01-01" in preview.problems[0].message


@pytest.mark.django_db
@pytest.mark.parametrize(
    "column", [imports.REF, imports.ORGANISATION_NUMBER, imports.COMPANY_NAME, imports.DATE]
)
def test_a_missing_required_interview_value_is_reported(column):
    preview = parse_interview_workbook(workbook_file([row(**{column: None})]))
    assert problem_cells(preview) == {(2, column)}


@pytest.mark.django_db
@pytest.mark.parametrize("column", [imports.AREA, imports.TYPE, imports.TEXT])
def test_a_half_filled_finding_is_reported(column):
    preview = parse_interview_workbook(workbook_file([row(**{column: None})]))
    assert problem_cells(preview) == {(2, column)}


@pytest.mark.django_db
@pytest.mark.parametrize("column", [imports.INDUSTRY, imports.SIZE_CLASS, imports.DISTRICT])
def test_a_new_company_needs_industry_size_and_district(column):
    preview = parse_interview_workbook(workbook_file([row(**{column: None})]))
    assert problem_cells(preview) == {(2, column)}


@pytest.mark.django_db
def test_an_existing_company_needs_no_industry_and_keeps_its_details(developer):
    company = CompanyFactory(organisation_number=ORGNR, name="Svets och Smide i Torshälla AB")
    preview = parse_interview_workbook(
        workbook_file(
            [row(**{imports.INDUSTRY: None, imports.SIZE_CLASS: None, imports.DISTRICT: None})]
        )
    )
    assert preview.problems == []
    assert [(w.row, w.column) for w in preview.warnings] == [(2, imports.COMPANY_NAME)]
    assert company.name in preview.warnings[0].message
    interview_import_commit(preview=preview, user=developer)
    company.refresh_from_db()
    assert company.name == "Svets och Smide i Torshälla AB"
    assert Interview.objects.get().company == company


@pytest.mark.django_db
def test_conflicting_interview_fields_within_one_ref_are_reported():
    rows = [
        row(),
        row(**{imports.DATE: "2025-03-15"}),
        row(**{imports.ORGANISATION_NUMBER: "5566778899"}),
    ]
    preview = parse_interview_workbook(workbook_file(rows))
    assert problem_cells(preview) == {(3, imports.DATE), (4, imports.ORGANISATION_NUMBER)}
    assert "2" in preview.problems[0].message  # names the row it differs from
    assert "INT-1" in preview.problems[0].message


@pytest.mark.django_db
def test_the_same_value_written_differently_is_no_conflict():
    rows = [
        row(),
        row(
            **{
                imports.DATE: datetime(2025, 3, 14),
                imports.FORMAT: "BESOK",
                imports.ORGANISATION_NUMBER: "5560360793",
            }
        ),
    ]
    preview = parse_interview_workbook(workbook_file(rows))
    assert preview.problems == []
    assert preview.interview_count == 1


@pytest.mark.django_db
def test_one_new_company_given_different_names_in_two_interviews_is_reported():
    rows = [row(), row(**{imports.REF: "INT-2", imports.COMPANY_NAME: "Annat namn AB"})]
    preview = parse_interview_workbook(workbook_file(rows))
    assert problem_cells(preview) == {(3, imports.COMPANY_NAME)}


@pytest.mark.django_db
def test_an_interview_already_in_the_portal_gives_a_warning_not_a_problem():
    company = CompanyFactory(organisation_number=ORGNR, name="Svets & Smide AB")
    InterviewFactory(company=company, date=date(2025, 3, 14))
    preview = parse_interview_workbook(workbook_file([row()]))
    assert preview.is_valid
    assert [(w.row, w.column) for w in preview.warnings] == [(2, imports.DATE)]


@pytest.mark.django_db
def test_headers_may_drop_their_hint_and_extra_columns_and_sheets_are_ignored():
    headers = [h.split(" (")[0].upper() for h in IMPORT_HEADERS] + ["Intervjuare"]
    rows = [{h.split(" (")[0].upper(): v for h, v in row().items()} | {"Intervjuare": "Kim"}]
    workbook = Workbook()
    workbook.active.title = "Läs mig"
    worksheet = workbook.create_sheet("Intervjuer")
    worksheet.append(headers)
    for values in rows:
        worksheet.append([values.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = parse_interview_workbook(SimpleUploadedFile("a.xlsx", buffer.getvalue()))
    assert preview.problems == []
    assert preview.finding_count == 1


@pytest.mark.django_db
def test_an_archived_area_can_still_be_named():
    area = PriorityAreaFactory(name="Gammalt område", slug="gammalt", is_archived=True)
    preview = parse_interview_workbook(workbook_file([row(**{imports.AREA: "gammalt område"})]))
    assert preview.interviews[0].findings[0].area == area


def _file_error(upload) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        parse_interview_workbook(upload)
    return caught.value


@pytest.mark.django_db
def test_missing_headers_are_named():
    headers = [h for h in IMPORT_HEADERS if h not in {imports.TEXT, imports.DATE}]
    error = _file_error(workbook_file([row()], headers=headers))
    assert error.code == "headers"
    message = error.messages[0]
    assert imports.TEXT in message and imports.DATE in message
    assert imports.AREA not in message


@pytest.mark.django_db
def test_a_sheet_with_only_headers_is_empty():
    assert _file_error(workbook_file([])).code == "empty"


@pytest.mark.django_db
def test_a_blank_sheet_is_empty():
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _file_error(SimpleUploadedFile("a.xlsx", buffer.getvalue())).code == "empty"


@pytest.mark.django_db
def test_more_than_5000_rows_are_refused():
    values = [row(**{imports.REF: str(n)}) for n in range(imports.MAX_DATA_ROWS + 1)]
    error = _file_error(workbook_file(values))
    assert error.code == "too_many_rows"
    assert "5000" in error.messages[0]


@pytest.mark.django_db
def test_exactly_5000_rows_are_accepted():
    values = [row(**{imports.REF: "1"})] * imports.MAX_DATA_ROWS
    preview = parse_interview_workbook(workbook_file(values))
    assert preview.problems == []
    assert preview.finding_count == imports.MAX_DATA_ROWS


@pytest.mark.django_db
def test_an_unreadable_workbook_is_a_file_error():
    upload = SimpleUploadedFile("a.xlsx", b"PK\x03\x04 not a workbook")
    assert _file_error(upload).code == "unreadable"


@pytest.mark.django_db
def test_the_commit_is_all_or_nothing(developer):
    """An area removed between preview and commit makes the last finding fail: no row stays."""
    area = PriorityAreaFactory(name="Tillfälligt", slug="tillfalligt")
    rows = [
        row(),
        row(
            **{
                imports.REF: "INT-2",
                imports.ORGANISATION_NUMBER: "5566778899",
                imports.COMPANY_NAME: "Mälarverken AB",
                imports.AREA: "tillfalligt",
            }
        ),
    ]
    preview = parse_interview_workbook(workbook_file(rows))
    assert preview.is_valid
    area.delete()
    with pytest.raises(ValidationError):
        interview_import_commit(preview=preview, user=developer)
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_the_template_has_the_headers_only_and_instructions():
    workbook = load_workbook(io.BytesIO(import_template_workbook()))
    assert workbook.sheetnames == ["Intervjuer", "Instruktioner"]
    data = workbook["Intervjuer"]
    assert [cell.value for cell in data[1]] == list(IMPORT_HEADERS)
    assert data.max_row == 1
    assert data["A1"].font.bold
    assert data.freeze_panes == "A2"
    instructions = workbook["Instruktioner"]
    text = "\n".join(
        str(value) for r in instructions.iter_rows(values_only=True) for value in r if value
    )
    for header in IMPORT_HEADERS:
        assert header in text
    for area in PriorityArea.objects.filter(is_archived=False):
        assert area.name in text and area.slug in text
    for word in (
        "utmaning",
        "idé",
        "styrka",
        "utkast",
        "klar",
        "besök",
        "digitalt",
        "telefon",
        "internt",
        "anonymt",
        "med namn",
        "10–49",
        "ÅÅÅÅ-MM-DD",
        "torshälla",
    ):
        assert word in text


@pytest.mark.django_db
def test_the_template_itself_imports_as_an_empty_file():
    upload = SimpleUploadedFile("mall.xlsx", import_template_workbook())
    assert _file_error(upload).code == "empty"


# --- The commit is set-based (issues 11 and 12) ------------------------------------------------


def _insert_statements(model, count: int) -> int:
    """INSERT statements for `count` new rows: one on Postgres, one per batch on SQLite."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    size = max(connection.ops.bulk_batch_size(fields, [None] * count), 1)
    return math.ceil(count / size)


def _commit_queries(user, first: int, count: int) -> int:
    rows = [
        row(
            **{
                imports.REF: f"R-{n}",
                imports.ORGANISATION_NUMBER: _valid_orgnr(5568000000 + n * 10),
            }
        )
        for n in range(first, first + count)
    ]
    preview = parse_interview_workbook(workbook_file(rows))
    assert preview.is_valid, preview.problems[:3]
    with CaptureQueriesContext(connection) as captured:
        result = interview_import_commit(preview=preview, user=user)
    assert (result.interview_count, result.companies_created) == (count, count)
    return len(captured)


@pytest.mark.django_db
def test_the_commit_makes_the_same_queries_for_200_interviews_as_for_5(developer):
    small = _commit_queries(developer, 0, 5)
    large = _commit_queries(developer, 1_000, 200)
    # Each interview has a new company and one finding; SQLite splits the INSERTs of many rows
    # into batches, Postgres does not (extra is 0 there). The companies' and findings' history
    # is one INSERT ... SELECT at any size. One by one it was 25 per interview.
    models = (
        Company,
        Interview,
        Interview.interviewers.through,
        Interview.history.model,
        Interview.history.model.interviewers.model,
        Finding,
    )
    extra = sum(_insert_statements(model, 200) - _insert_statements(model, 5) for model in models)
    assert large == small + extra
    assert small <= 20


@pytest.mark.django_db
def test_the_audit_trail_shows_who_imported_each_record(developer):
    preview = parse_interview_workbook(workbook_file([row(), row(**{imports.TEXT: "Bra dialog."})]))
    interview_import_commit(preview=preview, user=developer)

    interview = Interview.objects.get()
    [record] = Interview.history.filter(id=interview.pk)
    assert (record.history_type, record.history_user) == ("+", developer)
    linked = Interview.history.model.interviewers.model.objects.filter(history=record)
    assert [link.user_id for link in linked] == [developer.pk]
    assert [(r.history_type, r.history_user) for r in Company.history.all()] == [("+", developer)]
    findings = Finding.history.filter(interview_id=interview.pk)
    assert sorted((r.history_type, r.history_user_id) for r in findings) == [
        ("+", developer.pk),
        ("+", developer.pk),
    ]
    # the company, the interview and its two findings
    assert audit_trail_count(AuditFilter(user_id=developer.pk)) == 4


@pytest.mark.django_db
def test_a_formula_without_a_saved_value_is_named_as_such():
    """A file written by a script keeps formulas without their values: the cell reads as
    empty, and the problem says why instead of "fill in this column"."""
    rows = [row(**{imports.COMPANY_NAME: "=B3", imports.TEXT: "Svårt att rekrytera."})]
    content = workbook_file(rows)
    preview = parse_interview_workbook(content)
    assert problem_cells(preview) == {(2, imports.COMPANY_NAME)}
    assert "formel" in str(preview.problems[0].message)
    # A plainly empty cell still asks to be filled in.
    content = workbook_file([row(**{imports.COMPANY_NAME: None})])
    message = str(parse_interview_workbook(content).problems[0].message)
    assert "formel" not in message and "Fyll i" in message
