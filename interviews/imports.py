"""Import of interviews and findings from an Excel workbook, and the template to fill in.

The flow is preview first, then commit: `parse_interview_workbook` reads and checks the whole
file without writing anything and lists every problem by row and column; only a file without
problems can be committed, and `interview_import_commit` then writes it in one transaction.
Between the two steps the rows read from the uploaded file are kept under MEDIA_ROOT/imports/ for
the uploading user only (`stored_import_*`, smeportal.core.stored_imports), and the commit checks
them again, so what is written is what was checked; it does not parse the workbook a second time
(issue 12: at the 5,000-row cap that alone cost as much as the parse the import is measured
against).

The workbook's sheet names, column headers and the words used in cells are Swedish domain data
(the same in every interface language), like the export's.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from smeportal.areas.models import PriorityArea
from smeportal.core import stored_imports
from smeportal.core.dates import validate_past_date
from smeportal.core.uploads import DataRows, name_formula_cells, read_data_rows
from smeportal.core.xlsx import Column, Sheet, sheets_workbook

from .choices import (
    District,
    FindingType,
    Importance,
    Industry,
    InterviewFormat,
    InterviewStatus,
    QuoteConsent,
    SizeClass,
)
from .models import Company, Finding, Interview, validate_findings_for_status
from .orgnumbers import OrganisationNumber, parse_organisation_number
from .services import NewInterview, interviews_create_many

DATA_SHEET = "Intervjuer"
INSTRUCTIONS_SHEET = "Instruktioner"
MAX_DATA_ROWS = 5_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024

# Column headers, in the order of the template.
REF = "Intervju-ref"
ORGANISATION_NUMBER = "Organisationsnummer"
COMPANY_NAME = "Företagsnamn"
INDUSTRY = "Bransch (SNI)"
SIZE_CLASS = "Storleksklass"
DISTRICT = "Kommundel"
DATE = "Datum"
FORMAT = "Format"
DURATION = "Längd (min)"
STATUS = "Status"
GRADE = "Betyg (1–6)"
CONSENT = "Samtycke"
NOTES = "Anteckningar"
AREA = "Område"
TYPE = "Typ"
TEXT = "Synpunkt"
IMPORTANCE = "Vikt (1–3)"
QUOTE = "Citat"
KEY_QUOTE = "Nyckelcitat (Ja/Nej)"
CONFIDENTIAL = "Konfidentiell (Ja/Nej)"

IMPORT_COLUMNS: tuple[Column, ...] = (
    Column(REF, 14),
    Column(ORGANISATION_NUMBER, 19),
    Column(COMPANY_NAME, 28),
    Column(INDUSTRY, 14),
    Column(SIZE_CLASS, 14),
    Column(DISTRICT, 14),
    Column(DATE, 12),
    Column(FORMAT, 10),
    Column(DURATION, 11),
    Column(STATUS, 10),
    Column(GRADE, 11),
    Column(CONSENT, 12),
    Column(NOTES, 40),
    Column(AREA, 30),
    Column(TYPE, 11),
    Column(TEXT, 50),
    Column(IMPORTANCE, 10),
    Column(QUOTE, 40),
    Column(KEY_QUOTE, 13),
    Column(CONFIDENTIAL, 14),
)
IMPORT_HEADERS = tuple(column.header for column in IMPORT_COLUMNS)
COMPANY_FIELDS = {
    COMPANY_NAME: "name",
    INDUSTRY: "industry",
    SIZE_CLASS: "size_class",
    DISTRICT: "district",
}
INTERVIEW_FIELDS = {
    DATE: "date",
    FORMAT: "format",
    DURATION: "duration_minutes",
    STATUS: "status",
    GRADE: "grade",
    CONSENT: "consent",
    NOTES: "notes",
}
FINDING_FIELDS = {
    AREA: "area",
    TYPE: "type",
    TEXT: "text",
    IMPORTANCE: "importance",
    QUOTE: "quote",
    KEY_QUOTE: "is_key_quote",
    CONFIDENTIAL: "is_confidential",
}
_INTERVIEW_LEVEL = (ORGANISATION_NUMBER, *COMPANY_FIELDS, *INTERVIEW_FIELDS)
_REPEATED = frozenset({ORGANISATION_NUMBER, DATE})

# The words written in the file for each choice (the import also takes the codes and the
# interface labels). Size classes use an en dash: Excel turns "1-9" typed in a cell into a date.
FILE_VALUES: dict[str, str] = {
    InterviewFormat.VISIT: "besök",
    InterviewFormat.DIGITAL: "digitalt",
    InterviewFormat.PHONE: "telefon",
    QuoteConsent.NAMED: "med namn",
    FindingType.IDEA: "idé",
    SizeClass.MICRO: "1–9",
    SizeClass.SMALL: "10–49",
    SizeClass.MEDIUM: "50–249",
    District.SODER: "söder",
    District.VASTER: "väster",
    District.OSTER: "öster",
    District.TORSHALLA: "torshälla",
    District.ARLA: "ärla",
}
YES, NO = "Ja", "Nej"
_YES_WORDS = {"ja", "j", "yes", "y", "x", "1", "true", "sant"}
_NO_WORDS = {"nej", "n", "no", "0", "false", "falskt"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def file_value(code: Any) -> str:
    """The word the workbook uses for a choice's code."""
    return FILE_VALUES.get(code, str(code))


def yes_no(value: bool) -> str:
    return YES if value else NO


# --- Results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """A problem in one cell: the spreadsheet row (the header is row 1) and column header."""

    row: int
    column: str
    message: str


@dataclass
class ParsedFinding:
    row: int
    area: PriorityArea
    type: str
    text: str
    importance: int
    quote: str
    is_key_quote: bool
    is_confidential: bool


@dataclass
class ParsedCompany:
    organisation_number: OrganisationNumber
    first_row: int
    existing: Company | None = None
    # Header -> (row, value), the first value given in the file.
    values: dict[str, tuple[int, Any]] = field(default_factory=dict)

    def value(self, header: str, default: Any = "") -> Any:
        return self.values.get(header, (0, default))[1]


@dataclass
class ParsedInterview:
    ref: str
    rows: list[int]
    company: ParsedCompany
    date: date | None = None
    format: str = InterviewFormat.VISIT
    duration_minutes: int | None = None
    status: str = InterviewStatus.DRAFT
    grade: int | None = None
    consent: str = QuoteConsent.INTERNAL_ONLY
    notes: str = ""
    findings: list[ParsedFinding] = field(default_factory=list)

    @property
    def company_name(self) -> str:
        """The name the interview will be filed under: the portal's, for a known company."""
        existing = self.company.existing
        return existing.name if existing is not None else str(self.company.value(COMPANY_NAME))

    @property
    def status_label(self) -> str:
        return str(InterviewStatus(self.status).label)


@dataclass
class ImportPreview:
    interviews: list[ParsedInterview] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    # The rows as read from the file, kept between the preview and the commit.
    source_rows: DataRows = field(default_factory=list, repr=False)

    @property
    def is_valid(self) -> bool:
        return not self.problems and bool(self.interviews)

    @property
    def interview_count(self) -> int:
        return len(self.interviews)

    @property
    def finding_count(self) -> int:
        return sum(len(interview.findings) for interview in self.interviews)

    def _companies(self) -> dict[str, ParsedCompany]:
        return {i.company.organisation_number.formatted: i.company for i in self.interviews}

    @property
    def new_company_count(self) -> int:
        return sum(1 for company in self._companies().values() if company.existing is None)

    @property
    def existing_company_count(self) -> int:
        return sum(1 for company in self._companies().values() if company.existing is not None)


@dataclass(frozen=True)
class ImportResult:
    interviews: list[Interview]
    finding_count: int
    companies_created: int

    @property
    def interview_count(self) -> int:
        return len(self.interviews)


# --- Reading cells --------------------------------------------------------------------------


class _CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_BLANK = object()


@functools.lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """Lenient comparison key: case, accents, dashes, underscores and spacing do not matter."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text).replace("_", " ")
    return " ".join(text.split())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _choice_lookup(choices, *, code_type=str) -> dict[str, Any]:
    """Map every accepted spelling of a choice (code, file word, labels in sv and en) to the code.

    Labels are also taken without their "A – " prefix and without a trailing parenthesis, so
    "Tillverkning" finds C and "Eskilstuna söder" finds söder.
    """
    lookup: dict[str, Any] = {}
    for code, label in choices.choices:
        spellings = {str(code), file_value(code)}
        for language in ("sv", "en"):
            with translation.override(language):
                text = str(label)
            spellings.add(text)
            spellings.add(text.split(" – ", 1)[-1])
            spellings.add(text.split(" (", 1)[0])
        for spelling in spellings:
            lookup.setdefault(_key(spelling), code_type(code))
    return lookup


def _parse_choice(value: Any, lookup: dict[str, Any], allowed: Iterable[str]) -> Any:
    text = _text(value)
    try:
        return lookup[_key(text)]
    except KeyError:
        raise _CellError(
            _("“%(value)s” is not an allowed value. Allowed: %(allowed)s.")
            % {"value": text, "allowed": ", ".join(allowed)}
        ) from None


def _parse_int(value: Any, low: int, high: int) -> int:
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = _text(value)
        number = int(text) if re.fullmatch(r"[0-9]{1,6}", text) else None
    if number is None:
        raise _CellError(_("“%(value)s” is not a whole number.") % {"value": _text(value)})
    if not low <= number <= high:
        raise _CellError(
            _("Enter a whole number from %(min)s to %(max)s.") % {"min": low, "max": high}
        )
    return number


def _parse_date(value: Any) -> date:
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
        validate_past_date(parsed)  # the same rule as the form's
    except ValidationError as error:
        raise _CellError(error.messages[0]) from None
    return parsed


def _parse_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _key(_text(value))
    if text in _YES_WORDS:
        return True
    if text in _NO_WORDS:
        return False
    raise _CellError(_("Write “Ja” or “Nej” (an empty cell means “Nej”)."))


def _parse_organisation_number(value: Any) -> OrganisationNumber:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel stores a number typed without a dash as a number and drops a leading zero.
        value = str(int(value)).zfill(10)
    try:
        return parse_organisation_number(_text(value))
    except ValidationError as error:
        raise _CellError(" ".join(error.messages)) from None


def _max_length(model, field_name: str) -> int:
    """The model's limit, so that a cell is refused on its row rather than cut or saved."""
    return model._meta.get_field(field_name).max_length


def _parse_text(value: Any, max_length: int | None = None) -> str:
    text = _text(value)
    if max_length is not None and len(text) > max_length:
        raise _CellError(
            _("At most %(max)s characters (this cell has %(length)s).")
            % {"max": max_length, "length": len(text)}
        )
    return text


class _Vocabulary:
    """Everything a cell value is checked against, loaded once per file."""

    def __init__(self):
        self.industry = _choice_lookup(Industry)
        self.size_class = _choice_lookup(SizeClass)
        self.district = _choice_lookup(District)
        self.format = _choice_lookup(InterviewFormat)
        self.status = _choice_lookup(InterviewStatus)
        self.consent = _choice_lookup(QuoteConsent)
        self.type = _choice_lookup(FindingType)
        self.areas: dict[str, PriorityArea] = {}
        for area in PriorityArea.objects.all():
            self.areas.setdefault(_key(area.name), area)
            self.areas.setdefault(_key(area.slug), area)
        self._parsers = self._cell_parsers()
        # The interview's columns repeat on each of its rows: each value is checked once.
        self._known: dict[tuple[str, Any], Any] = {}

    def parse(self, header: str, value: Any) -> Any:
        if header not in _REPEATED:
            return self._parsers[header](value)
        key = (header, type(value), value)
        if key not in self._known:
            self._known[key] = self._parsers[header](value)
        return self._known[key]

    def _cell_parsers(self) -> dict[str, Any]:
        """Per header the parser of its cells, built once per file (a file has 100,000 cells)."""
        name_length = _max_length(Company, "name")
        notes_length = _max_length(Interview, "notes")
        text_length = _max_length(Finding, "text")
        quote_length = _max_length(Finding, "quote")

        def allowed(choices) -> list[str]:
            return [file_value(code) for code in choices.values]

        size_classes, districts = allowed(SizeClass), allowed(District)
        formats, statuses = allowed(InterviewFormat), allowed(InterviewStatus)
        consents, types = allowed(QuoteConsent), allowed(FindingType)
        industries = list(Industry.values)
        return {
            REF: lambda v: _parse_text(v, 100),
            ORGANISATION_NUMBER: _parse_organisation_number,
            COMPANY_NAME: lambda v: _parse_text(v, name_length),
            INDUSTRY: lambda v: _parse_choice(v, self.industry, industries),
            SIZE_CLASS: lambda v: _parse_choice(v, self.size_class, size_classes),
            DISTRICT: lambda v: _parse_choice(v, self.district, districts),
            DATE: _parse_date,
            FORMAT: lambda v: _parse_choice(v, self.format, formats),
            DURATION: lambda v: _parse_int(v, 5, 600),
            STATUS: lambda v: _parse_choice(v, self.status, statuses),
            GRADE: lambda v: _parse_int(v, 1, 6),
            CONSENT: lambda v: _parse_choice(v, self.consent, consents),
            NOTES: lambda v: _parse_text(v, notes_length),
            AREA: self._parse_area,
            TYPE: lambda v: _parse_choice(v, self.type, types),
            TEXT: lambda v: _parse_text(v, text_length),
            IMPORTANCE: lambda v: _parse_int(v, 1, 3),
            QUOTE: lambda v: _parse_text(v, quote_length),
            KEY_QUOTE: _parse_yes_no,
            CONFIDENTIAL: _parse_yes_no,
        }

    def _parse_area(self, value: Any) -> PriorityArea:
        text = _text(value)
        try:
            return self.areas[_key(text)]
        except KeyError:
            raise _CellError(
                _(
                    "Unknown priority area “%(value)s”. Write the area's name or short name as "
                    "listed on the sheet “%(sheet)s”."
                )
                % {"value": text, "sheet": INSTRUCTIONS_SHEET}
            ) from None


@dataclass
class _Row:
    number: int
    values: dict[str, Any]  # header -> parsed value, or _BLANK
    errors: set[str] = field(default_factory=set)

    def given(self, header: str) -> bool:
        return self.values.get(header, _BLANK) is not _BLANK and header not in self.errors


# --- Reading the workbook -------------------------------------------------------------------


def _header_key(text: Any) -> str:
    return _key(_text(text))


def _header_index(header_row: tuple) -> tuple[dict[str, int], list[str]]:
    """Map our headers to column positions; a header may omit its "(…)" hint."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(header_row):
        key = _header_key(cell)
        if not key:
            continue
        for header in IMPORT_HEADERS:
            if header in positions:
                continue
            if key in {_header_key(header), _header_key(header.split(" (", 1)[0])}:
                positions[header] = index
                break
    missing = [header for header in IMPORT_HEADERS if header not in positions]
    return positions, missing


def parse_interview_workbook(uploaded_file) -> ImportPreview:
    """Read and check an interview workbook without writing anything.

    Raises ValidationError when the file as a whole cannot be used (unreadable, wrong headers,
    no rows, too many rows). Problems in cells are returned in `ImportPreview.problems`, each
    with its row, column and a message in the interface language.
    """
    _title, data = read_data_rows(
        uploaded_file,
        sheet_name=DATA_SHEET,
        header_positions=_header_index,
        max_rows=MAX_DATA_ROWS,
    )
    preview = check_interview_rows(data)
    preview.problems[:] = name_formula_cells(
        preview.problems,
        data,
        uploaded_file,
        sheet_name=DATA_SHEET,
        header_positions=_header_index,
    )
    return preview


def check_interview_rows(data: DataRows) -> ImportPreview:
    """Check the rows read from a workbook (see parse_interview_workbook), writing nothing."""
    vocabulary = _Vocabulary()
    preview = ImportPreview(source_rows=data)
    problems = preview.problems

    rows: list[_Row] = []
    for number, raw in data:
        row = _Row(number, {})
        for header, value in raw.items():
            if not _text(value):
                row.values[header] = _BLANK
                continue
            try:
                row.values[header] = vocabulary.parse(header, value)
            except _CellError as error:
                row.values[header] = _BLANK
                row.errors.add(header)
                problems.append(ImportProblem(number, header, error.message))
        rows.append(row)

    groups: dict[str, list[_Row]] = {}
    for row in rows:
        if REF in row.errors:
            continue
        if not row.given(REF):
            problems.append(
                ImportProblem(
                    row.number,
                    REF,
                    _(
                        "Fill in an interview reference. Rows with the same reference are "
                        "one interview."
                    ),
                )
            )
            continue
        groups.setdefault(_key(row.values[REF]), []).append(row)

    companies: dict[str, ParsedCompany] = {}
    for group in groups.values():
        interview = _merge_interview(group, companies, problems)
        if interview is not None:
            preview.interviews.append(interview)

    _check_companies(companies, problems, preview.warnings)
    _warn_about_duplicates(preview)
    problems.sort(key=lambda problem: (problem.row, IMPORT_HEADERS.index(problem.column)))
    return preview


def _merge_interview(
    group: list[_Row], companies: dict[str, ParsedCompany], problems: list[ImportProblem]
) -> ParsedInterview | None:
    """One interview from the rows sharing a reference; a value may be given on any of them."""
    first = group[0]
    ref = first.values[REF]
    merged: dict[str, tuple[int, Any]] = {}
    for row in group:
        for header in _INTERVIEW_LEVEL:
            if not row.given(header):
                continue
            value = row.values[header]
            if header not in merged:
                merged[header] = (row.number, value)
            elif _differs(merged[header][1], value):
                problems.append(
                    ImportProblem(
                        row.number,
                        header,
                        _(
                            "Differs from row %(row)s, which has the same interview reference "
                            "“%(ref)s”."
                        )
                        % {"row": merged[header][0], "ref": ref},
                    )
                )

    failed = any(header in row.errors for row in group for header in _INTERVIEW_LEVEL)
    for header in (ORGANISATION_NUMBER, COMPANY_NAME, DATE):
        if header not in merged and not any(header in row.errors for row in group):
            problems.append(ImportProblem(first.number, header, _("Fill in this column.")))
            failed = True

    findings = [finding for row in group if (finding := _finding(row, problems)) is not None]
    if failed or ORGANISATION_NUMBER not in merged:
        return None

    number: OrganisationNumber = merged[ORGANISATION_NUMBER][1]
    company = companies.setdefault(number.formatted, ParsedCompany(number, first.number))
    for header in COMPANY_FIELDS:
        if header not in merged:
            continue
        row_number, value = merged[header]
        if header not in company.values:
            company.values[header] = (row_number, value)
        elif _differs(company.values[header][1], value):
            problems.append(
                ImportProblem(
                    row_number,
                    header,
                    _("Differs from row %(row)s, which has the same organisation number.")
                    % {"row": company.values[header][0]},
                )
            )

    interview = ParsedInterview(
        ref=ref, rows=[row.number for row in group], company=company, findings=findings
    )
    for header, name in INTERVIEW_FIELDS.items():
        if header in merged:
            setattr(interview, name, merged[header][1])
    # The form's rule: a row whose finding is wrong has its own message, so only an interview
    # with no finding on any row is refused for it.
    with_findings = [
        row for row in group if any(row.given(h) or h in row.errors for h in FINDING_FIELDS)
    ]
    try:
        validate_findings_for_status(interview.status, len(with_findings))
    except ValidationError as error:
        row_number = merged[STATUS][0] if STATUS in merged else first.number
        problems.extend(ImportProblem(row_number, STATUS, message) for message in error.messages)
        return None
    return interview


def _differs(first: Any, other: Any) -> bool:
    if isinstance(first, OrganisationNumber):
        return first.formatted != other.formatted
    if isinstance(first, str) and isinstance(other, str):
        return _key(first) != _key(other)
    return first != other


def _finding(row: _Row, problems: list[ImportProblem]) -> ParsedFinding | None:
    """The row's finding, or None when its finding columns are all empty (or wrong)."""
    if not any(row.given(h) or h in row.errors for h in FINDING_FIELDS):
        return None
    missing = [h for h in (AREA, TYPE, TEXT) if not row.given(h) and h not in row.errors]
    for header in missing:
        problems.append(
            ImportProblem(
                row.number,
                header,
                _(
                    "Fill in this column: the row has a finding (or leave all finding "
                    "columns empty)."
                ),
            )
        )
    if missing or any(header in row.errors for header in FINDING_FIELDS):
        return None
    values = row.values

    def optional(header: str, default: Any) -> Any:
        return values[header] if row.given(header) else default

    return ParsedFinding(
        row=row.number,
        area=values[AREA],
        type=values[TYPE],
        text=values[TEXT],
        importance=optional(IMPORTANCE, Importance.MEDIUM.value),
        quote=optional(QUOTE, ""),
        is_key_quote=optional(KEY_QUOTE, False),
        is_confidential=optional(CONFIDENTIAL, False),
    )


def _check_companies(
    companies: dict[str, ParsedCompany],
    problems: list[ImportProblem],
    warnings: list[ImportProblem],
) -> None:
    existing = Company.objects.in_bulk(list(companies), field_name="organisation_number")
    for number, company in companies.items():
        company.existing = existing.get(number)
        if company.existing is not None:
            name = company.value(COMPANY_NAME)
            if _key(name) != _key(company.existing.name):
                warnings.append(
                    ImportProblem(
                        company.first_row,
                        COMPANY_NAME,
                        _(
                            "The portal already has this organisation number as “%(name)s”. The "
                            "interview is linked to that company and its details are kept."
                        )
                        % {"name": company.existing.name},
                    )
                )
            continue
        for header in (INDUSTRY, SIZE_CLASS, DISTRICT):
            if header not in company.values:
                problems.append(
                    ImportProblem(
                        company.first_row,
                        header,
                        _("Fill in this column: the company is not yet in the portal."),
                    )
                )


def _warn_about_duplicates(preview: ImportPreview) -> None:
    """An interview with the same company on the same day is probably imported twice."""
    known = [i for i in preview.interviews if i.company.existing is not None and i.date]
    if not known:
        return
    pairs = set(
        Interview.objects.filter(
            company__in=[i.company.existing for i in known], date__in={i.date for i in known}
        ).values_list("company_id", "date")
    )
    for interview in known:
        if (interview.company.existing.pk, interview.date) in pairs:
            preview.warnings.append(
                ImportProblem(
                    interview.rows[0],
                    DATE,
                    _(
                        "The portal already has an interview with this company on this date; "
                        "importing creates another one."
                    ),
                )
            )


# --- Writing --------------------------------------------------------------------------------


@transaction.atomic
def interview_import_commit(*, preview: ImportPreview, user) -> ImportResult:
    """Create the companies, interviews and findings of a checked file, all or nothing.

    Companies are matched on the normalised organisation number again at this moment, so a
    company added by a colleague since the preview is reused rather than duplicated. The user
    becomes the interviewer and creator of every interview. Everything is written in bulk
    (interviews_create_many), in a number of queries that does not grow with the rows.
    """
    if not preview.is_valid:
        raise ValidationError(_("The file has problems and cannot be imported."), code="invalid")
    new_companies: dict[str, Company] = {}
    batch: list[NewInterview] = []
    for parsed in preview.interviews:
        number = parsed.company.organisation_number.formatted
        # An unsaved company for each number; interviews_create_many uses the portal's own
        # when it has one by now.
        company = new_companies.setdefault(
            number,
            Company(
                name=parsed.company.value(COMPANY_NAME),
                organisation_number=number,
                industry=parsed.company.value(INDUSTRY),
                size_class=parsed.company.value(SIZE_CLASS),
                district=parsed.company.value(DISTRICT),
            ),
        )
        batch.append(
            NewInterview(
                company=company,
                fields={name: getattr(parsed, name) for name in INTERVIEW_FIELDS.values()},
                findings=[
                    {
                        "area": finding.area,
                        "type": finding.type,
                        "text": finding.text,
                        "importance": finding.importance,
                        "quote": finding.quote,
                        "is_key_quote": finding.is_key_quote,
                        "is_confidential": finding.is_confidential,
                    }
                    for finding in parsed.findings
                ],
            )
        )
    created = interviews_create_many(user=user, interviews=batch)
    return ImportResult(
        interviews=created.interviews,
        finding_count=preview.finding_count,
        companies_created=created.companies_created,
    )


# --- Keeping the upload between preview and confirmation (smeportal.core.stored_imports) ---

SCOPE = "interviews"


def stored_import_save(*, preview: ImportPreview, file_name: str, user) -> uuid.UUID:
    """Keep a checked upload's rows for its user until it is confirmed; returns its token."""
    return stored_imports.stored_import_save(
        rows=preview.source_rows, scope=SCOPE, file_name=file_name, user=user
    )


def stored_import_open(*, token: uuid.UUID, user) -> tuple[DataRows, str]:
    """The stored rows and the file's original name; StoredImportNotFound unless the user's."""
    return stored_imports.stored_import_open(token=token, scope=SCOPE, user=user)


# --- The template ---------------------------------------------------------------------------


def _labels(choices, *, with_code: bool = False) -> str:
    with translation.override("sv"):
        if with_code:
            return "; ".join(
                f"{file_value(code)} = {str(label).split(' – ', 1)[-1]}"
                for code, label in choices.choices
            )
        return ", ".join(file_value(code) for code in choices.values)


def _instruction_rows() -> list[list[str]]:
    areas = PriorityArea.objects.filter(is_archived=False).order_by("order", "name")
    area_list = "; ".join(f"{area.name} ({area.slug})" for area in areas)
    required, optional = "Ja", "Nej"
    return [
        [
            REF,
            required,
            "Samma ref på flera rader = en intervju med flera synpunkter. "
            "Fritt val, t.ex. 1, 2, 3 eller INT-01.",
            "Valfri text",
            "INT-01",
        ],
        [
            ORGANISATION_NUMBER,
            required,
            "Företaget matchas mot portalens register på "
            "organisationsnummer. Enskild firma: ägarens personnummer.",
            "Tio siffror, med eller utan bindestreck",
            "556036-0793",
        ],
        [
            COMPANY_NAME,
            required,
            "Används när företaget är nytt i portalen.",
            "Text",
            "Exempelbolaget AB",
        ],
        [
            INDUSTRY,
            "Ja, för nytt företag",
            "SNI 2007, avdelning.",
            _labels(Industry, with_code=True),
            "C",
        ],
        [SIZE_CLASS, "Ja, för nytt företag", "Antal anställda.", _labels(SizeClass), "10–49"],
        [
            DISTRICT,
            "Ja, för nytt företag",
            "Var företaget finns.",
            _labels(District, with_code=True),
            "centrum",
        ],
        [DATE, required, "Intervjuns datum, inte i framtiden.", "ÅÅÅÅ-MM-DD", "2025-03-14"],
        [FORMAT, optional, "Tomt = besök.", _labels(InterviewFormat), "besök"],
        [DURATION, optional, "Intervjuns längd i minuter.", "Heltal 5–600", "60"],
        [STATUS, optional, "Tomt = utkast.", _labels(InterviewStatus), "klar"],
        [
            GRADE,
            optional,
            "Företagets betyg på företagsklimatet (Svenskt Näringslivs skala).",
            "Heltal 1–6",
            "4",
        ],
        [
            CONSENT,
            optional,
            "Samtycke till citat. Tomt = internt.",
            _labels(QuoteConsent),
            "anonymt",
        ],
        [NOTES, optional, "Anteckningar från intervjun.", "Text", ""],
        [
            AREA,
            "Ja, om raden har en synpunkt",
            "Prioriterat område: namn eller kortnamn (inom parentes).",
            area_list,
            "kompetensforsorjning",
        ],
        [TYPE, "Ja, om raden har en synpunkt", "", _labels(FindingType), "utmaning"],
        [
            TEXT,
            "Ja, om raden har en synpunkt",
            "Vad företaget sa.",
            "Text, högst 4 000 tecken",
            "Svårt att hitta svetsare med rätt certifikat.",
        ],
        [IMPORTANCE, optional, "Tomt = 2.", "1 = låg, 2 = medel, 3 = hög", "3"],
        [
            QUOTE,
            optional,
            "Ordagrant citat.",
            "Text, högst 2 000 tecken",
            "Vi har annonserat i ett halvår.",
        ],
        [KEY_QUOTE, optional, "Tomt = Nej.", "Ja, Nej", "Nej"],
        [CONFIDENTIAL, optional, "Affärshemlighet (OSL 31:16). Tomt = Nej.", "Ja, Nej", "Nej"],
        [],
        [
            "Allmänt",
            "",
            "Första raden på bladet Intervjuer är rubrikerna; låt dem stå kvar. "
            "En rad per synpunkt. En intervju utan synpunkter får en rad med tomma "
            "synpunktskolumner. Inget importeras förrän hela filen är felfri. Högst 5 000 rader "
            "och 5 MB. Du blir intervjuare för de importerade intervjuerna.",
            "",
            "",
        ],
    ]


def import_template_workbook() -> bytes:
    """The empty import workbook: the data sheet with headers, and the instructions."""
    instructions = Sheet(
        INSTRUCTIONS_SHEET,
        [
            Column("Kolumn", 22),
            Column("Obligatorisk", 16),
            Column("Beskrivning", 50),
            Column("Tillåtna värden", 60),
            Column("Exempel", 26),
        ],
        _instruction_rows(),
    )
    return sheets_workbook([Sheet(DATA_SHEET, IMPORT_COLUMNS, []), instructions])
