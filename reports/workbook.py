"""The summary workbook: the six priority areas side by side, one sheet per area, and the data.

`summary_workbook_write(summary, target, rows=..., on_progress=...)` writes an .xlsx file to a
path or binary file (`summary_workbook` returns its bytes, for small data) from a summary dict
(the structure documented in reports/summary.py) and, optionally, the row-level data from
reports/rows.py:

- "Översikt": one row per area with the figures that compare them, the totals, and an Excel
  bar chart of the companies and challenges per area;
- "1 Kommunikation", "2 Attraktivitet", …: one sheet per area with its figures in labelled
  blocks (findings by type, shares by industry and size, key quotes, proposals, activities,
  indicators, gaps);
- "Synpunkter", "Förslag", "Aktiviteter", "Mätetal": the rows behind the figures, when given.
  Every row is written (every finding that is not confidential, whatever the number); the rows
  may be streams, written as they come and never held. A sheet holds at most Excel's 1,048,576
  rows: beyond that the rows go on in "Synpunkter 2", "Synpunkter 3", … with the same header.

The workbook is a Swedish document for Tillväxtrådet, so its headers are written in Swedish and
choice labels are taken in Swedish whatever the language of the request. Every text cell goes
through smeportal.core.xlsx, so nothing a user typed is ever run as a formula.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import IO, Any

from django.utils import timezone, translation
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from actionplan.choices import ActivityStatus, CelebrationKind, Direction, IndicatorStatus
from interviews.choices import FindingType
from smeportal.core.xlsx import (
    EXCEL_MAX_ROWS,
    Column,
    SplitSheetWriter,
    discard_workbook,
    formula_safe,
    header_cell,
    new_workbook,
)
from workshops.choices import Actor, ProposalStatus

REPORT_LANGUAGE = "sv"
OVERVIEW_SHEET = "Översikt"
FINDINGS_SHEET = "Synpunkter"
PROPOSALS_SHEET = "Förslag"
ACTIVITIES_SHEET = "Aktiviteter"
INDICATORS_SHEET = "Mätetal"

PERCENT = "0%"
DECIMAL = "0.0"  # Excel shows it with the reader's decimal separator ("3,4" in Sweden)
INTEGER = "0"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"

MAX_SHEET_TITLE = 31
_ILLEGAL_SHEET_CHARACTERS = str.maketrans("", "", "[]:*?/\\")

_TITLE_FONT = Font(bold=True, size=14)
_BLOCK_FONT = Font(bold=True, size=12)
_EMPTY_FONT = Font(italic=True)
_WRAP = Alignment(wrap_text=True, vertical="top")

Progress = Callable[[int], None]
# Share of the progress taken by the data sheets (the rest: the overview and area sheets
# before, saving the file after).
DATA_SHEETS_FROM, DATA_SHEETS_TO = 10, 95
# How often, in rows, the progress is worked out while a data sheet is written.
PROGRESS_EVERY = 5_000


# --- Small helpers -----------------------------------------------------------------------------


def sheet_title(text: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique sheet name: at most 31 characters and none of []:*?/\\ ."""
    title = text.translate(_ILLEGAL_SHEET_CHARACTERS).strip().strip("'")[:MAX_SHEET_TITLE]
    title = title or "Blad"
    taken = {name.lower() for name in taken}
    candidate, number = title, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate = title[: MAX_SHEET_TITLE - len(suffix)] + suffix
        number += 1
    return candidate


def area_sheet_title(position: int, area: dict, taken: Iterable[str] = ()) -> str:
    """ "1 Kommunikation": the area's position and the first word of its name."""
    name = str(area.get("name") or area.get("slug") or "")
    first_word = name.split()[0].rstrip(",;.") if name.split() else ""
    return sheet_title(f"{position} {first_word}".strip(), taken)


def _label(choices, code) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return "" if code is None else str(code)


def _as_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_datetime(value) -> datetime | None:
    """A naive local datetime: Excel cells have no time zone."""
    if value in (None, ""):
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None)


def _as_number(value) -> float | int | None:
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return value
    return float(value)


def _share_of_percent(value) -> float | None:
    """A percentage (0–100) as the share Excel's "0%" format expects."""
    number = _as_number(value)
    return None if number is None else number / 100


def period_text(period: dict | None) -> str:
    period = period or {}
    start, end = period.get("start"), period.get("end")
    if not start and not end:
        return "Hela perioden"
    return f"{start or '…'} – {end or '…'}"


@dataclass(frozen=True)
class Field:
    """One column of a data sheet: the row key, the Swedish header, width and number format."""

    key: str
    header: str
    width: float = 16
    number_format: str | None = None
    kind: str = "value"  # "value", "date" or "share"


# Whole numbers need no number format on the data sheets (Excel's General shows them as they
# are), so those cells go in plain: a style on every row's cell is what costs most in writing.
FINDING_FIELDS = (
    Field("area", "Område", 40),
    Field("type", "Typ", 12),
    Field("text", "Synpunkt", 60),
    Field("importance", "Vikt (1–3)", 10),
    Field("industry", "Bransch", 36),
    Field("size_class", "Storleksklass", 20),
    Field("interview_date", "Intervjudatum", 14, DATE, "date"),
    Field("quote", "Citat", 50),
    Field("quote_attribution", "Citatets källa", 30),
)
PROPOSAL_FIELDS = (
    Field("workshop", "Workshop", 30),
    Field("workshop_date", "Workshopdatum", 14, DATE, "date"),
    Field("group", "Grupp", 14),
    Field("area", "Område", 40),
    Field("title", "Förslag", 50),
    Field("actor", "Aktör", 18),
    Field("horizon", "Tidshorisont", 14),
    Field("effect", "Effekt (1–3)", 10),
    Field("effort", "Insats (1–3)", 10),
    Field("votes", "Röster", 10),
    Field("status", "Status", 20),
    Field("merged_into", "Sammanslaget med", 40),
)
ACTIVITY_FIELDS = (
    Field("title", "Aktivitet", 50),
    Field("areas", "Områden", 40),
    Field("party", "Ansvarig part", 28),
    Field("party_kind", "Typ av part", 22),
    Field("status", "Status", 14),
    Field("progress", "Framsteg", 10, PERCENT, "share"),
    Field("start_date", "Startdatum", 14, DATE, "date"),
    Field("due_date", "Slutdatum", 14, DATE, "date"),
    Field("overdue", "Försenad", 10),
)
INDICATOR_FIELDS = (
    Field("name", "Mätetal", 40),
    Field("unit", "Enhet", 14),
    Field("direction", "Riktning", 18),
    Field("baseline_value", "Utgångsvärde", 12),
    Field("baseline_date", "Utgångsdatum", 14, DATE, "date"),
    Field("target_value", "Målvärde", 12),
    Field("target_date", "Måldatum", 14, DATE, "date"),
    Field("latest_value", "Senaste värde", 12),
    Field("latest_date", "Senaste mätning", 14, DATE, "date"),
    Field("progress", "Framsteg", 10, PERCENT, "share"),
    Field("status", "Status", 22),
)
DATA_SHEETS = (
    ("findings", FINDINGS_SHEET, FINDING_FIELDS),
    ("proposals", PROPOSALS_SHEET, PROPOSAL_FIELDS),
    ("activities", ACTIVITIES_SHEET, ACTIVITY_FIELDS),
    ("indicators", INDICATORS_SHEET, INDICATOR_FIELDS),
)

# (header, width, number format, value of an area)
OVERVIEW_COLUMNS: tuple[tuple[str, float, str | None, Callable[[dict], Any]], ...] = (
    ("Område", 44, None, lambda area: area.get("name", "")),
    ("Blad", 24, None, lambda area: area["_sheet"]),
    ("Intervjuer", 11, INTEGER, lambda area: area.get("interviews", 0)),
    ("Företag", 10, INTEGER, lambda area: area.get("companies", 0)),
    ("Andel av företagen", 11, PERCENT, lambda area: _as_number(area.get("company_share"))),
    ("Utmaningar", 11, INTEGER, lambda area: _by_type(area, "utmaning")),
    ("Idéer", 9, INTEGER, lambda area: _by_type(area, "ide")),
    ("Styrkor", 9, INTEGER, lambda area: _by_type(area, "styrka")),
    ("Medelbetyg (1–6)", 11, DECIMAL, lambda area: _as_number(area.get("average_grade"))),
    ("Förslag", 9, INTEGER, lambda area: _total(area.get("proposals_by_status"))),
    ("Röster", 9, INTEGER, lambda area: area.get("proposal_votes", 0)),
    ("Aktiviteter", 11, INTEGER, lambda area: _total(area.get("activities_by_status"))),
    ("Aktiviteter i tid", 11, INTEGER, lambda area: area.get("activities_on_track", 0)),
    ("Försenade aktiviteter", 11, INTEGER, lambda area: area.get("activities_overdue", 0)),
    (
        "Genomsnittlig framdrift",
        14,
        PERCENT,
        lambda area: _share_of_percent(area.get("activities_average_progress")),
    ),
    ("Mätetal i fas", 10, INTEGER, lambda area: _by_status(area, "i_fas")),
    ("Mätetal risk", 10, INTEGER, lambda area: _by_status(area, "risk")),
    ("Mätetal efter", 10, INTEGER, lambda area: _by_status(area, "efter")),
    ("Mätetal att uppdatera", 12, INTEGER, lambda area: _by_status(area, "behover_uppdateras")),
    (
        "Utmaningar utan förslag",
        12,
        INTEGER,
        lambda area: (area.get("gaps") or {}).get("challenges_without_proposal", 0),
    ),
    (
        "Förslag utanför planen",
        12,
        INTEGER,
        lambda area: (area.get("gaps") or {}).get("proposals_outside_plan", 0),
    ),
)
_COMPANIES_COLUMN = 4
_CHALLENGES_COLUMN = 6
_SHEET_NAME_COLUMN = 2


def _by_type(area: dict, code: str) -> int:
    return (area.get("findings_by_type") or {}).get(code, 0)


def _by_status(area: dict, code: str) -> int:
    return (area.get("indicators_by_status") or {}).get(code, 0)


def _total(counts: dict | None) -> int:
    return sum((counts or {}).values())


# --- Writing a sheet row by row ----------------------------------------------------------------


def _landscape(worksheet) -> None:
    # Printed on landscape pages as wide as the sheet, for the council's meeting papers.
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True


def _header_lines(texts: Sequence[str], widths: Sequence[float]) -> int:
    return max(
        (
            math.ceil(len(text) * 1.1 / width)
            for text, width in zip(texts, widths, strict=False)
            if width
        ),
        default=1,
    )


class _SheetWriter:
    """Appends rows to a write-only sheet, one fresh cell per value, and counts them."""

    def __init__(self, worksheet, widths: Sequence[float]):
        self.worksheet = worksheet
        self.widths = list(widths)
        self.rows = 0
        for index, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        _landscape(worksheet)

    def cell(self, value, number_format: str | None = None, font: Font | None = None):
        if isinstance(value, datetime):
            value = _as_datetime(value)
            number_format = number_format or DATETIME
        cell = formula_safe(self.worksheet, value)
        if number_format and value is not None:
            cell.number_format = number_format
        if font is not None:
            cell.font = font
        return cell

    def append(self, cells: Sequence) -> None:
        self.worksheet.append(list(cells))
        self.rows += 1

    def values(self, values: Sequence, formats: Sequence[str | None] = ()) -> None:
        formats = list(formats) + [None] * (len(values) - len(formats))
        cells = []
        for index, (value, number_format) in enumerate(zip(values, formats, strict=True)):
            cell = self.cell(value, number_format)
            width = self.widths[index] if index < len(self.widths) else 0
            if isinstance(value, str) and len(value) > width:
                # A quote or a finding longer than its column wraps instead of being cut off.
                cell.alignment = _WRAP
            cells.append(cell)
        self.append(cells)

    def title(self, text: str) -> None:
        self.append([self.cell(text, font=_TITLE_FONT)])

    def header(self, texts: Sequence[str]) -> None:
        # Wrapped header text needs a taller row: LibreOffice does not grow it on opening.
        lines = _header_lines(texts, self.widths)
        if lines > 1:
            self.worksheet.row_dimensions[self.rows + 1].height = 15 * lines
        self.append([header_cell(self.worksheet, text) for text in texts])

    def blank(self) -> None:
        self.append([])

    def block(
        self,
        title: str,
        headers: Sequence[str],
        rows: Sequence[Sequence],
        formats: Sequence[str | None] = (),
        empty: str = "Inga uppgifter",
    ) -> None:
        """A labelled block: its title, a styled header row, the rows, then a blank row."""
        self.append([self.cell(title, font=_BLOCK_FONT)])
        self.header(headers)
        for row in rows:
            self.values(row, formats)
        if not rows:
            self.append([self.cell(empty, font=_EMPTY_FONT)])
        self.blank()


# --- The sheets ----------------------------------------------------------------------------


def _write_overview(workbook, summary: dict, areas: list[dict]) -> None:
    worksheet = workbook.create_sheet(OVERVIEW_SHEET)
    writer = _SheetWriter(worksheet, [width for _header, width, _fmt, _value in OVERVIEW_COLUMNS])
    header_row = 5
    # Panes are fixed before the first row of a write-only sheet: keep the area names and the
    # header in view.
    worksheet.freeze_panes = f"{get_column_letter(_SHEET_NAME_COLUMN + 1)}{header_row + 1}"
    writer.title("Sammanställning av de prioriterade områdena")
    writer.values(["Period", period_text(summary.get("period"))])
    writer.values(["Framtagen", _as_datetime(summary.get("taken_at"))], [None, DATETIME])
    writer.blank()
    writer.header([header for header, _width, _fmt, _value in OVERVIEW_COLUMNS])
    for area in areas:
        writer.values(
            [value(area) for _header, _width, _fmt, value in OVERVIEW_COLUMNS],
            [number_format for _header, _width, number_format, _value in OVERVIEW_COLUMNS],
        )
    last_area_row = header_row + len(areas)
    writer.blank()

    totals = summary.get("totals") or {}
    writer.append([writer.cell("Totalt för alla områden", font=_BLOCK_FONT)])
    writer.header(["Mått", "Antal"])
    for label, value, number_format in (
        ("Intervjuer", totals.get("interviews", 0), INTEGER),
        ("Intervjuade företag", totals.get("companies", 0), INTEGER),
        ("Synpunkter", totals.get("findings", 0), INTEGER),
        ("Förslag", totals.get("proposals", 0), INTEGER),
        ("Aktiviteter", totals.get("activities", 0), INTEGER),
        ("Mätetal", totals.get("indicators", 0), INTEGER),
        ("Medelbetyg (1–6)", _as_number(totals.get("average_grade")), DECIMAL),
    ):
        writer.values([label, value], [None, number_format])
    writer.blank()
    if areas:
        worksheet.add_chart(
            _overview_chart(worksheet, header_row, last_area_row), f"A{writer.rows + 2}"
        )


def _overview_chart(worksheet, header_row: int, last_row: int) -> BarChart:
    """Companies raising each area and the challenges they brought, as horizontal bars."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.style = 10
    chart.title = "Företag och utmaningar per område"
    chart.x_axis.title = "Prioriterat område"
    chart.y_axis.title = "Antal"
    # openpyxl leaves the axes' "delete" flag unset, which recent Excel reads as hidden.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    # Area 1 at the top, as in the table.
    chart.x_axis.scaling.orientation = "maxMin"
    for column in (_COMPANIES_COLUMN, _CHALLENGES_COLUMN):
        chart.add_data(
            Reference(worksheet, min_col=column, min_row=header_row, max_row=last_row),
            titles_from_data=True,
        )
    chart.set_categories(
        Reference(worksheet, min_col=_SHEET_NAME_COLUMN, min_row=header_row + 1, max_row=last_row)
    )
    # The number at the end of each bar, and nothing else (LibreOffice adds the category and
    # series names to a label unless told not to).
    chart.dataLabels = DataLabelList(
        showVal=True, showCatName=False, showSerName=False, showLegendKey=False, showPercent=False
    )
    chart.legend.position = "b"
    chart.width = 24
    chart.height = max(9, 2 + 1.6 * (last_row - header_row))
    return chart


def _area_rows(area: dict) -> dict[str, list[list]]:
    """The area's figures as the rows of its sheet's blocks."""

    def shares(items):
        return [
            [
                item.get("label") or item.get("code"),
                item.get("companies", 0),
                item.get("interviewed", 0),
                _as_number(item.get("share")),
            ]
            for item in items or []
        ]

    gaps = area.get("gaps") or {}
    return {
        "key_figures": [
            ["Intervjuer som tog upp området", area.get("interviews", 0), INTEGER],
            ["Företag som tog upp området", area.get("companies", 0), INTEGER],
            [
                "Andel av de intervjuade företagen",
                _as_number(area.get("company_share")),
                PERCENT,
            ],
            ["Medelbetyg (1–6)", _as_number(area.get("average_grade")), DECIMAL],
            [
                "Förslag (sammanslagna ej medräknade)",
                _total(area.get("proposals_by_status")),
                INTEGER,
            ],
            ["Röster på förslagen", area.get("proposal_votes", 0), INTEGER],
            ["Aktiviteter", _total(area.get("activities_by_status")), INTEGER],
            ["Aktiviteter i tid", area.get("activities_on_track", 0), INTEGER],
            ["Försenade aktiviteter", area.get("activities_overdue", 0), INTEGER],
            [
                "Genomsnittlig framdrift",
                _share_of_percent(area.get("activities_average_progress")),
                PERCENT,
            ],
        ],
        "findings_by_type": [
            [_label(FindingType, code), count]
            for code, count in (area.get("findings_by_type") or {}).items()
        ],
        "by_industry": shares(area.get("share_by_industry")),
        "by_size": shares(area.get("share_by_size")),
        "quotes": [
            [quote.get("text", ""), quote.get("attribution", "")]
            for quote in area.get("key_quotes") or []
        ],
        "by_actor": [
            [_label(Actor, code), count]
            for code, count in (area.get("proposals_by_actor") or {}).items()
        ],
        "by_status": [
            [_label(ProposalStatus, code), count]
            for code, count in (area.get("proposals_by_status") or {}).items()
        ],
        "top_proposals": [
            [
                proposal.get("title", ""),
                proposal.get("votes", 0),
                _label(Actor, proposal.get("actor")),
                _label(ProposalStatus, proposal.get("status")),
            ]
            for proposal in area.get("top_proposals") or []
        ],
        "activities_by_status": [
            [_label(ActivityStatus, code), count]
            for code, count in (area.get("activities_by_status") or {}).items()
        ],
        "overdue": [
            [activity.get("title", ""), _as_date(activity.get("due_date"))]
            for activity in area.get("overdue_activities") or []
        ],
        "indicators": [
            [
                indicator.get("name", ""),
                indicator.get("unit", ""),
                _label(Direction, indicator.get("direction")),
                _as_number(indicator.get("latest_value")),
                _as_date(indicator.get("latest_date")),
                _as_number(indicator.get("progress")),
                _label(IndicatorStatus, indicator.get("status")),
                _as_number(indicator.get("target_value")),
                _as_date(indicator.get("target_date")),
            ]
            for indicator in area.get("indicators") or []
        ],
        "indicators_by_status": [
            [_label(IndicatorStatus, code), count]
            for code, count in (area.get("indicators_by_status") or {}).items()
        ],
        "gaps": [
            ["Utmaningar som inget förslag tar upp", gaps.get("challenges_without_proposal", 0)],
            [
                "Förslag som inte finns i handlingsplanen",
                gaps.get("proposals_outside_plan", 0),
            ],
        ],
        "challenge_examples": [[text] for text in gaps.get("challenge_examples") or []],
        "proposal_examples": [
            [example.get("title", ""), example.get("companies", 0), example.get("votes", 0)]
            for example in gaps.get("proposal_examples") or []
        ],
    }


def _write_area(workbook, area: dict, position: int) -> None:
    worksheet = workbook.create_sheet(area["_sheet"])
    writer = _SheetWriter(worksheet, [48, 16, 16, 16, 14, 14, 16, 14, 14])
    worksheet.freeze_panes = "A2"
    writer.title(f"{position}. {area.get('name', '')}")
    writer.blank()
    rows = _area_rows(area)
    writer.append([header_cell(worksheet, "Nyckeltal")])
    for label, value, number_format in rows["key_figures"]:
        writer.values([label, value], [None, number_format])
    writer.blank()
    writer.block("Synpunkter per typ", ["Typ", "Antal"], rows["findings_by_type"], [None, INTEGER])
    share_headers = ["Företag som tog upp området", "Intervjuade företag", "Andel"]
    share_formats = [None, INTEGER, INTEGER, PERCENT]
    writer.block(
        "Andel per bransch", ["Bransch", *share_headers], rows["by_industry"], share_formats
    )
    writer.block(
        "Andel per storleksklass", ["Storleksklass", *share_headers], rows["by_size"], share_formats
    )
    writer.block("Nyckelcitat", ["Citat", "Källa"], rows["quotes"])
    writer.block("Förslag per aktör", ["Aktör", "Antal"], rows["by_actor"], [None, INTEGER])
    writer.block("Förslag per status", ["Status", "Antal"], rows["by_status"], [None, INTEGER])
    writer.block(
        "Förslag med flest röster",
        ["Förslag", "Röster", "Aktör", "Status"],
        rows["top_proposals"],
        [None, INTEGER],
    )
    writer.block(
        "Aktiviteter per status", ["Status", "Antal"], rows["activities_by_status"], [None, INTEGER]
    )
    writer.block("Försenade aktiviteter", ["Aktivitet", "Slutdatum"], rows["overdue"], [None, DATE])
    writer.block(
        "Mätetal",
        [
            "Mätetal",
            "Enhet",
            "Riktning",
            "Senaste värde",
            "Senaste mätning",
            "Framsteg",
            "Status",
            "Målvärde",
            "Måldatum",
        ],
        rows["indicators"],
        [None, None, None, None, DATE, PERCENT, None, None, DATE],
    )
    writer.block(
        "Mätetal per status", ["Status", "Antal"], rows["indicators_by_status"], [None, INTEGER]
    )
    writer.block("Luckor", ["Mått", "Antal"], rows["gaps"], [None, INTEGER])
    writer.block("Exempel på utmaningar utan förslag", ["Synpunkt"], rows["challenge_examples"])
    writer.block(
        "Exempel på förslag utanför handlingsplanen",
        ["Förslag", "Företag", "Röster"],
        rows["proposal_examples"],
        [None, INTEGER, INTEGER],
    )


def _data_value(field: Field, value):
    if field.kind == "date":
        return _as_date(value)
    if field.kind == "share":
        return _as_number(value)
    return value


def _data_sheet_setup(fields: Sequence[Field]) -> Callable:
    def setup(worksheet) -> None:
        _landscape(worksheet)
        lines = _header_lines([field.header for field in fields], [f.width for f in fields])
        if lines > 1:
            # Wrapped header text needs a taller row: LibreOffice does not grow it on opening.
            worksheet.row_dimensions[1].height = 15 * lines

    return setup


def _write_data_sheet(
    workbook,
    title: str,
    fields: Sequence[Field],
    rows: Iterable[dict],
    *,
    on_row: Callable[[int], None],
    max_rows: int,
) -> list[str]:
    """One data sheet (more when the rows exceed a sheet), rows written as they come.

    Returns the titles of the sheets written.
    """
    writer = SplitSheetWriter(
        workbook,
        title,
        # A text longer than its column wraps instead of being cut off.
        [Column(field.header, field.width, field.number_format, wrap=True) for field in fields],
        max_rows=max_rows,
        setup=_data_sheet_setup(fields),
    )
    writer.start()
    keys = [field.key for field in fields]
    converted = [(index, field) for index, field in enumerate(fields) if field.kind != "value"]
    for row in rows:
        values = [row.get(key) for key in keys]
        for index, field in converted:
            values[index] = _data_value(field, values[index])
        writer.append(values)
        if writer.row_count % PROGRESS_EVERY == 0:
            on_row(writer.row_count)
    on_row(writer.row_count)
    return writer.sheet_titles


def _write_celebrations(workbook, summary: dict) -> None:
    celebrations = summary.get("celebrations") or []
    worksheet = workbook.create_sheet("Att fira")
    writer = _SheetWriter(worksheet, [60, 14, 28, 14])
    worksheet.freeze_panes = "A2"
    writer.header(["Vad", "Datum", "Slag", "Firat och kommunicerat"])
    for celebration in celebrations:
        writer.values(
            [
                celebration.get("title", ""),
                _as_date(celebration.get("occurred_on")),
                _label(CelebrationKind, celebration.get("kind")),
                "Ja" if celebration.get("is_celebrated") else "Nej",
            ],
            [None, DATE],
        )


# --- The workbook --------------------------------------------------------------------------


def summary_workbook(
    summary: dict,
    *,
    rows: Mapping[str, Iterable[dict]] | None = None,
    on_progress: Progress | None = None,
) -> bytes:
    """The summary as the bytes of an .xlsx file (for small data; see summary_workbook_write)."""
    buffer = BytesIO()
    summary_workbook_write(summary, buffer, rows=rows, on_progress=on_progress)
    return buffer.getvalue()


def summary_workbook_write(
    summary: dict,
    target: str | IO[bytes],
    *,
    rows: Mapping[str, Iterable[dict]] | None = None,
    row_counts: Mapping[str, int] | None = None,
    on_progress: Progress | None = None,
    max_rows: int = EXCEL_MAX_ROWS,
) -> None:
    """Write the summary as an .xlsx file to `target` (a path or a binary file).

    `rows` (from reports.rows.summary_row_streams or summary_rows) adds the data sheets;
    without it the workbook holds the figures only. The rows may be streams: each is iterated
    once, and nothing of it is kept. `row_counts` says how many rows a stream will give, so the
    progress can move while it is written (a list is counted by itself). `on_progress` is
    called with increasing percentages. `max_rows` is the rows per sheet (Excel's limit).
    """
    reported = 0

    def report(percent: int) -> None:
        nonlocal reported
        if on_progress is not None and percent > reported:
            reported = percent
            on_progress(percent)

    with translation.override(REPORT_LANGUAGE):
        workbook = new_workbook()
        try:
            _write_workbook(workbook, summary, target, rows, row_counts, report, max_rows)
        except BaseException:
            # A failure or the time limit: no temporary files left behind in the worker.
            discard_workbook(workbook)
            raise
    report(100)


def _write_workbook(workbook, summary, target, rows, row_counts, report, max_rows) -> None:
    """The sheets in order, then the file."""
    taken = [OVERVIEW_SHEET, "Att fira", *(title for _key, title, _fields in DATA_SHEETS)]
    areas = []
    for position, area in enumerate(summary.get("areas") or [], start=1):
        title = area_sheet_title(position, area, taken)
        taken.append(title)
        areas.append({**area, "_sheet": title})
    report(1)
    _write_overview(workbook, summary, areas)
    report(2)
    last_figures = DATA_SHEETS_FROM if rows is not None else DATA_SHEETS_TO
    for position, area in enumerate(areas, start=1):
        _write_area(workbook, area, position)
        report(2 + (last_figures - 2) * position // len(areas))
    _write_celebrations(workbook, summary)
    if rows is not None:
        _write_data_sheets(workbook, rows, row_counts or {}, report, max_rows)
    report(DATA_SHEETS_TO)
    workbook.save(target)


def _write_data_sheets(workbook, rows, row_counts, report: Progress, max_rows: int) -> None:
    """The data sheets, the progress moving with the rows written (weighted by their number)."""
    expected = {}
    for key, _title, _fields in DATA_SHEETS:
        given = rows.get(key) or []
        count = row_counts.get(key)
        if count is None and isinstance(given, Sequence):
            count = len(given)
        # A sheet of unknown length still counts, as one row.
        expected[key] = max(1, count or 0)
    total = sum(expected.values())
    done = 0
    span = DATA_SHEETS_TO - DATA_SHEETS_FROM
    for key, title, fields in DATA_SHEETS:

        def on_row(written: int, before: int = done, expected_here: int = expected[key]) -> None:
            progress = before + min(written, expected_here)
            report(DATA_SHEETS_FROM + span * progress // total)

        _write_data_sheet(
            workbook, title, fields, rows.get(key) or [], on_row=on_row, max_rows=max_rows
        )
        done += expected[key]
        report(DATA_SHEETS_FROM + span * done // total)
