"""Import of interviews and findings from an Excel workbook, and the template to fill in.

The flow is preview first, then commit: `parse_interview_workbook` reads and checks the whole
file without writing anything and lists every problem by row and column; only a file without
problems can be committed, and `interview_import_commit` then writes it in one transaction.
Between the two steps the rows read from the uploaded file are kept under MEDIA_ROOT/imports/ for
the uploading user only (`stored_import_*`, smeportal.core.stored_imports), and the commit checks
them again, so what is written is what was checked; it does not parse the workbook a second time
(issue 12: at the 5,000-row cap that alone cost as much as the parse the import is measured
against).

The template is handed out in Swedish or English (issue 13): sheet names, headers, instructions
and the words of the choices. Those words are the file's format and live in the per-language
tables below, not in the translation catalogue (smeportal.core.file_languages). A file is read
whatever language its headers are in; the rows read from it are keyed by the Swedish header,
whichever language the file used. The export (exports.py) writes the Swedish columns.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from smeportal.areas.models import PriorityArea
from smeportal.core import stored_imports
from smeportal.core.dates import validate_past_date
from smeportal.core.file_languages import (
    ENGLISH,
    SWEDISH,
    FileHeaders,
    header_spellings,
    interface_language,
)
from smeportal.core.folding import lenient_key
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
from .models import Company, Contact, Finding, Interview, validate_findings_for_status
from .orgnumbers import OrganisationNumber, parse_organisation_number
from .services import NewInterview, interviews_create_many

DATA_SHEET = "Intervjuer"
INSTRUCTIONS_SHEET = "Instruktioner"
DATA_SHEETS = {SWEDISH: DATA_SHEET, ENGLISH: "Interviews"}
INSTRUCTIONS_SHEETS = {SWEDISH: INSTRUCTIONS_SHEET, ENGLISH: "Instructions"}
TEMPLATE_FILE_NAMES = {
    SWEDISH: "intervjuer-importmall.xlsx",
    ENGLISH: "interviews-import-template.xlsx",
}
MAX_DATA_ROWS = 5_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024

# Column headers, in the order of the template: the Swedish header is also the column's key.
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
CONTACT_NAME = "Kontaktperson"
CONTACT_ROLE = "Kontaktens roll"
CONTACT_EMAIL = "Kontaktens e-post"
RESULTS_CONSENT = "Vill höra om resultaten (Ja/Nej)"
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
    Column(CONTACT_NAME, 24),
    Column(CONTACT_ROLE, 16),
    Column(CONTACT_EMAIL, 28),
    Column(RESULTS_CONSENT, 17),
    Column(AREA, 30),
    Column(TYPE, 11),
    Column(TEXT, 50),
    Column(IMPORTANCE, 10),
    Column(QUOTE, 40),
    Column(KEY_QUOTE, 13),
    Column(CONFIDENTIAL, 14),
)
IMPORT_HEADERS = tuple(column.header for column in IMPORT_COLUMNS)
# The contact person's columns came later (issue 14): a file made from an older template has
# none of them and still imports. Contact persons are never exported (exports.py).
CONTACT_HEADERS = (CONTACT_NAME, CONTACT_ROLE, CONTACT_EMAIL, RESULTS_CONSENT)
REQUIRED_HEADERS = tuple(header for header in IMPORT_HEADERS if header not in CONTACT_HEADERS)
ENGLISH_HEADERS: dict[str, str] = {
    REF: "Interview ref",
    ORGANISATION_NUMBER: "Organisation number",
    COMPANY_NAME: "Company name",
    INDUSTRY: "Industry (SNI)",
    SIZE_CLASS: "Size class",
    DISTRICT: "District",
    DATE: "Date",
    FORMAT: "Format",
    DURATION: "Duration (min)",
    STATUS: "Status",
    GRADE: "Grade (1–6)",
    CONSENT: "Consent",
    NOTES: "Notes",
    CONTACT_NAME: "Contact person",
    CONTACT_ROLE: "Contact's role",
    CONTACT_EMAIL: "Contact's e-mail",
    RESULTS_CONSENT: "Wants to hear about the results (Yes/No)",
    AREA: "Area",
    TYPE: "Type",
    TEXT: "Finding",
    IMPORTANCE: "Importance (1–3)",
    QUOTE: "Quote",
    KEY_QUOTE: "Key quote (Yes/No)",
    CONFIDENTIAL: "Confidential (Yes/No)",
}
HEADERS: dict[str, dict[str, str]] = {
    SWEDISH: {header: header for header in IMPORT_HEADERS},
    ENGLISH: ENGLISH_HEADERS,
}
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
CONTACT_FIELDS = {
    CONTACT_ROLE: "role",
    CONTACT_EMAIL: "email",
}
_INTERVIEW_LEVEL = (ORGANISATION_NUMBER, *COMPANY_FIELDS, *INTERVIEW_FIELDS, *CONTACT_HEADERS)
_REPEATED = frozenset({ORGANISATION_NUMBER, DATE, CONTACT_EMAIL})

# The words written in the file for each choice (the import also takes the codes, the words of
# the other language and the interface labels in both). Size classes use an en dash: Excel turns
# "1-9" typed in a cell into a date.
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
# English words where they differ from the Swedish; place names and numbers are the same.
ENGLISH_FILE_VALUES: dict[str, str] = {
    InterviewFormat.VISIT: "visit",
    InterviewFormat.DIGITAL: "digital",
    InterviewFormat.PHONE: "phone",
    InterviewStatus.DRAFT: "draft",
    InterviewStatus.DONE: "done",
    QuoteConsent.INTERNAL_ONLY: "internal",
    QuoteConsent.ANONYMOUS: "anonymous",
    QuoteConsent.NAMED: "named",
    FindingType.CHALLENGE: "challenge",
    FindingType.IDEA: "idea",
    FindingType.STRENGTH: "strength",
    District.LANDSBYGD: "countryside",
}
YES, NO = "Ja", "Nej"
YES_NO = {SWEDISH: (YES, NO), ENGLISH: ("Yes", "No")}
_YES_WORDS = {"ja", "j", "yes", "y", "x", "1", "true", "sant"}
_NO_WORDS = {"nej", "n", "no", "0", "false", "falskt"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def file_value(code: Any, language: str = SWEDISH) -> str:
    """The word a workbook in `language` uses for a choice's code."""
    if language == ENGLISH and code in ENGLISH_FILE_VALUES:
        return ENGLISH_FILE_VALUES[code]
    return FILE_VALUES.get(code, str(code))


def yes_no(value: bool, language: str = SWEDISH) -> str:
    yes, no = YES_NO[language]
    return yes if value else no


def column_header(header: str, language: str = SWEDISH) -> str:
    """The column's header in a workbook in `language` (`header` is its Swedish one)."""
    return HEADERS[language][header]


def import_columns(language: str = SWEDISH) -> tuple[Column, ...]:
    """The template's columns with their headers in `language`."""
    return tuple(
        Column(column_header(column.header, language), column.width) for column in IMPORT_COLUMNS
    )


# --- Results ------------------------------------------------------------------------------


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
class ParsedContact:
    """A contact person of the file: one per name (compared by `_key`) and organisation number,
    whichever interviews name them."""

    name: str
    first_row: int
    company: ParsedCompany
    existing: Contact | None = None
    # Header -> (row, value), the first role and e-mail given in the file.
    values: dict[str, tuple[int, Any]] = field(default_factory=dict)
    # The first row that says the person wants to hear about the results (0: none).
    consent_row: int = 0

    def value(self, header: str) -> str:
        return self.values.get(header, (0, ""))[1]

    @property
    def records_consent(self) -> bool:
        """The import records an agreement: the file has one and the portal has none yet."""
        existing = self.existing
        return bool(self.consent_row) and (existing is None or existing.results_consent_on is None)


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
    contact: ParsedContact | None = None
    results_consent: bool = False

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

    def _contacts(self) -> list[ParsedContact]:
        return list({id(i.contact): i.contact for i in self.interviews if i.contact}.values())

    @property
    def contact_count(self) -> int:
        return len(self._contacts())

    @property
    def new_contact_count(self) -> int:
        return sum(1 for contact in self._contacts() if contact.existing is None)

    @property
    def existing_contact_count(self) -> int:
        return sum(1 for contact in self._contacts() if contact.existing is not None)

    @property
    def results_consent_count(self) -> int:
        """The agreements to hear about the results the import records."""
        return sum(1 for contact in self._contacts() if contact.records_consent)


@dataclass(frozen=True)
class ImportResult:
    interviews: list[Interview]
    finding_count: int
    companies_created: int
    contacts_created: int = 0
    results_consents_recorded: int = 0

    @property
    def interview_count(self) -> int:
        return len(self.interviews)


# --- Reading cells --------------------------------------------------------------------------


class _CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_BLANK = object()


# Lenient comparison key: case, accents, dashes, underscores and spacing do not matter. The
# services match contact persons by name with the same key.
_key = lenient_key


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
        spellings = {str(code), file_value(code, SWEDISH), file_value(code, ENGLISH)}
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


def _parse_yes_no(value: Any, *, words: tuple[str, str] = (YES, NO)) -> bool:
    """Yes or no in either language (and x, 1, 0, true, false); `words` are the file's."""
    if isinstance(value, bool):
        return value
    text = _key(_text(value))
    if text in _YES_WORDS:
        return True
    if text in _NO_WORDS:
        return False
    if words == YES_NO[ENGLISH]:
        raise _CellError(_("Write “Yes” or “No” (an empty cell means “No”)."))
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


def _parse_email(value: Any, max_length: int) -> str:
    text = _parse_text(value, max_length)
    try:
        validate_email(text)  # the model's rule (EmailField)
    except ValidationError:
        raise _CellError(
            _("“%(value)s” is not an e-mail address. Write it as name@company.se.")
            % {"value": text}
        ) from None
    return text


class _Vocabulary:
    """Everything a cell value is checked against, loaded once per file.

    Cells are taken in either language; `language` is the file's, for the words a message
    suggests (the allowed values, yes or no, the instructions sheet's name).
    """

    def __init__(self, language: str = SWEDISH):
        self.language = language
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
        contact_name_length = _max_length(Contact, "name")
        role_length = _max_length(Contact, "role")
        email_length = _max_length(Contact, "email")

        language = self.language

        def allowed(choices) -> list[str]:
            return [file_value(code, language) for code in choices.values]

        def yes_no_cell(value: Any) -> bool:
            return _parse_yes_no(value, words=YES_NO[language])

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
            CONTACT_NAME: lambda v: _parse_text(v, contact_name_length),
            CONTACT_ROLE: lambda v: _parse_text(v, role_length),
            CONTACT_EMAIL: lambda v: _parse_email(v, email_length),
            RESULTS_CONSENT: yes_no_cell,
            AREA: self._parse_area,
            TYPE: lambda v: _parse_choice(v, self.type, types),
            TEXT: lambda v: _parse_text(v, text_length),
            IMPORTANCE: lambda v: _parse_int(v, 1, 3),
            QUOTE: lambda v: _parse_text(v, quote_length),
            KEY_QUOTE: yes_no_cell,
            CONFIDENTIAL: yes_no_cell,
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
                % {"value": text, "sheet": INSTRUCTIONS_SHEETS[self.language]}
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


@functools.cache
def _spellings() -> dict[str, tuple[str, frozenset[str]]]:
    return header_spellings(HEADERS, _header_key)


def _file_headers() -> FileHeaders:
    """A reader of one file's header row: each column by its Swedish or English header, which
    may omit its "(…)" hint (see smeportal.core.file_languages.FileHeaders)."""
    return FileHeaders(
        _spellings(), required=REQUIRED_HEADERS, headers=HEADERS, key=_header_key, text=_text
    )


def parse_interview_workbook(uploaded_file) -> ImportPreview:
    """Read and check an interview workbook without writing anything.

    Raises ValidationError when the file as a whole cannot be used (unreadable, wrong or
    doubled headers, no rows, too many rows). Problems in cells are returned in
    `ImportPreview.problems`, each with its row, column (named as in the file) and a message
    in the interface language.
    """
    headers = _file_headers()
    sheet_names = tuple(DATA_SHEETS.values())
    _title, data = read_data_rows(
        uploaded_file,
        sheet_name=sheet_names,
        header_positions=headers,
        max_rows=MAX_DATA_ROWS,
    )
    preview = check_interview_rows(data, language=headers.language, column_names=headers.names)
    preview.problems[:] = name_formula_cells(
        preview.problems,
        data,
        uploaded_file,
        sheet_name=sheet_names,
        header_positions=headers,
    )
    return preview


def check_interview_rows(
    data: DataRows, *, language: str | None = None, column_names: dict[str, str] | None = None
) -> ImportPreview:
    """Check the rows read from a workbook (see parse_interview_workbook), writing nothing.

    `language` is the file's (for the words the messages suggest) and `column_names` the
    columns' headers as the file writes them; both default to the interface language's, as
    for the rows stored between preview and commit.
    """
    language = language or interface_language()
    names = {**HEADERS[language], **(column_names or {})}
    preview = _check_rows(data, language, names)
    preview.problems[:] = _named(preview.problems, names)
    preview.warnings[:] = _named(preview.warnings, names)
    return preview


def _named(problems: list[ImportProblem], names: dict[str, str]) -> list[ImportProblem]:
    return [dataclasses.replace(problem, heading=names[problem.column]) for problem in problems]


def _check_rows(data: DataRows, language: str, names: dict[str, str]) -> ImportPreview:
    vocabulary = _Vocabulary(language)
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
    contacts: dict[tuple[str, str], ParsedContact] = {}
    for group in groups.values():
        interview = _merge_interview(group, companies, contacts, problems, names)
        if interview is not None:
            preview.interviews.append(interview)

    _check_companies(companies, problems, preview.warnings)
    _check_contacts(contacts, problems, preview.warnings)
    _warn_about_duplicates(preview)
    problems.sort(key=lambda problem: (problem.row, IMPORT_HEADERS.index(problem.column)))
    return preview


def _merge_interview(
    group: list[_Row],
    companies: dict[str, ParsedCompany],
    contacts: dict[tuple[str, str], ParsedContact],
    problems: list[ImportProblem],
    names: dict[str, str],
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
    _keep_first_values(
        company.values,
        merged,
        COMPANY_FIELDS,
        problems,
        _("Differs from row %(row)s, which has the same organisation number."),
    )

    interview = ParsedInterview(
        ref=ref, rows=[row.number for row in group], company=company, findings=findings
    )
    for header, name in INTERVIEW_FIELDS.items():
        if header in merged:
            setattr(interview, name, merged[header][1])
    contact_ok = _merge_contact(interview, merged, contacts, problems, names)
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
    return interview if contact_ok else None


def _merge_contact(
    interview: ParsedInterview,
    merged: dict[str, tuple[int, Any]],
    contacts: dict[tuple[str, str], ParsedContact],
    problems: list[ImportProblem],
    names: dict[str, str],
) -> bool:
    """The interview's contact person, one per name and organisation number in the whole file;
    False when its columns have a problem."""
    consent_row = merged[RESULTS_CONSENT][0] if merged.get(RESULTS_CONSENT, (0, False))[1] else 0
    if CONTACT_NAME not in merged:
        given = [header for header in CONTACT_FIELDS if header in merged]
        for header in given:
            problems.append(
                ImportProblem(
                    merged[header][0],
                    CONTACT_NAME,
                    _(
                        "Fill in the contact person: the row gives their role or e-mail "
                        "address (or leave those empty)."
                    ),
                )
            )
        if consent_row:
            problems.append(
                ImportProblem(
                    consent_row,
                    RESULTS_CONSENT,
                    _("The agreement belongs to a person: fill in the column “%(column)s” as well.")
                    % {"column": names[CONTACT_NAME]},
                )
            )
        return not given and not consent_row
    row_number, name = merged[CONTACT_NAME]
    company = interview.company
    key = (company.organisation_number.formatted, _key(name))
    contact = contacts.setdefault(key, ParsedContact(name, row_number, company))
    ok = _keep_first_values(
        contact.values,
        merged,
        CONTACT_FIELDS,
        problems,
        _("Differs from row %(row)s, which has the same contact person."),
    )
    if consent_row and not contact.consent_row:
        contact.consent_row = consent_row
    interview.contact = contact
    interview.results_consent = bool(consent_row)
    return ok


def _keep_first_values(
    values: dict[str, tuple[int, Any]],
    merged: dict[str, tuple[int, Any]],
    headers: Iterable[str],
    problems: list[ImportProblem],
    differs: str,
) -> bool:
    """Keep in `values` the first value the file gives for each of `headers` (a company's or a
    contact person's, shared by several interviews); a later different one is a problem, with
    `differs` naming the first row. Returns whether all agreed."""
    agreed = True
    for header in headers:
        if header not in merged:
            continue
        row_number, value = merged[header]
        if header not in values:
            values[header] = (row_number, value)
        elif _differs(values[header][1], value):
            problems.append(ImportProblem(row_number, header, differs % {"row": values[header][0]}))
            agreed = False
    return agreed


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


def _check_contacts(
    contacts: dict[tuple[str, str], ParsedContact],
    problems: list[ImportProblem],
    warnings: list[ImportProblem],
) -> None:
    """Match the file's contact persons to the contacts of known companies, by name.

    The portal's details of a known contact are kept: a different role or e-mail in the file
    gets a warning, and only an empty one is filled in. An agreement to hear about the
    results needs an e-mail address, from the file or the portal (the contact form's rule).
    """
    known = {c.company.existing.pk for c in contacts.values() if c.company.existing is not None}
    portal: dict[tuple[int, str], Contact] = {}
    if known:
        for contact in Contact.objects.filter(company_id__in=known).order_by("pk"):
            portal.setdefault((contact.company_id, _key(contact.name)), contact)
    for (_number, name_key), contact in contacts.items():
        company = contact.company.existing
        contact.existing = portal.get((company.pk, name_key)) if company is not None else None
        if contact.existing is not None:
            _compare_with_portal(contact, warnings)
        email = contact.value(CONTACT_EMAIL) or (contact.existing and contact.existing.email)
        if contact.records_consent and not email:
            problems.append(
                ImportProblem(
                    contact.consent_row,
                    CONTACT_EMAIL,
                    _("Give the e-mail address the results should be sent to."),
                )
            )


def _compare_with_portal(contact: ParsedContact, warnings: list[ImportProblem]) -> None:
    existing = contact.existing
    for header, attribute in CONTACT_FIELDS.items():
        if header not in contact.values:
            continue
        row_number, value = contact.values[header]
        current = getattr(existing, attribute)
        if not current:
            message = (
                _(
                    "The portal has no role for %(name)s, who is already a contact person of "
                    "the company; the file's is added."
                )
                if header == CONTACT_ROLE
                else _(
                    "The portal has no e-mail address for %(name)s, who is already a contact "
                    "person of the company; the file's is added."
                )
            )
        elif _differs(current, value):
            message = (
                _(
                    "The portal already has %(name)s as a contact person of the company, with "
                    "the role “%(current)s”. The portal's details are kept; they can be changed "
                    "on the contact person's page."
                )
                if header == CONTACT_ROLE
                else _(
                    "The portal already has %(name)s as a contact person of the company, with "
                    "the e-mail address “%(current)s”. The portal's details are kept; they can "
                    "be changed on the contact person's page."
                )
            )
        else:
            continue
        warnings.append(
            ImportProblem(row_number, header, message % {"name": existing.name, "current": current})
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
    contacts: dict[tuple[str, str], Contact] = {}
    batch: list[NewInterview] = []
    for parsed in preview.interviews:
        number = parsed.company.organisation_number.formatted
        contact = None
        if parsed.contact is not None:
            # An unsaved contact for each person; interviews_create_many uses the company's
            # own when it has one by the name by now.
            contact = contacts.setdefault(
                (number, _key(parsed.contact.name)),
                Contact(
                    name=parsed.contact.name,
                    role=parsed.contact.value(CONTACT_ROLE),
                    email=parsed.contact.value(CONTACT_EMAIL),
                ),
            )
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
                contact=contact,
                results_consent=parsed.results_consent,
            )
        )
    created = interviews_create_many(user=user, interviews=batch)
    return ImportResult(
        interviews=created.interviews,
        finding_count=preview.finding_count,
        companies_created=created.companies_created,
        contacts_created=created.contacts_created,
        results_consents_recorded=created.results_consents_recorded,
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


def _labels(choices, language: str, *, with_code: bool = False) -> str:
    with translation.override(language):
        if with_code:
            return "; ".join(
                f"{file_value(code, language)} = {str(label).split(' – ', 1)[-1]}"
                for code, label in choices.choices
            )
        return ", ".join(file_value(code, language) for code in choices.values)


def _instruction_rows(language: str = SWEDISH) -> list[list[str]]:
    """The instructions sheet's rows, in `language`; both languages' texts side by side."""

    def say(sv: str, en: str) -> str:
        return en if language == ENGLISH else sv

    def header(column: str) -> str:
        return column_header(column, language)

    def word(code: Any) -> str:
        return file_value(code, language)

    areas = PriorityArea.objects.filter(is_archived=False).order_by("order", "name")
    area_list = "; ".join(f"{area.name} ({area.slug})" for area in areas)
    yes, no = YES_NO[language]
    required, optional = yes, no
    for_new_company = say("Ja, för nytt företag", "Yes, for a new company")
    with_finding = say("Ja, om raden har en synpunkt", "Yes, if the row has a finding")
    text = "Text"
    return [
        [
            header(REF),
            required,
            say(
                "Samma ref på flera rader = en intervju med flera synpunkter. "
                "Fritt val, t.ex. 1, 2, 3 eller INT-01.",
                "The same ref on several rows = one interview with several findings. "
                "Your choice, e.g. 1, 2, 3 or INT-01.",
            ),
            say("Valfri text", "Any text"),
            "INT-01",
        ],
        [
            header(ORGANISATION_NUMBER),
            required,
            say(
                "Företaget matchas mot portalens register på "
                "organisationsnummer. Enskild firma: ägarens personnummer.",
                "The company is matched against the portal's register on its organisation "
                "number. Sole trader: the owner's personal identity number.",
            ),
            say("Tio siffror, med eller utan bindestreck", "Ten digits, with or without a hyphen"),
            "556036-0793",
        ],
        [
            header(COMPANY_NAME),
            required,
            say(
                "Används när företaget är nytt i portalen.",
                "Used when the company is new to the portal.",
            ),
            text,
            say("Exempelbolaget AB", "Example Company AB"),
        ],
        [
            header(INDUSTRY),
            for_new_company,
            say("SNI 2007, avdelning.", "SNI 2007, section."),
            _labels(Industry, language, with_code=True),
            "C",
        ],
        [
            header(SIZE_CLASS),
            for_new_company,
            say("Antal anställda.", "Number of employees."),
            _labels(SizeClass, language),
            word(SizeClass.SMALL),
        ],
        [
            header(DISTRICT),
            for_new_company,
            say("Var företaget finns.", "Where the company is."),
            _labels(District, language, with_code=True),
            word(District.CENTRUM),
        ],
        [
            header(DATE),
            required,
            say(
                "Intervjuns datum, inte i framtiden.",
                "The date of the interview, not in the future.",
            ),
            say("ÅÅÅÅ-MM-DD", "YYYY-MM-DD"),
            "2025-03-14",
        ],
        [
            header(FORMAT),
            optional,
            say("Tomt = %s.", "Empty = %s.") % word(InterviewFormat.VISIT),
            _labels(InterviewFormat, language),
            word(InterviewFormat.VISIT),
        ],
        [
            header(DURATION),
            optional,
            say("Intervjuns längd i minuter.", "The length of the interview in minutes."),
            say("Heltal 5–600", "Whole number 5–600"),
            "60",
        ],
        [
            header(STATUS),
            optional,
            say("Tomt = %s.", "Empty = %s.") % word(InterviewStatus.DRAFT),
            _labels(InterviewStatus, language),
            word(InterviewStatus.DONE),
        ],
        [
            header(GRADE),
            optional,
            say(
                "Företagets betyg på företagsklimatet (Svenskt Näringslivs skala).",
                "The company's grade of the business climate (Svenskt Näringsliv's scale).",
            ),
            say("Heltal 1–6", "Whole number 1–6"),
            "4",
        ],
        [
            header(CONSENT),
            optional,
            say("Samtycke till citat. Tomt = internt.", "Consent to quotes. Empty = internal."),
            _labels(QuoteConsent, language),
            word(QuoteConsent.ANONYMOUS),
        ],
        [
            header(NOTES),
            optional,
            say("Anteckningar från intervjun.", "Notes from the interview."),
            text,
            "",
        ],
        [
            header(CONTACT_NAME),
            optional,
            say(
                "Den intervjuade personen på företaget, en per intervju (samma på alla dess "
                "rader); fler intervjuade läggs till på intervjuns sida. Personen matchas på "
                "namn mot företagets kontaktpersoner i portalen (skiftläge, accenter och "
                "mellanslag spelar ingen roll), annars läggs hen till som ny. Samma namn för "
                "samma organisationsnummer är en och samma person i hela filen.",
                "The person interviewed at the company, one per interview (the same on all its "
                "rows); more interviewees are added on the interview's page. The person is "
                "matched by name against the company's contact persons in the portal (case, "
                "accents and spacing do not matter), or else added as a new one. The same name "
                "for the same organisation number is one person throughout the file.",
            ),
            say("Text, högst %s tecken", "Text, at most %s characters")
            % _max_length(Contact, "name"),
            "Anna Berg",
        ],
        [
            header(CONTACT_ROLE),
            optional,
            say(
                "Kontaktpersonens roll. För en person som redan finns i portalen behålls "
                "portalens uppgifter (en tom roll fylls i); de ändras på kontaktpersonens sida.",
                "The contact person's role. For a person already in the portal the portal's "
                "details are kept (an empty role is filled in); they are changed on the "
                "contact person's page.",
            ),
            say("Text, högst %s tecken", "Text, at most %s characters")
            % _max_length(Contact, "role"),
            "VD",
        ],
        [
            header(CONTACT_EMAIL),
            say(
                "Ja, om %s = Ja och portalen saknar adressen",
                "Yes, if %s = Yes and the portal lacks the address",
            )
            % header(RESULTS_CONSENT),
            say(
                "Dit resultaten skickas. För en person som redan finns i portalen behålls "
                "portalens adress (en tom fylls i).",
                "Where the results are sent. For a person already in the portal the portal's "
                "address is kept (an empty one is filled in).",
            ),
            say("E-postadress", "E-mail address"),
            say("anna.berg@exempel.se", "anna.berg@example.com"),
        ],
        [
            header(RESULTS_CONSENT),
            optional,
            say(
                "Ja = personen sa i intervjun ja till att kontaktas om vad dialogen ledde "
                "till (”Ni sa – vi gjorde”). Samtycket registreras på kontaktpersonen med "
                "dagens datum och dig som den som registrerade det, om hen inte redan har "
                "samtyckt. Kräver %(contact)s och en e-postadress. Nej eller tomt ändrar "
                "ingenting: ett samtycke återkallas på kontaktpersonens sida.",
                "Yes = in the interview the person agreed to be contacted about what the "
                "dialogue led to (“You said – we did”). The agreement is recorded on the "
                "contact person with today's date and you as the one who recorded it, unless "
                "they have agreed already. Needs %(contact)s and an e-mail address. No or "
                "empty changes nothing: an agreement is withdrawn on the contact person's "
                "page.",
            )
            % {"contact": header(CONTACT_NAME)},
            f"{yes}, {no}",
            no,
        ],
        [
            header(AREA),
            with_finding,
            say(
                "Prioriterat område: namn eller kortnamn (inom parentes).",
                "Priority area: its name or short name (in brackets).",
            ),
            area_list,
            "kompetensforsorjning",
        ],
        [
            header(TYPE),
            with_finding,
            "",
            _labels(FindingType, language),
            word(FindingType.CHALLENGE),
        ],
        [
            header(TEXT),
            with_finding,
            say("Vad företaget sa.", "What the company said."),
            say("Text, högst 4 000 tecken", "Text, at most 4,000 characters"),
            say(
                "Svårt att hitta svetsare med rätt certifikat.",
                "Hard to find welders with the right certificate.",
            ),
        ],
        [
            header(IMPORTANCE),
            optional,
            say("Tomt = 2.", "Empty = 2."),
            say("1 = låg, 2 = medel, 3 = hög", "1 = low, 2 = medium, 3 = high"),
            "3",
        ],
        [
            header(QUOTE),
            optional,
            say("Ordagrant citat.", "A word-for-word quote."),
            say("Text, högst 2 000 tecken", "Text, at most 2,000 characters"),
            say("Vi har annonserat i ett halvår.", "We have advertised for six months."),
        ],
        [header(KEY_QUOTE), optional, say("Tomt = Nej.", "Empty = No."), f"{yes}, {no}", no],
        [
            header(CONFIDENTIAL),
            optional,
            say(
                "Affärshemlighet (OSL 31:16). Tomt = Nej.",
                "Trade secret (OSL 31:16). Empty = No.",
            ),
            f"{yes}, {no}",
            no,
        ],
        [],
        [
            say("Allmänt", "General"),
            "",
            say(
                "Första raden på bladet Intervjuer är rubrikerna; låt dem stå kvar. "
                "En rad per synpunkt. En intervju utan synpunkter får en rad med tomma "
                "synpunktskolumner. Inget importeras förrän hela filen är felfri. Högst 5 000 "
                "rader och 5 MB. Du blir intervjuare för de importerade intervjuerna. "
                "Kolumnerna för kontaktperson får saknas i filen.",
                "The first row of the sheet Interviews holds the headers; leave them in place. "
                "One row per finding. An interview without findings gets one row with empty "
                "finding columns. Nothing is imported until the whole file is free of problems. "
                "At most 5,000 rows and 5 MB. You become the interviewer of the imported "
                "interviews. The contact person's columns may be left out of the file.",
            ),
            "",
            "",
        ],
    ]


_INSTRUCTION_COLUMNS = {
    SWEDISH: ("Kolumn", "Obligatorisk", "Beskrivning", "Tillåtna värden", "Exempel"),
    ENGLISH: ("Column", "Required", "Description", "Allowed values", "Example"),
}


def import_template_workbook(language: str = SWEDISH) -> bytes:
    """The empty import workbook in `language`: the data sheet with headers, and the
    instructions."""
    widths = (22, 16, 50, 60, 26)
    instructions = Sheet(
        INSTRUCTIONS_SHEETS[language],
        [
            Column(title, width)
            for title, width in zip(_INSTRUCTION_COLUMNS[language], widths, strict=True)
        ],
        _instruction_rows(language),
    )
    return sheets_workbook(
        [Sheet(DATA_SHEETS[language], import_columns(language), []), instructions]
    )
