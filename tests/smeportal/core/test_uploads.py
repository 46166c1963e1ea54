"""The safety checks on uploaded .xlsx files, with real files built in the tests."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from smeportal.core.uploads import (
    MAX_COLUMNS,
    OLE_SIGNATURE,
    STRUCTURE_TAGS,
    check_xlsx_upload,
    read_cost_limits,
    read_data_rows,
    recorded_read_costs,
)
from tests.xlsx_builders import blank_rows, far_cell_row, part_of, raw_sheet_workbook, text_cell

FIVE_MB = 5 * 1024 * 1024


def real_xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Intervju-ref", "Företagsnamn"])
    workbook.active.append(["1", "Exempelbolaget AB"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezipped(extra: dict[str, bytes], content_types: bytes | None = None) -> bytes:
    """A real workbook with parts added or its content types replaced."""
    source = zipfile.ZipFile(io.BytesIO(real_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml" and content_types is not None:
                data = content_types
            target.writestr(info, data)
        for name, data in extra.items():
            target.writestr(name, data)
    return buffer.getvalue()


def error_code(content: bytes, name: str = "intervjuer.xlsx", **limits) -> str | None:
    upload = SimpleUploadedFile(name, content)
    try:
        check_xlsx_upload(upload, max_bytes=limits.pop("max_bytes", FIVE_MB), **limits)
    except ValidationError as error:
        assert error.messages and error.messages[0]
        return error.code
    return None


def test_a_real_workbook_passes_and_is_left_at_its_start():
    upload = SimpleUploadedFile("Intervjuer.XLSX", real_xlsx())
    check_xlsx_upload(upload, max_bytes=FIVE_MB)
    assert upload.tell() == 0
    assert upload.read(4) == b"PK\x03\x04"


def test_a_name_not_ending_in_xlsx_is_refused():
    assert error_code(real_xlsx(), name="intervjuer.xls") == "extension"
    assert error_code(real_xlsx(), name="intervjuer.xlsm") == "extension"
    assert error_code(b"a;b\n1;2\n", name="intervjuer.csv") == "extension"


@pytest.mark.parametrize(
    "content",
    [
        b"Intervju-ref;Organisationsnummer\n1;556036-0793\n",  # a CSV renamed .xlsx
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n",  # a PDF renamed .xlsx
        b"PK\x03\x04 but not really a zip archive at all",
    ],
    ids=["csv", "pdf", "broken-zip"],
)
def test_a_file_that_is_not_an_ooxml_zip_is_refused(content):
    assert error_code(content) == "not_xlsx"


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hej")
    assert error_code(buffer.getvalue()) == "not_xlsx"


def test_an_encrypted_or_old_format_file_is_refused():
    assert error_code(OLE_SIGNATURE + b"\x00" * 504) == "encrypted"


def test_a_workbook_with_a_vba_project_is_refused():
    assert error_code(rezipped({"xl/vbaProject.bin": b"\x00macro"})) == "macro"


def test_a_macro_enabled_content_type_is_refused():
    content_types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
        b'vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'
    )
    assert error_code(rezipped({}, content_types=content_types)) == "macro"


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    # 60 MB of zeros compresses to about 60 kB: small upload, huge when unpacked.
    bomb = rezipped({"xl/media/padding.bin": b"\x00" * (60 * 1024 * 1024)})
    assert len(bomb) < FIVE_MB
    assert error_code(bomb) == "zip_bomb"


def test_an_extreme_compression_ratio_is_refused_even_when_small_in_total():
    # 20 MB is below the 50 MB limit, but compresses more than a thousandfold.
    assert error_code(rezipped({"xl/media/padding.bin": b"\x00" * (20 * 1024 * 1024)})) == (
        "zip_bomb"
    )


def test_a_file_over_the_size_limit_is_refused():
    too_big = real_xlsx() + b"\x00" * (FIVE_MB + 1)
    assert error_code(too_big) == "too_large"
    assert error_code(real_xlsx(), max_bytes=100) == "too_large"


def test_an_empty_file_is_refused():
    assert error_code(b"") == "empty"


# --- What reading an import's data sheet costs (issue 11) --------------------------------------
# Every test asserts the work done (rows and cells taken from openpyxl, tags counted, whether
# openpyxl opened the file at all), never seconds.

SHEET = "Mätningar"
HEADERS = ("Datum", "Värde", "Kommentar")
MAX_ROWS = 5
ROW_LIMIT = read_cost_limits(MAX_ROWS).row_limit  # header + 5 data rows + the blank-row budget


def _positions(header_row: tuple) -> tuple[dict[str, int], list[str]]:
    found = {cell: index for index, cell in enumerate(header_row) if cell in HEADERS}
    return found, [header for header in HEADERS if header not in found]


def _data_row(row: int) -> bytes:
    cells = (text_cell(1, row, "2024-06-01"), text_cell(2, row, "3,4"), text_cell(3, row, "x"))
    return b'<row r="%d">%s</row>' % (row, b"".join(cells))


def _read(content: bytes, max_rows: int = MAX_ROWS):
    """(data rows or None, error code or None, the read's cost)."""
    with recorded_read_costs() as costs:
        try:
            _title, rows = read_data_rows(
                io.BytesIO(content),
                sheet_name=SHEET,
                header_positions=_positions,
                max_rows=max_rows,
            )
            error = None
        except ValidationError as refusal:
            rows, error = None, refusal.code
    [cost] = costs
    return rows, error, cost


def _sheet(rows: bytes = b"", **options) -> bytes:
    return raw_sheet_workbook(SHEET, HEADERS, rows, **options)


def test_blank_rows_within_the_budget_are_walked_past_and_the_rows_read_are_counted():
    # Data on rows 2 and 3, blank rows down to the limit, and data on the last row allowed.
    rows = _data_row(2) + _data_row(3) + blank_rows(4, ROW_LIMIT - 4) + _data_row(ROW_LIMIT)
    data, error, cost = _read(_sheet(rows))
    assert error is None
    assert [number for number, _values in data] == [2, 3, ROW_LIMIT]
    assert cost.rows == ROW_LIMIT  # the header, then every row down to the limit
    assert cost.cells == MAX_COLUMNS + 3 * (ROW_LIMIT - 1)


def test_one_row_past_the_blank_row_budget_is_refused_after_reading_one_row_more():
    rows = _data_row(2) + blank_rows(3, ROW_LIMIT - 2) + _data_row(ROW_LIMIT + 1)
    data, error, cost = _read(_sheet(rows))
    assert (data, error) == (None, "sheet_too_long")
    assert cost.rows == ROW_LIMIT + 1


def test_a_dimension_smaller_than_the_sheet_is_not_trusted():
    rows = b"".join(_data_row(row) for row in range(2, 6))
    data, error, _cost = _read(_sheet(rows, dimension="A1:C2"))
    assert error is None
    assert len(data) == 4


def test_a_dimension_beyond_the_row_limit_is_refused_before_a_row_is_read():
    content = _sheet(_data_row(2) + far_cell_row(), dimension="A1:XFD1048576")
    assert len(content) < 8 * 1024
    data, error, cost = _read(content)
    assert (data, error) == (None, "sheet_too_long")
    assert cost.opened
    assert (cost.rows, cost.cells) == (0, 0)


def test_a_far_cell_without_a_dimension_is_walked_to_the_row_limit_only_and_never_to_xfd():
    data, error, cost = _read(_sheet(_data_row(2) + far_cell_row()))
    assert (data, error) == (None, "sheet_too_long")
    assert cost.rows == ROW_LIMIT + 1  # not 1,048,576
    # The header row is read MAX_COLUMNS wide, data rows only as wide as the columns used.
    assert cost.cells == MAX_COLUMNS + 3 * ROW_LIMIT


def test_300000_rows_of_one_space_are_refused_before_openpyxl_opens_the_file():
    body = blank_rows(2, 300_000)
    content = _sheet(body)
    assert len(content) < 2 * 1024 * 1024  # a 1.5 MB upload
    data, error, cost = _read(content, max_rows=1_000)
    assert (data, error) == (None, "xml_too_large")
    assert not cost.opened
    assert cost.rows == 0
    # The count stopped at the first chunk over the limit instead of unpacking everything.
    assert cost.xml_bytes < len(body) // 2


def test_a_lying_dimension_on_300000_rows_is_refused_before_openpyxl_opens_the_file():
    data, error, cost = _read(_sheet(blank_rows(2, 300_000), dimension="A1:C10"), max_rows=1_000)
    assert (data, error) == (None, "xml_too_large")
    assert not cost.opened


def test_a_workbook_with_a_great_many_cell_styles_is_refused_before_openpyxl_parses_them():
    styles = part_of(_sheet(), "xl/styles.xml")
    many = b"".join(
        b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0"/>' % (number % 50)
        for number in range(STRUCTURE_TAGS)
    )
    bloated = re.sub(rb"<cellXfs count=\"\d+\">", b'<cellXfs count="%d">' % STRUCTURE_TAGS, styles)
    bloated = bloated.replace(b"</cellXfs>", many + b"</cellXfs>", 1)
    assert bloated != styles
    data, error, cost = _read(_sheet(_data_row(2), replace={"xl/styles.xml": bloated}))
    assert (data, error) == (None, "xml_too_large")
    assert cost.structure_tags > cost.max_structure_tags
    assert not cost.opened


def test_a_header_beyond_the_column_limit_is_not_looked_for():
    headers = (*HEADERS[:2], *[""] * (MAX_COLUMNS - 2), HEADERS[2])
    content = raw_sheet_workbook(SHEET, headers, _data_row(2))
    data, error, cost = _read(content)
    assert (data, error) == (None, "headers")
    assert (cost.rows, cost.cells) == (1, MAX_COLUMNS)


def test_a_full_file_reads_exactly_its_rows():
    data, error, cost = _read(_sheet(b"".join(_data_row(row) for row in range(2, 7))))
    assert error is None
    assert len(data) == MAX_ROWS
    assert cost.rows == 1 + MAX_ROWS
    assert cost.opened and cost.xml_tags <= cost.max_xml_tags
