"""Import of one indicator's measurements from an Excel workbook, and its template.

Preview first, then commit, as the interview import: `parse_measurement_workbook` reads and
checks every row without writing anything and lists each problem by row and column. The rows of
a file without problems are kept for the uploading user (smeportal.core.stored_imports, scoped to
the indicator) while the preview is shown; the confirmation checks those stored rows again
(`check_measurement_rows`: a date may have been measured meanwhile) instead of parsing the
workbook a second time, and writes them through actionplan.services.measurements_import in one
transaction.

The template is handed out in Swedish or English and a file is read with either language's
headers (issue 13; smeportal.core.file_languages): sheet names and headers are the file's format,
kept in the per-language tables below. The rows read are keyed by the Swedish header.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from smeportal.core.dates import validate_past_date
from smeportal.core.file_languages import (
    ENGLISH,
    SWEDISH,
    FileHeaders,
    header_spellings,
    interface_language,
)
from smeportal.core.uploads import DataRows, name_formula_cells, read_data_rows
from smeportal.core.xlsx import Column, Sheet, sheets_workbook

from .models import Indicator, Measurement

DATA_SHEET = "Mätningar"
INSTRUCTIONS_SHEET = "Instruktioner"
DATA_SHEETS = {SWEDISH: DATA_SHEET, ENGLISH: "Measurements"}
INSTRUCTIONS_SHEETS = {SWEDISH: INSTRUCTIONS_SHEET, ENGLISH: "Instructions"}
TEMPLATE_FILE_NAMES = {
    SWEDISH: "matningar-importmall.xlsx",
    ENGLISH: "measurements-import-template.xlsx",
}
# The Swedish header is also the column's key.
DATE = "Datum"
VALUE = "Värde"
COMMENT = "Kommentar"
COLUMNS = (Column(DATE, 14), Column(VALUE, 12), Column(COMMENT, 60))
HEADERS = tuple(column.header for column in COLUMNS)
HEADERS_BY_LANGUAGE: dict[str, dict[str, str]] = {
    SWEDISH: {header: header for header in HEADERS},
    ENGLISH: {DATE: "Date", VALUE: "Value", COMMENT: "Comment"},
}
REQUIRED_HEADERS = (DATE, VALUE)
# The rows are checked in memory and saved in bulk with their history (issue 11), so the limit
# keeps a file to what a person can check on the page, not what the server can bear.
MAX_DATA_ROWS = 1_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024

# The model stores 12 digits, two of them decimals.
_DECIMAL_PLACES = 2
_INTEGER_DIGITS = 10
_TOO_LARGE = Decimal(10) ** _INTEGER_DIGITS
_MAX_COMMENT = Measurement._meta.get_field("comment").max_length
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


@dataclass(frozen=True)
class ImportProblem:
    """A problem in one cell: the spreadsheet row (the header is row 1) and column.

    `column` is the column's key (its Swedish header); `heading` is its name as shown to the
    user: as the uploaded file writes it, or in the interface language for stored rows.
    """

    row: int
    column: str
    message: str
    heading: str = ""


@dataclass
class ParsedMeasurements:
    """The checked rows (date, value, comment), or the problems; and the rows as read from the
    file, which are what the preview keeps for the confirmation."""

    rows: list[tuple[date, Decimal, str]] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    source_rows: DataRows = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def first_date(self) -> date | None:
        return min((row[0] for row in self.rows), default=None)

    @property
    def latest(self) -> tuple[date, Decimal] | None:
        """The date and value of the file's latest measurement."""
        if not self.rows:
            return None
        on, value, _comment = max(self.rows, key=lambda row: row[0])
        return on, value


def stored_scope(indicator: Indicator) -> str:
    """What a stored upload of this import is for: one indicator's measurements."""
    return f"measurements:{indicator.pk}"


class _CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _key(text: Any) -> str:
    """Lenient header comparison: case, accents and spacing do not matter."""
    text = unicodedata.normalize("NFKD", "" if text is None else str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(text.split())


def _is_blank(value: Any) -> bool:
    """Whether _text(value) is empty, without building the text."""
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value: Any, *, today: date | None = None) -> date:
    if isinstance(value, datetime):
        parsed = value.date()
    elif isinstance(value, date):
        parsed = value
    else:
        text = _text(value)
        try:
            if not _ISO_DATE.match(text):
                raise ValueError(text)
            parsed = date.fromisoformat(text)
        except ValueError:
            raise _CellError(
                _("“%(value)s” is not a date. Write it as YYYY-MM-DD, e.g. 2025-03-14.")
                % {"value": text}
            ) from None
    try:
        validate_past_date(parsed, today=today)  # the same rule as the form's
    except ValidationError as error:
        raise _CellError(error.messages[0]) from None
    return parsed


def parse_value(value: Any) -> Decimal:
    """A number from a cell: a number cell, or text such as "3,4", "3.4" or "1 234,5"."""
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float):
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = _SPACES.sub("", _text(value))
        number = Decimal(text.replace(",", ".")) if _NUMBER.match(text) else None
    if number is None or not number.is_finite():
        raise _CellError(_("“%(value)s” is not a number.") % {"value": _text(value)})
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > _DECIMAL_PLACES:
        raise _CellError(_("Use at most two decimals, e.g. 3,45."))
    if abs(number) >= _TOO_LARGE:
        raise _CellError(_("The number is too large."))
    return number


@functools.cache
def _spellings() -> dict[str, tuple[str, frozenset[str]]]:
    return header_spellings(HEADERS_BY_LANGUAGE, _key)


def _file_headers() -> FileHeaders:
    """A reader of one file's header row, in Swedish or English or a mix of the two."""
    return FileHeaders(
        _spellings(),
        required=REQUIRED_HEADERS,
        headers=HEADERS_BY_LANGUAGE,
        key=_key,
        text=_text,
    )


def measurement_columns(language: str = SWEDISH) -> tuple[Column, ...]:
    """The template's columns with their headers in `language`."""
    names = HEADERS_BY_LANGUAGE[language]
    return tuple(Column(names[column.header], column.width) for column in COLUMNS)


def parse_measurement_workbook(uploaded_file, *, indicator: Indicator) -> ParsedMeasurements:
    """Read and check a workbook of measurements for one indicator, without writing anything.

    Raises ValidationError when the file as a whole cannot be used; problems in cells are
    returned by row and column (see check_measurement_rows).
    """
    headers = _file_headers()
    sheet_names = tuple(DATA_SHEETS.values())
    _title, data = read_data_rows(
        uploaded_file,
        sheet_name=sheet_names,
        header_positions=headers,
        max_rows=MAX_DATA_ROWS,
    )
    parsed = check_measurement_rows(data, indicator=indicator, column_names=headers.names)
    parsed.problems[:] = name_formula_cells(
        parsed.problems,
        data,
        uploaded_file,
        sheet_name=sheet_names,
        header_positions=headers,
    )
    return parsed


def check_measurement_rows(
    data: DataRows, *, indicator: Indicator, column_names: dict[str, str] | None = None
) -> ParsedMeasurements:
    """Check rows read from a workbook (or stored since the preview) without writing anything.

    A problem in a cell (a bad date, not a number, an empty value, a date twice in the file or
    already in the portal) is listed by row and column; the rows are kept only when there is
    none. One query, for the indicator's dates, whatever the number of rows. The columns are
    named as `column_names` has them (the file's headers), else in the interface language.
    """
    parsed = _check_rows(data, indicator)
    names = {**HEADERS_BY_LANGUAGE[interface_language()], **(column_names or {})}
    parsed.problems[:] = [
        dataclasses.replace(problem, heading=names[problem.column]) for problem in parsed.problems
    ]
    return parsed


def _check_rows(data: DataRows, indicator: Indicator) -> ParsedMeasurements:
    existing = set(indicator.measurements.order_by().values_list("date", flat=True))
    # Today once for the whole file, not once a row.
    parsers = (
        (DATE, functools.partial(parse_date, today=timezone.localdate())),
        (VALUE, parse_value),
    )
    parsed = ParsedMeasurements(source_rows=data)
    problems = parsed.problems
    first_row_of_date: dict[date, int] = {}
    for number, raw in data:
        cells: dict[str, Any] = {}
        for header, parser in parsers:
            if _is_blank(raw.get(header)):
                problems.append(ImportProblem(number, header, _("Fill in this column.")))
                continue
            try:
                cells[header] = parser(raw[header])
            except _CellError as error:
                problems.append(ImportProblem(number, header, error.message))
        comment = _text(raw.get(COMMENT))
        if len(comment) > _MAX_COMMENT:
            problems.append(
                ImportProblem(
                    number,
                    COMMENT,
                    _("At most %(max)s characters (this cell has %(length)s).")
                    % {"max": _MAX_COMMENT, "length": len(comment)},
                )
            )
        on = cells.get(DATE)
        if on is not None:
            if on in first_row_of_date:
                problems.append(
                    ImportProblem(
                        number,
                        DATE,
                        _("The date %(date)s is also on row %(row)s of the file.")
                        % {"date": on.isoformat(), "row": first_row_of_date[on]},
                    )
                )
            elif on in existing:
                problems.append(
                    ImportProblem(
                        number,
                        DATE,
                        _("The indicator already has a measurement on %(date)s in the portal.")
                        % {"date": on.isoformat()},
                    )
                )
            first_row_of_date.setdefault(on, number)
        if len(cells) == 2:
            parsed.rows.append((cells[DATE], cells[VALUE], comment))
    problems.sort(key=lambda problem: (problem.row, HEADERS.index(problem.column)))
    if problems:
        parsed.rows.clear()
    return parsed


def measurement_template_workbook(language: str = SWEDISH) -> bytes:
    """The empty import workbook in `language`: the data sheet with headers, and the
    instructions (both languages' texts side by side)."""

    def say(sv: str, en: str) -> str:
        return en if language == ENGLISH else sv

    names = HEADERS_BY_LANGUAGE[language]
    yes, no = say("Ja", "Yes"), say("Nej", "No")
    rows = [
        (
            names[DATE],
            yes,
            say(
                "Dagen värdet avser, som ÅÅÅÅ-MM-DD (t.ex. 2024-06-01) eller en datumcell. "
                "Högst en mätning per datum; ett datum som redan finns i portalen stoppar "
                "importen.",
                "The day the value is for, as YYYY-MM-DD (e.g. 2024-06-01) or a date cell. At "
                "most one measurement per date; a date already in the portal stops the import.",
            ),
        ),
        (
            names[VALUE],
            yes,
            say(
                "Det uppmätta värdet i mätetalets enhet. Decimalkomma går bra (3,4); högst två "
                "decimaler.",
                "The measured value in the indicator's unit. A decimal comma is fine (3,4); at "
                "most two decimals.",
            ),
        ),
        (
            names[COMMENT],
            no,
            say(
                "Valfri kommentar, t.ex. var siffran kommer ifrån. Högst 500 tecken.",
                "An optional comment, e.g. where the figure comes from. At most 500 characters.",
            ),
        ),
        (
            "",
            "",
            say(
                "Fyll i bladet ”Mätningar” med en rad per mätning och ladda upp filen på "
                "mätetalets sida. Högst 1 000 rader. Inget importeras förrän alla rader är "
                "utan fel.",
                "Fill in the sheet “Measurements” with one row per measurement and upload the "
                "file on the indicator's page. At most 1,000 rows. Nothing is imported until "
                "every row is free of problems.",
            ),
        ),
    ]
    instructions = Sheet(
        INSTRUCTIONS_SHEETS[language],
        [
            Column(say("Kolumn", "Column"), 14),
            Column(say("Obligatorisk", "Required"), 14),
            Column(say("Beskrivning", "Description"), 70),
        ],
        rows,
    )
    return sheets_workbook(
        [Sheet(DATA_SHEETS[language], measurement_columns(language), []), instructions]
    )
