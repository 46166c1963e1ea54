"""Safety checks on an uploaded Excel file, run before any parser opens it.

An .xlsx file is a zip archive of XML parts. The checks only read the file's first bytes and the
zip's central directory, so a hostile file (a renamed CSV or PDF, an encrypted or old-format
workbook, a macro-enabled workbook, or a "zip bomb" that expands to gigabytes) is refused
before openpyxl decompresses anything. The sizes declared in the central directory are
binding: Python's zipfile never inflates an entry beyond its declared size (it fails the CRC
check instead), so checking the declared sizes bounds the work done later.

read_data_rows then reads an import's data sheet the same way for every import: the rows as
{header: raw value}, with one message (in the interface language) for each way the file as a
whole can be unusable.
Its work is bounded by the import's row limit whatever the file holds (issue 11): before
openpyxl parses anything, every part's uncompressed size and the number of XML tags in the whole
archive are checked against what that many rows can need; the sheet's declared dimension is
checked before the first row is read; and the rows are read with openpyxl's read-only reader up
to the row limit plus a small budget of blank rows, and never further right than the columns
the import uses. A 1.5 MB file of 300,000 blank rows or one cell at XFD1048576 is refused at
once instead of being walked row by row. `recorded_read_costs` shows what each read cost.
"""

from __future__ import annotations

import dataclasses
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 1_000

# Encrypted (password-protected) workbooks and old .xls files are OLE compound files.
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"
_CONTENT_TYPES = "[Content_Types].xml"
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024


def _size_of(uploaded_file) -> int:
    size = getattr(uploaded_file, "size", None)
    if size is not None:
        return size
    position = uploaded_file.tell()
    uploaded_file.seek(0, 2)
    size = uploaded_file.tell()
    uploaded_file.seek(position)
    return size


def _not_an_excel_file() -> ValidationError:
    return ValidationError(
        _(
            "The file is not an Excel workbook (.xlsx). Save it from Excel as “Excel Workbook "
            "(*.xlsx)” and try again."
        ),
        code="not_xlsx",
    )


def check_xlsx_upload(
    uploaded_file,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_ratio: float = MAX_COMPRESSION_RATIO,
) -> None:
    """Raise ValidationError (a Swedish message) unless the upload is a plain, sane .xlsx file.

    Leaves the file positioned at its start for the parser.
    """
    name = str(getattr(uploaded_file, "name", "") or "")
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(_("Choose an Excel file whose name ends in .xlsx."), code="extension")
    size = _size_of(uploaded_file)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s MB; at most %(max)s MB can be uploaded."),
            code="too_large",
            params={"size": f"{size / 1024 / 1024:.1f}", "max": f"{max_bytes / 1024 / 1024:g}"},
        )

    uploaded_file.seek(0)
    signature = uploaded_file.read(8)
    uploaded_file.seek(0)
    if signature == OLE_SIGNATURE:
        raise ValidationError(
            _(
                "The file is password-protected or in the old Excel format (.xls). Remove the "
                "password or save it as “Excel Workbook (*.xlsx)” and try again."
            ),
            code="encrypted",
        )
    if not signature.startswith(ZIP_SIGNATURE):
        raise _not_an_excel_file()

    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            _check_archive(archive, max_uncompressed_bytes, max_ratio)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as error:
        raise _not_an_excel_file() from error
    finally:
        uploaded_file.seek(0)


def _check_archive(archive: zipfile.ZipFile, max_uncompressed_bytes: int, max_ratio: float) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _too_large_when_unpacked()
    uncompressed = sum(entry.file_size for entry in entries)
    compressed = max(sum(entry.compress_size for entry in entries), 1)
    if uncompressed > max_uncompressed_bytes or uncompressed / compressed > max_ratio:
        raise _too_large_when_unpacked()
    for entry in entries:
        # One hugely compressed part hidden among ordinary ones is refused as well.
        if entry.file_size > 1024 * 1024 and entry.file_size / max(entry.compress_size, 1) > (
            max_ratio
        ):
            raise _too_large_when_unpacked()

    names = {entry.filename for entry in entries}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _macro_enabled()
    if _CONTENT_TYPES not in names or "xl/workbook.xml" not in names:
        raise _not_an_excel_file()
    content_types = archive.getinfo(_CONTENT_TYPES)
    if content_types.file_size > _MAX_CONTENT_TYPES_BYTES:
        raise _not_an_excel_file()
    if b"macroenabled" in archive.read(content_types).lower():
        raise _macro_enabled()


def _too_large_when_unpacked() -> ValidationError:
    return ValidationError(
        _(
            "The file expands to an unreasonable size when unpacked and cannot be read. Copy the "
            "data into a new workbook made from the template and try again."
        ),
        code="zip_bomb",
    )


def _macro_enabled() -> ValidationError:
    return ValidationError(
        _(
            "The file contains macros. Save it as “Excel Workbook (*.xlsx)” without macros and "
            "try again."
        ),
        code="macro",
    )


# --- Reading the data sheet of an import (after check_xlsx_upload) -----------------------------

DataRows = list[tuple[int, dict[str, Any]]]

# Empty rows the reader walks past (between and below the data) on top of the import's row limit.
# A template formatted a little further down than it is filled in still reads; a sheet that goes
# on further is refused rather than walked (its declared dimension usually says so at once).
BLANK_ROW_BUDGET = 1_000
# Columns looked at: the widest template has 24. A header further right is not found, and a row
# is never padded out to a stray cell at column XFD.
MAX_COLUMNS = 50
# Uncompressed bytes each part of the archive may hold per row the reader may read: room for
# long texts written inline in the sheet (as openpyxl and pandas write them).
XML_BYTES_PER_ROW = 4 * 1024
# Tags ("<") the sheets, shared strings and other parts may hold per row the reader may read: a
# row of 20 cells of inline text has about 120, in Excel's shared-string form about 80. The
# parse time of openpyxl grows with the number of elements, whichever part holds them (a sheet
# without a dimension is parsed whole when the workbook is opened, shared strings always are).
XML_TAGS_PER_ROW = 128
# ...plus room for parts such as the theme, drawings and comments.
XML_TAGS_BASE = 20_000
# The parts openpyxl turns into objects at a far higher cost per element (about 30 µs for a cell
# style): the package's content types and relationships, the workbook, the styles and the
# document properties. A workbook needs a few hundred tags there; a bloated one has thousands.
STRUCTURE_TAGS = 20_000
_STRUCTURE_PARTS = frozenset({"[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml"})
_SCAN_CHUNK = 1024 * 1024


def _is_structure_part(name: str) -> bool:
    return name in _STRUCTURE_PARTS or name.endswith(".rels") or name.startswith("docProps/")


@dataclass
class ReadCost:
    """What one read of an import's data sheet looked at; each figure is bounded by its limit.

    `row_limit` is the last spreadsheet row the reader may look at (the header is row 1);
    `rows` counts the rows taken from openpyxl (header, data and blank rows, and the rows it
    fills in for gaps) and `cells` the values in them. `xml_bytes`, `xml_tags` and
    `structure_tags` are what the size check unpacked and counted before openpyxl was allowed
    to open the file (`opened`).
    """

    row_limit: int
    max_part_bytes: int
    max_xml_tags: int
    max_structure_tags: int = STRUCTURE_TAGS
    column_limit: int = MAX_COLUMNS
    xml_bytes: int = 0
    xml_tags: int = 0
    structure_tags: int = 0
    opened: bool = False
    rows: int = 0
    cells: int = 0


_recorded_costs: ContextVar[list[ReadCost] | None] = ContextVar("recorded_read_costs", default=None)


@contextmanager
def recorded_read_costs() -> Iterator[list[ReadCost]]:
    """Collect the ReadCost of every read_data_rows call in this context (tests, benchmarks)."""
    costs: list[ReadCost] = []
    token = _recorded_costs.set(costs)
    try:
        yield costs
    finally:
        _recorded_costs.reset(token)


def read_cost_limits(max_rows: int) -> ReadCost:
    """The limits of a read of at most `max_rows` data rows (nothing read yet)."""
    row_limit = 1 + max_rows + BLANK_ROW_BUDGET
    return ReadCost(
        row_limit=row_limit,
        max_part_bytes=row_limit * XML_BYTES_PER_ROW,
        max_xml_tags=XML_TAGS_BASE + row_limit * XML_TAGS_PER_ROW,
    )


def _is_blank(value: Any) -> bool:
    return value is None or not str(value).strip()


def _unreadable() -> ValidationError:
    return ValidationError(_("The file could not be read as an Excel workbook."), code="unreadable")


def _too_much_xml(max_rows: int) -> ValidationError:
    return ValidationError(
        _(
            "The workbook holds far more than an import of at most %(max)s data rows can need "
            "(for example many empty rows, other large sheets or a great many cell styles). "
            "Split the file, or copy the data into a new workbook made from the template, and "
            "try again."
        ),
        code="xml_too_large",
        params={"max": max_rows},
    )


def _sheet_too_long(sheet: str, cost: ReadCost, max_rows: int) -> ValidationError:
    return ValidationError(
        _(
            "The sheet “%(sheet)s” goes on below row %(row)s (empty rows included), but at most "
            "%(max)s data rows can be imported. Delete the empty rows below the data, or split "
            "the file, and try again."
        ),
        code="sheet_too_long",
        params={"sheet": sheet, "row": cost.row_limit, "max": max_rows},
    )


def _check_xml_size(uploaded_file, cost: ReadCost, max_rows: int) -> None:
    """Refuse an archive with more XML than `cost`'s row limit can need, before openpyxl runs.

    The declared sizes come from the central directory; the tags are counted by unpacking each
    part in chunks (C speed, no XML parsing), stopping as soon as the count is over the limit.
    """
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            entries = archive.infolist()
            if any(entry.file_size > cost.max_part_bytes for entry in entries):
                raise _too_much_xml(max_rows)
            for entry in entries:
                structure = _is_structure_part(entry.filename)
                with archive.open(entry) as part:
                    while chunk := part.read(_SCAN_CHUNK):
                        cost.xml_bytes += len(chunk)
                        if structure:
                            cost.structure_tags += chunk.count(b"<")
                        else:
                            cost.xml_tags += chunk.count(b"<")
                        if (
                            cost.xml_tags > cost.max_xml_tags
                            or cost.structure_tags > cost.max_structure_tags
                        ):
                            raise _too_much_xml(max_rows)
    except ValidationError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        ValueError,
        RuntimeError,  # an encrypted part
        NotImplementedError,  # an unsupported compression method
        zlib.error,
        OSError,
    ) as error:
        raise _unreadable() from error
    finally:
        uploaded_file.seek(0)


def _counted_rows(worksheet, cost: ReadCost, **bounds) -> Iterator[tuple]:
    for row in worksheet.iter_rows(values_only=True, **bounds):
        cost.rows += 1
        cost.cells += len(row)
        yield row


def _data_sheet(workbook, sheet_name: str | Sequence[str]):
    """The sheet named `sheet_name` (or the first of the names found), else the first sheet."""
    names = (sheet_name,) if isinstance(sheet_name, str) else tuple(sheet_name)
    for name in names:
        if name in workbook.sheetnames:
            return workbook[name]
    return workbook.worksheets[0]


def read_data_rows(
    uploaded_file,
    *,
    sheet_name: str | Sequence[str],
    header_positions: Callable[[tuple], tuple[dict[str, int], list[str]]],
    max_rows: int,
) -> tuple[str, DataRows]:
    """The sheet's title and its data rows as (row number, {header: raw value}).

    Reads the sheet `sheet_name` (one of the names, e.g. the Swedish and the English, or else
    the first sheet). `header_positions` maps the first row to
    ({header: column index}, [missing headers]). Blank rows are skipped. Raises ValidationError
    for the file as a whole: unreadable, too large for the row limit, empty, missing columns,
    no data or over `max_rows` rows. The work done is bounded by `max_rows` (see ReadCost).
    """
    cost = read_cost_limits(max_rows)
    recorded = _recorded_costs.get()
    if recorded is not None:
        recorded.append(cost)
    _check_xml_size(uploaded_file, cost, max_rows)
    try:
        # External links hold cached copies of other workbooks; the import never needs them.
        workbook = load_workbook(uploaded_file, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds of errors on a broken file
        raise _unreadable() from error
    cost.opened = True
    try:
        worksheet = _data_sheet(workbook, sheet_name)
        title = worksheet.title
        # The <dimension> openpyxl read from the top of the sheet; None when the sheet has none.
        declared_rows = worksheet.max_row
        if declared_rows is not None and declared_rows > cost.row_limit:
            raise _sheet_too_long(title, cost, max_rows)
        # Some programs write a wrong (too small) dimension: read what is really there, within
        # the limits given to iter_rows, not within the dimension.
        worksheet.reset_dimensions()
        header_rows = _counted_rows(
            worksheet, cost, min_row=1, max_row=1, max_col=cost.column_limit
        )
        header_row = next(header_rows, None)
        header_rows.close()
        if header_row is None or all(_is_blank(cell) for cell in header_row):
            raise ValidationError(
                _("The sheet “%(sheet)s” is empty. Fill in the template and try again."),
                code="empty",
                params={"sheet": title},
            )
        positions, missing = header_positions(header_row)
        if missing:
            raise ValidationError(
                _(
                    "The sheet “%(sheet)s” lacks the columns: %(columns)s. Use the template; the "
                    "first row must hold the column headers."
                ),
                code="headers",
                params={"sheet": title, "columns": ", ".join(missing)},
            )
        width = max(positions.values(), default=0) + 1
        # One row past the limit is asked for, to learn whether the sheet goes on.
        rows = _counted_rows(worksheet, cost, min_row=2, max_row=cost.row_limit + 1, max_col=width)
        data: DataRows = []
        for number, row in enumerate(rows, start=2):
            if number > cost.row_limit:
                raise _sheet_too_long(title, cost, max_rows)
            values = {
                header: row[index] if index < len(row) else None
                for header, index in positions.items()
            }
            if all(_is_blank(value) for value in values.values()):
                continue
            if len(data) == max_rows:
                raise ValidationError(
                    _("The file has more than %(max)s data rows. Split it into smaller files."),
                    code="too_many_rows",
                    params={"max": max_rows},
                )
            data.append((number, values))
    except ValidationError:
        raise
    except Exception as error:  # a damaged sheet part surfaces only while reading
        raise _unreadable() from error
    finally:
        workbook.close()
    if not data:
        raise ValidationError(
            _("The sheet “%(sheet)s” has no data rows. Fill in the template and try again."),
            code="empty",
            params={"sheet": title},
        )
    return title, data


def formula_cells(
    uploaded_file,
    *,
    sheet_name: str | Sequence[str],
    header_positions: Callable[[tuple], tuple[dict[str, int], list[str]]],
    cells: set[tuple[int, str]],
) -> set[tuple[int, str]]:
    """Of the (row number, header) cells given, those that hold a formula.

    read_data_rows reads the values a spreadsheet program saved with its formulas; a file
    written by a script has formulas without saved values, which read as empty. An import
    that found a required cell empty asks here, so that it can say "this cell holds a formula"
    instead of "fill in this column". Reads the file again, formulas and not values, and only
    the rows asked about (an import's problems, a bounded number); a file it cannot read gives
    no cells.
    """
    if not cells:
        return set()
    rows = sorted({row for row, _header in cells})
    try:
        uploaded_file.seek(0)
        workbook = load_workbook(uploaded_file, read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds of errors on a broken file
        return set()
    try:
        worksheet = _data_sheet(workbook, sheet_name)
        worksheet.reset_dimensions()
        header_row = next(worksheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        positions, _missing = header_positions(header_row or ())
        width = max(positions.values(), default=0) + 1
        found: set[tuple[int, str]] = set()
        values = worksheet.iter_rows(
            min_row=rows[0], max_row=rows[-1], max_col=width, values_only=True
        )
        for number, row in enumerate(values, start=rows[0]):
            for header, index in positions.items():
                if (number, header) not in cells or index >= len(row):
                    continue
                value = row[index]
                if isinstance(value, str) and value.startswith("="):
                    found.add((number, header))
        return found
    except Exception:  # a damaged part surfaces only while reading
        return set()
    finally:
        workbook.close()


def name_formula_cells(
    problems: list,
    data: DataRows,
    uploaded_file,
    *,
    sheet_name: str | Sequence[str],
    header_positions: Callable[[tuple], tuple[dict[str, int], list[str]]],
) -> list:
    """The problems (each with .row, .column and .message) with those of a required cell found
    empty because it holds a formula without a saved value (a file written by a script) saying
    so, instead of asking to fill in the column. Only the problems' rows are read again."""
    raw = dict(data)
    empty = {
        (problem.row, problem.column)
        for problem in problems
        if problem.row in raw and raw[problem.row].get(problem.column) is None
    }
    formulas = formula_cells(
        uploaded_file, sheet_name=sheet_name, header_positions=header_positions, cells=empty
    )
    if not formulas:
        return problems
    message = _(
        "The cell holds a formula whose value was not saved with the file. Type the value "
        "itself, or open and save the file in Excel, which saves the values."
    )
    return [
        dataclasses.replace(problem, message=message)
        if (problem.row, problem.column) in formulas
        else problem
        for problem in problems
    ]
