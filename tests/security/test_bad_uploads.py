"""One corpus of bad uploads, applied to every Excel import of the portal (issue 7).

The corpus is built in the test (no binary fixtures): a CSV and a PDF renamed .xlsx, a file
with another extension, a zip bomb, an encrypted (OLE) file, a macro-enabled workbook, a 20 MB
file, a workbook whose required cells are formulas, wrong headers, an empty workbook, a sheet
with headers only, one row more than the import allows, and the upload-cost attacks of issue 11
(300,000 rows of one space in 1.5 MB, one cell at XFD1048576 in 8 KB, a dimension that says
A1:C10 over 300,000 rows, and blank rows or a far cell that only the row walk can stop). Every
import must answer each with its Swedish message, write nothing to the database, leave no file
under MEDIA_ROOT/imports, and do bounded work: the rows and cells it reads and the XML it lets
openpyxl parse stay within the row limit plus a small budget, whatever the file holds (counted,
not timed). A test walks the URL patterns and fails when a view that reads uploaded files is
missing from UPLOAD_ENDPOINTS.
"""

from __future__ import annotations

import datetime
import functools
import html
import inspect
import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook

from actionplan import measurement_import
from actionplan.models import Measurement
from interviews import imports as interview_import
from interviews.models import Finding, Interview
from smeportal.accounts.roles import Role
from smeportal.core import stored_imports
from smeportal.core.uploads import read_cost_limits, recorded_read_costs
from tests.factories import IndicatorFactory, UserFactory, _valid_orgnr
from tests.urlwalk import iter_url_patterns
from tests.xlsx_builders import blank_rows, far_cell_row, raw_sheet_workbook

# Every model of these apps (their history tables included) must keep its row count.
WATCHED_APPS = ("interviews", "workshops", "actionplan", "areas", "reports")


@dataclass(frozen=True)
class UploadEndpoint:
    """An import: its URL, and how a row in the right format looks."""

    name: str
    kwargs: Callable[[Any], dict[str, Any]]
    sheet: str
    headers: tuple[str, ...]
    row: Callable[[int], list[Any]]
    max_rows: int

    def url(self, indicator) -> str:
        return reverse(self.name, kwargs=self.kwargs(indicator))


def _interview_row(number: int) -> list[Any]:
    values = {
        interview_import.REF: f"INT-{number}",
        interview_import.ORGANISATION_NUMBER: _valid_orgnr(5567000000 + number * 10),
        interview_import.COMPANY_NAME: f"Importbolaget {number} AB",
        interview_import.INDUSTRY: "C",
        interview_import.SIZE_CLASS: "10–49",
        interview_import.DISTRICT: "centrum",
        interview_import.DATE: "2025-03-14",
        interview_import.FORMAT: "besök",
        interview_import.DURATION: 60,
        interview_import.STATUS: "klar",
        interview_import.GRADE: 4,
        interview_import.CONSENT: "anonymt",
        interview_import.NOTES: "Samtal om kompetensförsörjning.",
        interview_import.AREA: "kompetensforsorjning",
        interview_import.TYPE: "utmaning",
        interview_import.TEXT: "Svårt att hitta svetsare.",
        interview_import.IMPORTANCE: 2,
        interview_import.QUOTE: "",
        interview_import.KEY_QUOTE: "Nej",
        interview_import.CONFIDENTIAL: "Nej",
    }
    return [values.get(header) for header in interview_import.IMPORT_HEADERS]


def _measurement_row(number: int) -> list[Any]:
    return [
        (datetime.date(1990, 1, 1) + datetime.timedelta(days=number)).isoformat(),
        f"{3 + number % 100 / 100:.2f}".replace(".", ","),
        f"Mätning {number}",
    ]


UPLOAD_ENDPOINTS = [
    UploadEndpoint(
        "interviews:interview_import",
        kwargs=lambda indicator: {},
        sheet=interview_import.DATA_SHEET,
        headers=interview_import.IMPORT_HEADERS,
        row=_interview_row,
        max_rows=interview_import.MAX_DATA_ROWS,
    ),
    UploadEndpoint(
        "actionplan:measurement_import",
        kwargs=lambda indicator: {"pk": indicator.pk},
        sheet=measurement_import.DATA_SHEET,
        headers=measurement_import.HEADERS,
        row=_measurement_row,
        max_rows=measurement_import.MAX_DATA_ROWS,
    ),
]


def _view_source(callback) -> str:
    view = getattr(callback, "view_class", None) or inspect.unwrap(callback)
    return inspect.getsource(view)


def test_every_view_that_reads_uploaded_files_is_in_the_corpus_run():
    uploading = {
        name
        for name, _route, pattern in iter_url_patterns()
        if "request.FILES" in _view_source(pattern.callback)
    }
    assert uploading == {endpoint.name for endpoint in UPLOAD_ENDPOINTS}


# --- The corpus -------------------------------------------------------------------------------


def _workbook_bytes(endpoint: UploadEndpoint, rows, headers=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(endpoint.sheet)
    sheet.append(list(endpoint.headers if headers is None else headers))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """A valid zip whose one member inflates to 60 MB (a ratio of about 1,000)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"0" * (1024 * 1024)
            for _ in range(60):
                member.write(chunk)
    return buffer.getvalue()


def _macro_workbook(endpoint: UploadEndpoint) -> bytes:
    """A valid workbook made macro-enabled: a VBA project and the macro content type."""
    source = zipfile.ZipFile(io.BytesIO(_workbook_bytes(endpoint, [endpoint.row(1)])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            archive.writestr(entry, data)
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + os.urandom(2048))
    return buffer.getvalue()


def _twenty_megabytes() -> bytes:
    """A zip of 20 MB (random, so it does not compress): too large whatever it holds."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/media/image1.bin", os.urandom(20 * 1024 * 1024))
    return buffer.getvalue()


def _formulas(endpoint: UploadEndpoint) -> bytes:
    """Rows in the right format, but the date is =TODAY() and the last column =HYPERLINK(...).

    openpyxl writes formulas without a cached result, as a script would; the portal never
    evaluates a formula, so the required date is empty, and the problem says it is a formula.
    """
    date_column = endpoint.headers.index("Datum")
    rows = []
    for number in range(3):
        row = endpoint.row(number)
        row[date_column] = "=TODAY()"
        row[-1] = '=HYPERLINK("http://example.invalid/","klicka")'
        rows.append(row)
    return _workbook_bytes(endpoint, rows)


def _empty_workbook(endpoint: UploadEndpoint) -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


# The upload-cost attacks (issue 11). Before the fix the first kept a worker busy for ~30 s and
# the second for ~8 s; the third defeats a reader that trusts the dimension.
ATTACK_ROWS = 300_000


def _blank_rows_attack(endpoint: UploadEndpoint, dimension: str | None = None) -> bytes:
    content = raw_sheet_workbook(
        endpoint.sheet, endpoint.headers, blank_rows(2, ATTACK_ROWS), dimension=dimension
    )
    assert len(content) < 2 * 1024 * 1024  # about 1.5 MB
    return content


def _far_cell(endpoint: UploadEndpoint, dimension: str | None) -> bytes:
    content = raw_sheet_workbook(
        endpoint.sheet, endpoint.headers, far_cell_row(), dimension=dimension
    )
    assert len(content) < 8 * 1024
    return content


def _blank_rows_past_the_budget(endpoint: UploadEndpoint) -> bytes:
    """Few enough blank rows to pass the size check, one more than the walk allows; the
    dimension hides them, so only the bounded row walk can stop."""
    row_limit = read_cost_limits(endpoint.max_rows).row_limit
    return raw_sheet_workbook(
        endpoint.sheet, endpoint.headers, blank_rows(2, row_limit), dimension="A1:C10"
    )


OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
TOO_MUCH_XML = (
    "The workbook holds far more than an import of at most %(max)s data rows can need (for "
    "example many empty rows, other large sheets or a great many cell styles). Split the file, "
    "or copy the data into a new workbook made from the template, and try again."
)
SHEET_TOO_LONG = (
    "The sheet “%(sheet)s” goes on below row %(row)s (empty rows included), but at most "
    "%(max)s data rows can be imported. Delete the empty rows below the data, or split the "
    "file, and try again."
)

# name: (build the file's bytes, its name, the error code, the English msgid of the message)
CORPUS: dict[str, tuple[Callable[[UploadEndpoint], bytes], str, str, str]] = {
    "csv-renamed": (
        lambda e: "Datum;Värde\n2024-06-01;3,4\n".encode(),
        "data.xlsx",
        "not_xlsx",
        "The file is not an Excel workbook (.xlsx). Save it from Excel as “Excel Workbook "
        "(*.xlsx)” and try again.",
    ),
    "pdf-renamed": (
        lambda e: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
        "rapport.xlsx",
        "not_xlsx",
        "The file is not an Excel workbook (.xlsx). Save it from Excel as “Excel Workbook "
        "(*.xlsx)” and try again.",
    ),
    "wrong-extension": (
        lambda e: _workbook_bytes(e, [e.row(1)]),
        "data.csv",
        "extension",
        "Choose an Excel file whose name ends in .xlsx.",
    ),
    "zip-bomb": (
        lambda e: _zip_bomb(),
        "bomb.xlsx",
        "zip_bomb",
        "The file expands to an unreasonable size when unpacked and cannot be read. Copy the "
        "data into a new workbook made from the template and try again.",
    ),
    "encrypted": (
        lambda e: OLE_SIGNATURE + os.urandom(4096),
        "losenord.xlsx",
        "encrypted",
        "The file is password-protected or in the old Excel format (.xls). Remove the "
        "password or save it as “Excel Workbook (*.xlsx)” and try again.",
    ),
    "macros": (
        _macro_workbook,
        "makro.xlsx",
        "macro",
        "The file contains macros. Save it as “Excel Workbook (*.xlsx)” without macros and "
        "try again.",
    ),
    "20-megabytes": (
        lambda e: _twenty_megabytes(),
        "stor.xlsx",
        "too_large",
        "The file is %(size)s MB; at most %(max)s MB can be uploaded.",
    ),
    # Not a file error: the required cells are reported by row and column.
    "formulas": (
        _formulas,
        "formler.xlsx",
        "",
        "The cell holds a formula whose value was not saved with the file. Type the value "
        "itself, or open and save the file in Excel, which saves the values.",
    ),
    "wrong-headers": (
        lambda e: _workbook_bytes(e, [["a", "b", "c"]], headers=["Namn", "Belopp", "Övrigt"]),
        "rubriker.xlsx",
        "headers",
        "The sheet “%(sheet)s” lacks the columns: %(columns)s. Use the template; the first row "
        "must hold the column headers.",
    ),
    "empty-workbook": (
        _empty_workbook,
        "tom.xlsx",
        "empty",
        "The sheet “%(sheet)s” is empty. Fill in the template and try again.",
    ),
    "headers-only": (
        lambda e: _workbook_bytes(e, []),
        "bara-rubriker.xlsx",
        "empty",
        "The sheet “%(sheet)s” has no data rows. Fill in the template and try again.",
    ),
    "one-row-too-many": (
        lambda e: _workbook_bytes(e, (e.row(n) for n in range(e.max_rows + 1))),
        "manga-rader.xlsx",
        "too_many_rows",
        "The file has more than %(max)s data rows. Split it into smaller files.",
    ),
    "300000-blank-rows": (
        _blank_rows_attack,
        "mellanslag.xlsx",
        "xml_too_large",
        TOO_MUCH_XML,
    ),
    "lying-dimension": (
        lambda e: _blank_rows_attack(e, dimension="A1:C10"),
        "dimension.xlsx",
        "xml_too_large",
        TOO_MUCH_XML,
    ),
    "cell-at-XFD1048576": (
        lambda e: _far_cell(e, dimension="A1:XFD1048576"),
        "xfd.xlsx",
        "sheet_too_long",
        SHEET_TOO_LONG,
    ),
    "cell-at-XFD1048576-without-dimension": (
        lambda e: _far_cell(e, dimension=None),
        "xfd-utan-dimension.xlsx",
        "sheet_too_long",
        SHEET_TOO_LONG,
    ),
    "blank-rows-past-the-budget": (
        _blank_rows_past_the_budget,
        "tomma-rader.xlsx",
        "sheet_too_long",
        SHEET_TOO_LONG,
    ),
}
# The attacks that must be refused before openpyxl opens the file at all.
REFUSED_BEFORE_OPENING = {"300000-blank-rows", "lying-dimension"}


@functools.cache
def corpus_file(case: str, endpoint_name: str) -> bytes:
    endpoint = next(e for e in UPLOAD_ENDPOINTS if e.name == endpoint_name)
    return CORPUS[case][0](endpoint)


def swedish(msgid: str) -> str:
    """The Swedish text of a message, up to its first placeholder."""
    with translation.override("sv"):
        text = gettext(msgid)
    assert text != msgid, f"not translated: {msgid}"
    return text.split("%(", 1)[0]


# --- Uploading --------------------------------------------------------------------------------


@pytest.fixture
def uploader(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = Client()
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    return client


@pytest.fixture
def indicator(db):
    return IndicatorFactory()


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app_label in WATCHED_APPS
        for model in apps.get_app_config(app_label).get_models()
    }


def _imports_folder(settings) -> Path:
    return Path(settings.MEDIA_ROOT) / stored_imports.IMPORT_DIR


def _upload(client, endpoint, indicator, content: bytes, name: str):
    return client.post(endpoint.url(indicator), {"file": SimpleUploadedFile(name, content)})


def _assert_bounded(cost) -> None:
    """What one read looked at stays within its limits, whatever the file held."""
    assert cost.rows <= cost.row_limit + 1, cost
    assert cost.cells <= cost.column_limit + cost.row_limit * cost.column_limit, cost
    if cost.opened:
        assert cost.xml_tags <= cost.max_xml_tags, cost
        assert cost.structure_tags <= cost.max_structure_tags, cost
    else:
        assert (cost.rows, cost.cells) == (0, 0), cost


def _page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", UPLOAD_ENDPOINTS, ids=lambda endpoint: endpoint.name)
@pytest.mark.parametrize("case", list(CORPUS))
def test_a_bad_upload_gets_its_swedish_message_with_bounded_work_and_writes_nothing(
    uploader, indicator, settings, endpoint, case
):
    content = corpus_file(case, endpoint.name)
    _build, name, code, msgid = CORPUS[case]
    before = _row_counts()

    with recorded_read_costs() as costs:
        response = _upload(uploader, endpoint, indicator, content, name)

    assert response.status_code == 400
    for cost in costs:
        _assert_bounded(cost)
    if case in REFUSED_BEFORE_OPENING:
        assert [cost.opened for cost in costs] == [False]
    if code in {"sheet_too_long", "too_many_rows"}:
        [cost] = costs
        assert cost.opened
    assert _row_counts() == before
    imports = _imports_folder(settings)
    assert not imports.exists() or not any(imports.iterdir())
    if code:
        errors = response.context["form"].errors.as_data()["file"]
        assert [error.code for error in errors] == [code]
    assert swedish(msgid) in _page_text(response)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", UPLOAD_ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_the_largest_allowed_file_is_read_with_bounded_work(uploader, indicator, endpoint):
    """As many rows as the import allows, in the right format: read once, row by row, within
    the size limits, and checked for the preview without a query per row (each import's own
    tests count the queries of its confirmation at two sizes)."""
    content = _workbook_bytes(endpoint, (endpoint.row(n) for n in range(endpoint.max_rows)))
    with recorded_read_costs() as costs, CaptureQueriesContext(connection) as queries:
        response = _upload(uploader, endpoint, indicator, content, "max.xlsx")
    assert response.status_code == 200, response.content.decode()[:1000]
    [cost] = costs
    _assert_bounded(cost)
    assert cost.opened
    assert cost.rows == 1 + endpoint.max_rows  # the header and each data row, nothing more
    # A query (or a save with its history) per row would make this thousands.
    assert len(queries) < 60, len(queries)


@pytest.mark.django_db
def test_formula_like_text_is_stored_as_plain_text(uploader, indicator):
    """Text that looks like a formula is kept as typed; a real formula is not evaluated."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = measurement_import.DATA_SHEET
    sheet.append(list(measurement_import.HEADERS))
    texts = ['=HYPERLINK("http://example.invalid/","klicka")', "@SUM(A1:A2)", "+1+1"]
    for number, text in enumerate(texts):
        sheet.append([f"2024-0{number + 1}-01", "3,5", None])
        cell = sheet.cell(row=number + 2, column=3, value=text)
        cell.data_type = "s"  # typed as text, as after a paste from another program
    sheet.append(["2024-06-01", "3,6", "=1+1"])  # a real formula, without a cached value
    buffer = io.BytesIO()
    workbook.save(buffer)
    endpoint = UPLOAD_ENDPOINTS[1]

    preview = _upload(uploader, endpoint, indicator, buffer.getvalue(), "text.xlsx")
    assert preview.status_code == 200, preview.content.decode()[:1000]
    response = uploader.post(preview.context["confirm_url"])

    assert response.status_code == 302
    comments = list(Measurement.objects.order_by("date").values_list("comment", flat=True))
    assert comments == [*texts, ""]


@pytest.mark.django_db
def test_formula_like_text_in_an_interview_import_is_stored_as_typed(uploader, indicator):
    endpoint = UPLOAD_ENDPOINTS[0]
    notes, quote = '=HYPERLINK("http://example.invalid/","klicka")', "@SUM(A1:A2)"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = endpoint.sheet
    sheet.append(list(endpoint.headers))
    sheet.append(endpoint.row(1))
    for header, text in ((interview_import.NOTES, notes), (interview_import.QUOTE, quote)):
        cell = sheet.cell(row=2, column=endpoint.headers.index(header) + 1, value=text)
        cell.data_type = "s"  # typed as text
    buffer = io.BytesIO()
    workbook.save(buffer)

    preview = _upload(uploader, endpoint, indicator, buffer.getvalue(), "text.xlsx")
    assert preview.status_code == 200, preview.content.decode()[:1000]
    confirmed = uploader.post(preview.context["confirm_url"])

    assert confirmed.status_code == 302
    assert list(Interview.objects.values_list("notes", flat=True)) == [notes]
    assert list(Finding.objects.values_list("quote", flat=True)) == [quote]
