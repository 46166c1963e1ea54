"""Excel (.xlsx) files the portal hands out: exports, reports and import templates.

Everything goes through openpyxl's write-only workbook, so memory stays flat for large exports:
rows go to a temporary file as they are appended (strings inline, no shared-strings table). A
value Excel reads as it is goes in plain (openpyxl reuses one cell for it, which is much faster
than a cell per value and starts a fresh one after any styled cell, so no style leaks); only a
value that needs a style or a type of its own gets a `WriteOnlyCell`. A sheet holds at most
EXCEL_MAX_ROWS rows: `SplitSheetWriter` goes on in a new sheet when one is full. A `Column` may
carry a number format and wrap its long texts: the writer then works out each column's style
once and gives the cells that need it a copy, instead of styling cell by cell.

Text is always written so that Excel shows it and never runs it ("CSV/formula injection"): a
value that starts with a character Excel reads as the start of a formula becomes a string cell
with the quote-prefix style, exactly as if the user had typed an apostrophe before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from copy import copy
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
# Excel's limit per sheet, the header row included (Excel 2007 and later; LibreOffice the same).
EXCEL_MAX_ROWS = 1_048_576

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="DDE6EE", end_color="DDE6EE")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="1F5F8B"))
_HEADER_ALIGNMENT = Alignment(vertical="top", wrap_text=True)
_DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header text and its width in Excel's character units.

    `number_format` (e.g. "0%") is given to its numbers and dates; with `wrap`, a text longer
    than the width wraps instead of being cut off.
    """

    header: str
    width: float = 16
    number_format: str | None = None
    wrap: bool = False


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


def cell_value(worksheet, value: Any) -> Any:
    """What to append for `value` in a write-only sheet, by the same rule as `formula_safe`.

    Plain text, numbers, booleans and dates go in as they are (openpyxl gives a date the same
    yyyy-mm-dd format); only text Excel would run as a formula becomes a quote-prefixed cell.
    """
    if isinstance(value, str):
        text = clean_text(value)
        return formula_safe(worksheet, text) if is_formula_like(text) else text
    return value


def formula_safe_row(worksheet, row: Iterable[Any]) -> list[Any]:
    """A row ready for `worksheet.append`, every value by the rule of `cell_value`."""
    return [cell_value(worksheet, value) for value in row]


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
    worksheet = start_sheet(workbook, sheet.title, sheet.columns)
    for row in sheet.rows:
        worksheet.append(formula_safe_row(worksheet, row))


SheetSetup = Callable[[Any], None]


def start_sheet(
    workbook: Workbook,
    title: str,
    columns: Sequence[Column],
    *,
    setup: SheetSetup | None = None,
):
    """A new write-only sheet with its column widths and its frozen, styled header row.

    `setup(worksheet)` may set what else must come before the first row (page setup, the
    header row's height).
    """
    worksheet = workbook.create_sheet(title=title[:31])
    # Widths and panes must be set before the first row of a write-only sheet.
    for index, column in enumerate(columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    worksheet.freeze_panes = "A2"
    if setup is not None:
        setup(worksheet)
    worksheet.append([header_cell(worksheet, column.header) for column in columns])
    return worksheet


_WRAP_ALIGNMENT = Alignment(wrap_text=True, vertical="top")


class _ColumnStyle:
    """A styled column's cells: the style worked out once, copied to each cell that needs it."""

    __slots__ = ("number_style", "wrap_style", "width", "plain_dates")

    def __init__(self, worksheet, column: Column):
        # A scratch cell registers the style with the workbook; its style is the template (the
        # workbook's style tables are shared by all its sheets).
        self.number_style = None
        self.wrap_style = None
        self.width = column.width
        # openpyxl gives a date this very format by itself.
        self.plain_dates = column.number_format in (None, _DATE_FORMAT)
        if column.number_format:
            cell = WriteOnlyCell(worksheet)
            cell.number_format = column.number_format
            self.number_style = copy(cell._style)
        if column.wrap:
            cell = WriteOnlyCell(worksheet)
            cell.alignment = _WRAP_ALIGNMENT
            self.wrap_style = copy(cell._style)

    def value(self, worksheet, value: Any) -> Any:
        """What to append for `value`: plain where Excel reads it as it is, else a cell."""
        if value is None:
            return None
        if isinstance(value, str):
            text = clean_text(value)
            formula = is_formula_like(text)
            wrap = self.wrap_style is not None and len(text) > self.width
            if not (formula or wrap):
                return text
            cell = WriteOnlyCell(worksheet, text)
            if wrap:
                cell._style = copy(self.wrap_style)
            if formula:
                cell.data_type = "s"
                cell.quotePrefix = True
            return cell
        if self.number_style is None or isinstance(value, bool):
            return value
        if self.plain_dates and isinstance(value, date) and not isinstance(value, datetime):
            return value
        cell = WriteOnlyCell(worksheet, value)
        cell._style = copy(self.number_style)
        return cell


class SplitSheetWriter:
    """Appends rows to a sheet and, when it is full, goes on in "Title 2", "Title 3", ...

    Each sheet gets the header row, so it holds at most `max_rows - 1` data rows (Excel's
    limit by default). The rows are not kept: memory does not grow with their number.
    """

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        columns: Sequence[Column],
        *,
        max_rows: int = EXCEL_MAX_ROWS,
        setup: SheetSetup | None = None,
    ):
        if max_rows < 2:
            raise ValueError("a sheet needs room for its header and one row")
        self.workbook = workbook
        self.title = title
        self.columns = columns
        self.setup = setup
        self._styled = any(column.number_format or column.wrap for column in columns)
        self._styles: list[_ColumnStyle] | None = None
        self.rows_per_sheet = max_rows - 1
        self.row_count = 0
        self.sheet_titles: list[str] = []
        self._worksheet = None
        self._room = 0

    def _next_sheet(self) -> None:
        number = len(self.sheet_titles) + 1
        suffix = f" {number}" if number > 1 else ""
        title = self.title[: 31 - len(suffix)] + suffix
        self._worksheet = start_sheet(self.workbook, title, self.columns, setup=self.setup)
        if self._styled and self._styles is None:
            self._styles = [_ColumnStyle(self._worksheet, column) for column in self.columns]
        self.sheet_titles.append(title)
        self._room = self.rows_per_sheet

    def start(self) -> None:
        """Create the first sheet, so that an export without rows still has its header."""
        if self._worksheet is None:
            self._next_sheet()

    def append(self, row: Iterable[Any]) -> None:
        if self._room == 0:
            self._next_sheet()
        worksheet = self._worksheet
        if self._styles is None:
            worksheet.append(formula_safe_row(worksheet, row))
        else:
            styles = self._styles
            worksheet.append(
                [
                    styles[index].value(worksheet, value)
                    if index < len(styles)
                    else cell_value(worksheet, value)
                    for index, value in enumerate(row)
                ]
            )
        self._room -= 1
        self.row_count += 1


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def discard_workbook(workbook: Workbook) -> None:
    """Close a write-only workbook that will not be saved (its writing failed) and remove its
    sheets' temporary files, which openpyxl would otherwise keep until the process ends (a
    worker runs for days), and whose unfinished writers would fail noisily when collected."""
    for worksheet in workbook.worksheets:
        writer = getattr(worksheet, "_writer", None)
        if writer is None:
            continue
        try:
            if not worksheet.closed:
                worksheet.close()
        except Exception:  # noqa: S110 - the sheet is thrown away; only its file matters
            pass
        try:
            writer.cleanup()
        except (OSError, ValueError):
            pass


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
