"""Workbooks whose data sheet is written as raw XML, for the upload-cost attacks (issue 11).

openpyxl would take seconds to write 300,000 rows and never writes a lying dimension; these
builders take a real workbook with just the header row and swap its sheet part for XML written
here, so a test can build any shape of sheet in a fraction of a second.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

SHEET_PART = "xl/worksheets/sheet1.xml"
_NAMESPACE = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _header_workbook(sheet: str) -> zipfile.ZipFile:
    workbook = Workbook(write_only=True)
    workbook.create_sheet(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def text_cell(column: int, row: int, text: str) -> bytes:
    reference = f"{get_column_letter(column)}{row}".encode()
    return b'<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (
        reference,
        escape(text).encode(),
    )


def header_row(headers: Sequence[str]) -> bytes:
    cells = b"".join(text_cell(index + 1, 1, header) for index, header in enumerate(headers))
    return b'<row r="1">%s</row>' % cells


def blank_rows(first: int, count: int) -> bytes:
    """`count` rows from row `first` on, each with one space in column A (as in the attack)."""
    return b"".join(
        b'<row r="%d">%s</row>' % (row, text_cell(1, row, " "))
        for row in range(first, first + count)
    )


def far_cell_row() -> bytes:
    """One cell at the very last cell of a sheet, XFD1048576."""
    return b'<row r="1048576">%s</row>' % text_cell(16384, 1048576, "x")


def raw_sheet_workbook(
    sheet: str,
    headers: Sequence[str],
    rows: bytes | Iterable[bytes] = b"",
    *,
    dimension: str | None = None,
    replace: dict[str, bytes] | None = None,
) -> bytes:
    """A workbook whose sheet `sheet` holds the header row, then `rows` (raw <row> XML).

    `dimension` is written as the sheet's <dimension ref>, true or not (None: no dimension, as
    openpyxl's write-only mode and many scripts write it). `replace` swaps other parts.
    """
    body = rows if isinstance(rows, bytes) else b"".join(rows)
    dimension_xml = b'<dimension ref="%s"/>' % dimension.encode() if dimension else b""
    sheet_xml = b"<worksheet %s>%s<sheetData>%s%s</sheetData></worksheet>" % (
        _NAMESPACE,
        dimension_xml,
        header_row(headers),
        body,
    )
    parts = {SHEET_PART: sheet_xml, **(replace or {})}
    source = _header_workbook(sheet)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            archive.writestr(entry.filename, parts.pop(entry.filename, None) or source.read(entry))
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def part_of(content: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(content)).read(name)
