"""Import of one indicator's measurements from an Excel workbook, and its template.

Preview first, then commit, as the interview import: `parse_measurement_workbook` reads and
checks every row without writing anything and lists each problem by row and column. The rows of
a file without problems are kept for the uploading user (smeportal.core.stored_imports, scoped to
the indicator) while the preview is shown; the confirmation checks those stored rows again
(`check_measurement_rows`: a date may have been measured meanwhile) instead of parsing the
workbook a second time, and writes them through actionplan.services.measurements_import in one
transaction.

Sheet names and column headers are Swedish domain data (the same in every interface language),
as in the other workbooks the portal hands out.
"""

from __future__ import annotations

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
from smeportal.core.uploads import DataRows, name_formula_cells, read_data_rows
from smeportal.core.xlsx import Column, Sheet, sheets_workbook

from .models import Indicator, Measurement

DATA_SHEET = "Mätningar"
INSTRUCTIONS_SHEET = "Instruktioner"
DATE = "Datum"
VALUE = "Värde"
COMMENT = "Kommentar"
COLUMNS = (Column(DATE, 14), Column(VALUE, 12), Column(COMMENT, 60))
HEADERS = tuple(column.header for column in COLUMNS)
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
    """A problem in one cell: the spreadsheet row (the header is row 1) and column header."""

    row: int
    column: str
    message: str


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


def _header_positions(header_row: tuple) -> tuple[dict[str, int], list[str]]:
    positions: dict[str, int] = {}
    wanted = {_key(header): header for header in HEADERS}
    for index, cell in enumerate(header_row):
        header = wanted.get(_key(cell))
        if header is not None and header not in positions:
            positions[header] = index
    missing = [header for header in REQUIRED_HEADERS if header not in positions]
    return positions, missing


def parse_measurement_workbook(uploaded_file, *, indicator: Indicator) -> ParsedMeasurements:
    """Read and check a workbook of measurements for one indicator, without writing anything.

    Raises ValidationError when the file as a whole cannot be used; problems in cells are
    returned by row and column (see check_measurement_rows).
    """
    _title, data = read_data_rows(
        uploaded_file,
        sheet_name=DATA_SHEET,
        header_positions=_header_positions,
        max_rows=MAX_DATA_ROWS,
    )
    parsed = check_measurement_rows(data, indicator=indicator)
    parsed.problems[:] = name_formula_cells(
        parsed.problems,
        data,
        uploaded_file,
        sheet_name=DATA_SHEET,
        header_positions=_header_positions,
    )
    return parsed


def check_measurement_rows(data: DataRows, *, indicator: Indicator) -> ParsedMeasurements:
    """Check rows read from a workbook (or stored since the preview) without writing anything.

    A problem in a cell (a bad date, not a number, an empty value, a date twice in the file or
    already in the portal) is listed by row and column; the rows are kept only when there is
    none. One query, for the indicator's dates, whatever the number of rows.
    """
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


def measurement_template_workbook() -> bytes:
    """The empty import workbook: the data sheet with headers, and the instructions."""
    instructions = Sheet(
        INSTRUCTIONS_SHEET,
        [Column("Kolumn", 14), Column("Obligatorisk", 14), Column("Beskrivning", 70)],
        [
            (
                DATE,
                "Ja",
                "Dagen värdet avser, som ÅÅÅÅ-MM-DD (t.ex. 2024-06-01) eller en datumcell. "
                "Högst en mätning per datum; ett datum som redan finns i portalen stoppar "
                "importen.",
            ),
            (
                VALUE,
                "Ja",
                "Det uppmätta värdet i mätetalets enhet. Decimalkomma går bra (3,4); högst två "
                "decimaler.",
            ),
            (COMMENT, "Nej", "Valfri kommentar, t.ex. var siffran kommer ifrån. Högst 500 tecken."),
            (
                "",
                "",
                "Fyll i bladet ”Mätningar” med en rad per mätning och ladda upp filen på "
                "mätetalets sida. Högst 1 000 rader. Inget importeras förrän alla rader är "
                "utan fel.",
            ),
        ],
    )
    return sheets_workbook([Sheet(DATA_SHEET, COLUMNS, []), instructions])
