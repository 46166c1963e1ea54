"""The interview import in Swedish and English (issue 13): the template in the reader's language
or the one asked for, files read with either language's headers, messages in the reader's."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from interviews import imports
from interviews.imports import ENGLISH_HEADERS, IMPORT_HEADERS, parse_interview_workbook
from interviews.models import Company, Finding, Interview
from tests.factories import CompanyFactory

IMPORT = reverse("interviews:interview_import")
TEMPLATE = reverse("interviews:interview_import_template")
ENGLISH = [ENGLISH_HEADERS[header] for header in IMPORT_HEADERS]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def english_client(developer_client):
    developer_client.cookies["django_language"] = "en"
    return developer_client


def swedish_row(**values) -> dict:
    """A complete interview with one finding, keyed by the Swedish header."""
    base = {
        imports.REF: "INT-1",
        imports.ORGANISATION_NUMBER: "556036-0793",
        imports.COMPANY_NAME: "Svets & Smide AB",
        imports.INDUSTRY: "C",
        imports.SIZE_CLASS: "10–49",
        imports.DISTRICT: "centrum",
        imports.DATE: "2025-03-14",
        imports.FORMAT: "besök",
        imports.STATUS: "klar",
        imports.CONSENT: "anonymt",
        imports.AREA: "kompetensforsorjning",
        imports.TYPE: "utmaning",
        imports.TEXT: "Svårt att hitta svetsare.",
        imports.KEY_QUOTE: "Ja",
        imports.CONFIDENTIAL: "Nej",
    }
    return base | values


def english_row(**values) -> dict:
    """The same interview as an English template has it: English words, keyed by the Swedish
    header (xlsx writes it under the English one)."""
    return swedish_row(
        **{
            imports.FORMAT: "visit",
            imports.STATUS: "done",
            imports.CONSENT: "anonymous",
            imports.TYPE: "challenge",
            imports.KEY_QUOTE: "Yes",
            imports.CONFIDENTIAL: "No",
            **values,
        }
    )


def xlsx(rows, headers=IMPORT_HEADERS, sheet="Intervjuer") -> bytes:
    """A workbook whose columns are `headers` (any spelling), filled from rows keyed by the
    Swedish header, in the order of IMPORT_HEADERS."""
    keys = list(IMPORT_HEADERS)
    workbook = Workbook()
    workbook.active.title = sheet
    workbook.active.append(list(headers))
    for values in rows:
        workbook.active.append([values.get(key) for key in keys[: len(headers)]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes):
    return client.post(IMPORT, {"file": SimpleUploadedFile("import.xlsx", content)})


def upload_and_confirm(client, content: bytes):
    preview = upload(client, content)
    assert preview.status_code == 200, preview.context and preview.context.get("problems")
    return client.post(preview.context["confirm_url"])


def workbook_of(response):
    return load_workbook(io.BytesIO(response.content))


def instruction_text(workbook, sheet: str) -> str:
    return "\n".join(
        str(value) for row in workbook[sheet].iter_rows(values_only=True) for value in row if value
    )


# --- The template ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_template_is_in_english_for_an_english_reader(english_client):
    response = english_client.get(TEMPLATE)
    assert response.status_code == 200
    assert 'filename="interviews-import-template.xlsx"' in response["Content-Disposition"]
    assert response["Content-Language"] == "en"
    workbook = workbook_of(response)
    assert workbook.sheetnames == ["Interviews", "Instructions"]
    assert [cell.value for cell in workbook["Interviews"][1]] == ENGLISH
    instructions = workbook["Instructions"]
    assert [cell.value for cell in instructions[1]] == [
        "Column",
        "Required",
        "Description",
        "Allowed values",
        "Example",
    ]
    text = instruction_text(workbook, "Instructions")
    for word in ("Yes, No", "visit", "draft", "done", "challenge", "anonymous", "YYYY-MM-DD"):
        assert word in text
    for swedish in ("Ja, Nej", "besök", "utmaning", "ÅÅÅÅ-MM-DD", "Beskrivning", "Tomt ="):
        assert swedish not in text
    assert "Manufacturing" in text  # the industries' English labels


@pytest.mark.django_db
def test_the_template_is_in_swedish_by_default(developer_client):
    response = developer_client.get(TEMPLATE)
    assert response.status_code == 200
    assert 'filename="intervjuer-importmall.xlsx"' in response["Content-Disposition"]
    workbook = workbook_of(response)
    assert workbook.sheetnames == ["Intervjuer", "Instruktioner"]
    assert [cell.value for cell in workbook["Intervjuer"][1]] == list(IMPORT_HEADERS)
    assert [cell.value for cell in workbook["Instruktioner"][1]][:2] == ["Kolumn", "Obligatorisk"]
    assert "Ja, Nej" in instruction_text(workbook, "Instruktioner")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cookie", "asked", "sheets"),
    [
        ("en", "sv", ["Intervjuer", "Instruktioner"]),
        ("sv", "en", ["Interviews", "Instructions"]),
        ("en", "EN", ["Interviews", "Instructions"]),
        ("sv", "", ["Intervjuer", "Instruktioner"]),
    ],
)
def test_the_template_can_be_asked_for_in_either_language(developer_client, cookie, asked, sheets):
    developer_client.cookies["django_language"] = cookie
    response = developer_client.get(TEMPLATE, {"sprak": asked})
    assert response.status_code == 200
    assert workbook_of(response).sheetnames == sheets


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["fr", "svenska", "x" * 5000, "sv\x00"])
def test_a_template_in_an_unknown_language_is_a_clear_400(english_client, asked):
    response = english_client.get(TEMPLATE, {"sprak": asked})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is no template in that language" in body
    assert "sprak=sv" in body and "sprak=en" in body


@pytest.mark.django_db
def test_the_upload_page_offers_the_template_in_both_languages(english_client):
    body = english_client.get(IMPORT).content.decode()
    assert f'href="{TEMPLATE}?sprak=sv"' in body and "Mall på svenska" in body
    assert f'href="{TEMPLATE}?sprak=en"' in body and "Template in English" in body
    assert "the instructions sheet explains each column" in body


@pytest.mark.django_db
def test_the_english_template_filled_in_imports_in_a_swedish_session(developer_client):
    """Downloaded in English, filled in with English words, uploaded in Swedish."""
    template = workbook_of(developer_client.get(TEMPLATE, {"sprak": "en"}))
    values = english_row()
    template["Interviews"].append([values.get(header) for header in IMPORT_HEADERS])
    buffer = io.BytesIO()
    template.save(buffer)

    response = upload_and_confirm(developer_client, buffer.getvalue())

    assert response.status_code == 302
    interview = Interview.objects.get()
    assert (interview.format, interview.status, interview.consent) == ("besok", "klar", "anonymt")
    finding = Finding.objects.get()
    assert (finding.type, finding.is_key_quote, finding.is_confidential) == (
        "utmaning",
        True,
        False,
    )


# --- Reading either language -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_swedish_file_imports_in_an_english_session(english_client):
    response = upload_and_confirm(english_client, xlsx([swedish_row()]))
    assert response.status_code == 302
    assert Finding.objects.get().is_key_quote is True


@pytest.mark.django_db
def test_an_english_file_imports_in_a_swedish_session(developer_client):
    content = xlsx([english_row()], headers=ENGLISH, sheet="Interviews")
    response = upload_and_confirm(developer_client, content)
    assert response.status_code == 302
    assert Company.objects.get().name == "Svets & Smide AB"
    assert Interview.objects.get().status == "klar"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cell", "expected"), [("Yes", True), ("no", False), ("YES", True), ("Nej", False)]
)
def test_yes_and_no_are_read_in_either_language(cell, expected):
    content = xlsx([english_row(**{imports.KEY_QUOTE: cell})], headers=ENGLISH)
    preview = parse_interview_workbook(SimpleUploadedFile("a.xlsx", content))
    assert preview.problems == []
    assert preview.interviews[0].findings[0].is_key_quote is expected


@pytest.mark.django_db
def test_headers_may_mix_the_languages_and_drop_their_hints():
    headers = [
        ENGLISH_HEADERS[header].split(" (")[0] if index % 2 else header
        for index, header in enumerate(IMPORT_HEADERS)
    ]
    rows = [english_row(**{imports.FORMAT: "Telefon", imports.TYPE: "Idé"})]
    preview = parse_interview_workbook(SimpleUploadedFile("a.xlsx", xlsx(rows, headers=headers)))
    assert preview.problems == []
    assert preview.finding_count == 1
    assert preview.interviews[0].format == "telefon"


@pytest.mark.django_db
def test_the_english_sheet_is_found_among_other_sheets():
    workbook = Workbook()
    workbook.active.title = "Instructions"
    sheet = workbook.create_sheet("Interviews")
    sheet.append(ENGLISH)
    sheet.append([english_row().get(header) for header in IMPORT_HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = parse_interview_workbook(SimpleUploadedFile("a.xlsx", buffer.getvalue()))
    assert preview.is_valid


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_column_given_in_both_languages_is_refused(developer_client, language):
    developer_client.cookies["django_language"] = language
    headers = [*IMPORT_HEADERS, "Date"]
    response = upload(developer_client, xlsx([swedish_row()], headers=headers))
    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()["file"]
    assert errors[0].code == "duplicate_headers"
    message = response.context["form"].errors["file"][0]
    assert "“Datum”" in message or "”Datum”" in message
    assert "Date" in message
    assert not Interview.objects.exists()


@pytest.mark.django_db
def test_the_same_header_twice_keeps_the_first_column_as_before():
    headers = [*IMPORT_HEADERS, imports.DATE]
    preview = parse_interview_workbook(
        SimpleUploadedFile("a.xlsx", xlsx([swedish_row()], headers=headers))
    )
    assert preview.is_valid


# --- Messages in the reader's language ---------------------------------------------------------


@pytest.mark.django_db
def test_cell_errors_are_in_english_for_an_english_reader_and_name_the_files_column(
    english_client,
):
    content = xlsx([swedish_row(**{imports.DATE: "14/3 2025"})])
    response = upload(english_client, content)
    assert response.status_code == 400
    [problem] = response.context["problems"]
    assert (problem.row, problem.column, problem.heading) == (2, imports.DATE, "Datum")
    assert "is not a date. Write it as YYYY-MM-DD" in problem.message
    assert "<td>Datum</td>" in response.content.decode()


@pytest.mark.django_db
def test_an_english_file_has_its_columns_named_in_english_in_a_swedish_session(developer_client):
    content = xlsx([english_row(**{imports.DATE: "14/3 2025"})], headers=ENGLISH)
    response = upload(developer_client, content)
    assert response.status_code == 400
    [problem] = response.context["problems"]
    assert problem.heading == "Date"
    assert "”14/3 2025” är inte ett datum" in problem.message
    assert "<td>Date</td>" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "cookie", "words"),
    [
        (ENGLISH, "en", ("Allowed: visit, digital, phone.", "“Yes” or “No”")),
        (list(IMPORT_HEADERS), "en", ("Allowed: besök, digitalt, telefon.", "“Ja” or “Nej”")),
    ],
)
def test_the_suggested_words_are_the_files_and_the_message_the_readers(
    developer_client, headers, cookie, words
):
    developer_client.cookies["django_language"] = cookie
    row = english_row(**{imports.FORMAT: "by pigeon", imports.KEY_QUOTE: "perhaps"})
    response = upload(developer_client, xlsx([row], headers=headers))
    assert response.status_code == 400
    messages = " ".join(problem.message for problem in response.context["problems"])
    assert "is not an allowed value" in messages
    for word in words:
        assert word in messages


@pytest.mark.django_db
def test_missing_columns_are_named_in_the_files_language_in_the_readers_message(english_client):
    headers = [h for h in ENGLISH if h not in {"Date", "Finding"}]
    keys = [h for h in IMPORT_HEADERS if ENGLISH_HEADERS[h] in headers]
    workbook = Workbook()
    workbook.active.append(headers)
    workbook.active.append([english_row().get(key) for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(english_client, buffer.getvalue())
    assert response.status_code == 400
    message = response.context["form"].errors["file"][0]
    assert message.startswith("The sheet")
    assert "lacks the columns: Date, Finding." in message
    assert "Datum" not in message


def test_missing_columns_of_a_swedish_file_are_named_in_swedish():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        headers = [h for h in IMPORT_HEADERS if h != imports.TEXT]
        parse_interview_workbook(
            SimpleUploadedFile("a.xlsx", xlsx([swedish_row()], headers=headers))
        )
    assert caught.value.code == "headers"
    assert "lacks the columns: Synpunkt." in caught.value.messages[0]


@pytest.mark.django_db
def test_stored_rows_are_named_in_the_readers_language_on_confirmation(english_client):
    """The confirmation checks the stored rows again, without the file: its columns are named
    in the interface language."""
    preview = upload(english_client, xlsx([swedish_row()]))
    assert preview.status_code == 200
    CompanyFactory(name="Ett annat namn AB", organisation_number="556036-0793")
    confirmation = english_client.get(preview.context["confirm_url"])
    headings = {w.heading for w in confirmation.context["preview"].warnings}
    assert headings == {"Company name"}


def test_no_two_columns_share_a_spelling_in_either_language():
    spellings = imports._spellings()
    assert {column for column, _languages in spellings.values()} == set(IMPORT_HEADERS)
    assert len(set(ENGLISH_HEADERS.values())) == len(IMPORT_HEADERS)
