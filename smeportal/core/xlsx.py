"""Excel (.xlsx) files the portal hands out: exports, reports and import templates.

Everything goes through openpyxl's write-only workbook, one fresh `WriteOnlyCell` per value, so
that no style leaks from one cell to the next and memory stays flat for large exports.

Text is always written so that Excel shows it and never runs it ("CSV/formula injection"): a
value that starts with a character Excel reads as the start of a formula becomes a string cell
with the quote-prefix style, exactly as if the user had typed an apostrophe before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# "=", "+", "-", "@" start a formula in Excel; a leading tab or carriage return is used to hide
# one from a naive check, so those are treated the same way (OWASP's list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Control characters that are not allowed in a worksheet's XML; openpyxl raises on them.
_ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_MAX_CELL_TEXT = 32_767

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="DDE6EE", end_color="DDE6EE")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="1F5F8B"))
_HEADER_ALIGNMENT = Alignment(vertical="top", wrap_text=True)
_DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header text and its width in Excel's character units."""

    header: str
    width: float = 16


@dataclass
class Sheet:
    """A sheet to write: a styled header row, then the rows (any iterable, e.g. a generator)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]] = field(default_factory=list)


def is_formula_like(value: str) -> bool:
    """True when Excel would read the text as a formula (or a formula in disguise)."""
    return value.startswith(FORMULA_PREFIXES)


def clean_text(value: str) -> str:
    """Text as it can be stored in a cell: no illegal control characters, at most 32,767."""
    return _ILLEGAL_CHARACTERS.sub("", value)[:_MAX_CELL_TEXT]


def formula_safe(worksheet, value: Any) -> Cell:
    """A write-only cell holding `value`; text is never interpreted as a formula.

    Dates get an ISO date format; numbers and booleans are written as they are.
    """
    if isinstance(value, str):
        text = clean_text(value)
        cell = WriteOnlyCell(worksheet, text)
        if is_formula_like(text):
            # openpyxl would otherwise store "=..." as a formula; a string cell is shown as text.
            cell.data_type = "s"
            cell.quotePrefix = True
        return cell
    cell = WriteOnlyCell(worksheet, value)
    if isinstance(value, date) and not isinstance(value, datetime):
        cell.number_format = _DATE_FORMAT
    return cell


def set_formula_safe(cell: Cell, value: Any) -> None:
    """The same rule for a cell of an ordinary (not write-only) worksheet."""
    if isinstance(value, str):
        value = clean_text(value)
        cell.value = value
        if is_formula_like(value):
            cell.data_type = "s"
            cell.quotePrefix = True
        return
    cell.value = value


def header_cell(worksheet, text: str) -> Cell:
    cell = formula_safe(worksheet, text)
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    cell.border = _HEADER_BORDER
    cell.alignment = _HEADER_ALIGNMENT
    return cell


def write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    """Add a sheet: bold header row frozen at the top, set column widths, then the rows."""
    worksheet = workbook.create_sheet(title=sheet.title[:31])
    # Widths and panes must be set before the first row of a write-only sheet.
    for index, column in enumerate(sheet.columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    worksheet.freeze_panes = "A2"
    worksheet.append([header_cell(worksheet, column.header) for column in sheet.columns])
    for row in sheet.rows:
        worksheet.append([formula_safe(worksheet, value) for value in row])


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def workbook_bytes(workbook: Workbook) -> bytes:
    """The saved file. A write-only workbook can be saved only once."""
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheets_workbook(sheets: Iterable[Sheet]) -> bytes:
    """A whole workbook of formula-safe sheets, as the bytes of an .xlsx file."""
    workbook = new_workbook()
    for sheet in sheets:
        write_sheet(workbook, sheet)
    return workbook_bytes(workbook)
