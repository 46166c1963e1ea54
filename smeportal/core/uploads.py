"""Safety checks on an uploaded Excel file, run before any parser opens it.

An .xlsx file is a zip archive of XML parts. The checks only read the file's first bytes and the
zip's central directory, so a hostile file (a renamed CSV or PDF, an encrypted or old-format
workbook, a macro-enabled workbook, or a "zip bomb" that expands to gigabytes) is refused
before openpyxl decompresses anything. The sizes declared in the central directory are
binding: Python's zipfile never inflates an entry beyond its declared size (it fails the CRC
check instead), so checking the declared sizes bounds the work done later.

read_data_rows then reads an import's data sheet the same way for every import: the rows as
{header: raw value}, with one Swedish message for each way the file as a whole can be unusable.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
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


def _is_blank(value: Any) -> bool:
    return value is None or not str(value).strip()


def _unreadable() -> ValidationError:
    return ValidationError(_("The file could not be read as an Excel workbook."), code="unreadable")


def read_data_rows(
    uploaded_file,
    *,
    sheet_name: str,
    header_positions: Callable[[tuple], tuple[dict[str, int], list[str]]],
    max_rows: int,
) -> tuple[str, DataRows]:
    """The sheet's title and its data rows as (row number, {header: raw value}).

    Reads the sheet `sheet_name` (or the first one). `header_positions` maps the first row to
    ({header: column index}, [missing headers]). Blank rows are skipped. Raises ValidationError
    for the file as a whole: unreadable, empty, missing columns, no data or over `max_rows` rows.
    """
    try:
        workbook = load_workbook(uploaded_file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors on a broken file
        raise _unreadable() from error
    try:
        if sheet_name in workbook.sheetnames:
            worksheet = workbook[sheet_name]
        else:
            worksheet = workbook.worksheets[0]
        title = worksheet.title
        # Some programs write a wrong "used range"; read what is really there.
        worksheet.reset_dimensions()
        rows = worksheet.iter_rows(values_only=True)
        header_row = next(rows, None)
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
        data: DataRows = []
        for number, row in enumerate(rows, start=2):
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
