"""The summary workbook: opens cleanly, holds the figures it was given, never runs a formula."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports.workbook import (
    ACTIVITIES_SHEET,
    FINDINGS_SHEET,
    INDICATORS_SHEET,
    OVERVIEW_SHEET,
    PROPOSALS_SHEET,
    area_sheet_title,
    sheet_title,
    summary_workbook,
)
from smeportal.areas.seed import SIX_AREAS
from tests.reports.test_dashboard import make_summary

AREA_SHEETS = [
    "1 Kommunikation",
    "2 Attraktivitet",
    "3 Service",
    "4 Kompetensförsörjning",
    "5 Upphandling",
    "6 Tillväxtförutsättningar",
]
OVERVIEW_HEADER_ROW = 5


def make_rows() -> dict[str, list[dict]]:
    return {
        "findings": [
            {
                "area": SIX_AREAS[2][1],
                "type": "Utmaning",
                "text": "=1+1",
                "importance": 3,
                "industry": "F – Byggverksamhet",
                "size_class": "1–9 anställda",
                "interview_date": datetime.date(2025, 3, 14),
                "quote": "@SUMMA(A1)",
                "quote_attribution": "ett företag inom Byggverksamhet",
            },
            {
                "area": SIX_AREAS[3][1],
                "type": "Idé",
                "text": "Praktikplatser via skolan",
                "importance": 2,
                "industry": "C – Tillverkning",
                "size_class": "10–49 anställda",
                # As it comes back from JSON: an ISO string.
                "interview_date": "2025-04-02",
                "quote": "",
                "quote_attribution": "",
            },
        ],
        "proposals": [
            {
                "workshop": "Företagsdialog 11 november",
                "workshop_date": datetime.date(2025, 11, 11),
                "group": "Bord 3",
                "area": SIX_AREAS[2][1],
                "title": "+46 bygglovslots",
                "actor": "Kommunen",
                "horizon": "Inom 1 år",
                "effect": 3,
                "effort": 2,
                "votes": 14,
                "status": "Ny",
                "merged_into": "",
            }
        ],
        "activities": [
            {
                "title": "Bygglovslots",
                "areas": SIX_AREAS[2][1],
                "party": "Näringslivskontoret",
                "party_kind": "Kommunal förvaltning",
                "status": "Pågår",
                "progress": 0.5,
                "start_date": datetime.date(2025, 1, 1),
                "due_date": datetime.date(2025, 6, 30),
                "overdue": "Ja",
            }
        ],
        "indicators": [
            {
                "name": "Sammanfattande omdöme",
                "unit": "betyg 1–6",
                "direction": "Högre är bättre",
                "baseline_value": 3.3,
                "baseline_date": datetime.date(2021, 6, 1),
                "target_value": 4.0,
                "target_date": datetime.date(2030, 6, 1),
                "latest_value": 3.4,
                "latest_date": datetime.date(2024, 6, 1),
                "progress": 0.14,
                "status": "Risk",
            }
        ],
    }


@pytest.fixture
def workbook():
    content = summary_workbook(make_summary(), rows=make_rows())
    return load_workbook(BytesIO(content))


def header(sheet, row: int = 1) -> list:
    return [cell.value for cell in sheet[row] if cell.value is not None]


def test_sheet_names(workbook):
    assert workbook.sheetnames[0] == OVERVIEW_SHEET
    assert workbook.sheetnames[1:7] == AREA_SHEETS
    for name in (FINDINGS_SHEET, PROPOSALS_SHEET, ACTIVITIES_SHEET, INDICATORS_SHEET):
        assert name in workbook.sheetnames
    for name in workbook.sheetnames:
        assert len(name) <= 31
        assert not set(name) & set("[]:*?/\\")


def test_overview_compares_the_six_areas(workbook):
    sheet = workbook[OVERVIEW_SHEET]
    headers = header(sheet, OVERVIEW_HEADER_ROW)
    assert headers[:4] == ["Område", "Blad", "Intervjuer", "Företag"]
    for wanted in (
        "Andel av företagen",
        "Utmaningar",
        "Idéer",
        "Styrkor",
        "Medelbetyg (1–6)",
        "Förslag",
        "Röster",
        "Aktiviteter",
        "Aktiviteter i tid",
        "Försenade aktiviteter",
        "Genomsnittlig framdrift",
        "Mätetal i fas",
        "Mätetal risk",
        "Mätetal efter",
        "Utmaningar utan förslag",
        "Förslag utanför planen",
    ):
        assert wanted in headers
    column = {name: index for index, name in enumerate(headers)}
    summary = make_summary()
    for offset, area in enumerate(summary["areas"]):
        row = [cell.value for cell in sheet[OVERVIEW_HEADER_ROW + 1 + offset]]
        assert row[column["Område"]] == area["name"]
        assert row[column["Blad"]] == AREA_SHEETS[offset]
        assert row[column["Intervjuer"]] == area["interviews"]
        assert row[column["Företag"]] == area["companies"]
        assert row[column["Andel av företagen"]] == pytest.approx(area["company_share"])
        assert row[column["Utmaningar"]] == area["findings_by_type"]["utmaning"]
        assert row[column["Förslag"]] == 6
        assert row[column["Röster"]] == area["proposal_votes"]
        assert row[column["Aktiviteter"]] == 5
        assert row[column["Försenade aktiviteter"]] == area["activities_overdue"]
        assert row[column["Genomsnittlig framdrift"]] == pytest.approx(0.45)
        assert row[column["Mätetal efter"]] == 2
        assert row[column["Utmaningar utan förslag"]] == 7 + offset + 1
    first = sheet[OVERVIEW_HEADER_ROW + 1]
    assert first[column["Andel av företagen"]].number_format == "0%"
    assert first[column["Medelbetyg (1–6)"]].number_format == "0.0"
    assert first[column["Medelbetyg (1–6)"]].value == pytest.approx(3.4)
    # Area 5 has no grade: an empty cell, not a zero.
    assert sheet[OVERVIEW_HEADER_ROW + 5][column["Medelbetyg (1–6)"]].value is None


def test_overview_header_is_styled_and_frozen(workbook):
    sheet = workbook[OVERVIEW_SHEET]
    cell = sheet.cell(row=OVERVIEW_HEADER_ROW, column=1)
    assert cell.font.bold
    assert cell.fill.fill_type == "solid"
    assert cell.border.bottom.style == "thin"
    assert sheet.freeze_panes == f"C{OVERVIEW_HEADER_ROW + 1}"
    assert sheet.column_dimensions["A"].width > 30


def test_overview_has_a_bar_chart_with_titles(workbook):
    sheet = workbook[OVERVIEW_SHEET]
    assert len(sheet._charts) == 1
    chart = sheet._charts[0]
    assert chart.tagname == "barChart"
    assert len(chart.series) == 2

    def text_of(title):
        return "".join(run.t for paragraph in title.tx.rich.p for run in paragraph.r or [])

    assert text_of(chart.title) == "Företag och utmaningar per område"
    assert text_of(chart.x_axis.title) == "Prioriterat område"
    assert text_of(chart.y_axis.title) == "Antal"


def test_overview_shows_period_and_time_taken(workbook):
    sheet = workbook[OVERVIEW_SHEET]
    assert sheet["B2"].value == "Hela perioden"
    assert sheet["B3"].value == datetime.datetime(2026, 11, 29, 14, 5)
    assert sheet["B3"].is_date


def test_area_sheet_holds_its_blocks_and_figures(workbook):
    sheet = workbook["3 Service"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    first_column = [row[0] for row in values if row]
    assert first_column[0] == f"3. {SIX_AREAS[2][1]}"
    for block in (
        "Nyckeltal",
        "Synpunkter per typ",
        "Andel per bransch",
        "Andel per storleksklass",
        "Nyckelcitat",
        "Förslag per aktör",
        "Förslag per status",
        "Förslag med flest röster",
        "Aktiviteter per status",
        "Försenade aktiviteter",
        "Mätetal",
        "Luckor",
    ):
        assert block in first_column, block
    figures = {row[0]: row[1] for row in values if row and len(row) > 1}
    assert figures["Företag som tog upp området"] == 13
    assert figures["Intervjuer som tog upp området"] == 23
    assert "Citat om område 3" in first_column
    assert "Förslag 30: snabbare besked" in first_column
    assert "Försenad aktivitet 3" not in first_column  # area 3 has nothing overdue
    assert "Mätetal för område 3" in first_column
    assert "Svårt att nå rätt handläggare" in first_column
    overdue_sheet = workbook["1 Kommunikation"]
    dates = [
        row[1]
        for row in overdue_sheet.iter_rows()
        if row[0].value == "Försenad aktivitet 1" and len(row) > 1
    ]
    assert dates[0].is_date
    assert dates[0].value == datetime.datetime(2025, 10, 1)
    assert dates[0].number_format == "yyyy-mm-dd"
    assert overdue_sheet.freeze_panes == "A2"


def test_formula_like_text_comes_back_as_text(workbook):
    findings = workbook[FINDINGS_SHEET]
    assert header(findings)[:3] == ["Område", "Typ", "Synpunkt"]
    text = findings["C2"]
    assert text.value == "=1+1"
    assert text.data_type == "s"
    quote = findings["H2"]
    assert quote.value == "@SUMMA(A1)"
    assert quote.data_type == "s"
    proposal_title = workbook[PROPOSALS_SHEET]["E2"]
    assert proposal_title.value == "+46 bygglovslots"
    assert proposal_title.data_type == "s"


def test_data_sheets_have_frozen_headers_and_real_dates(workbook):
    findings = workbook[FINDINGS_SHEET]
    assert findings.freeze_panes == "A2"
    assert findings["A1"].font.bold
    interview_dates = [findings["G2"], findings["G3"]]
    for cell in interview_dates:
        assert cell.is_date
        assert cell.number_format == "yyyy-mm-dd"
    assert interview_dates[1].value == datetime.datetime(2025, 4, 2)

    activities = workbook[ACTIVITIES_SHEET]
    assert header(activities) == [
        "Aktivitet",
        "Områden",
        "Ansvarig part",
        "Typ av part",
        "Status",
        "Framsteg",
        "Startdatum",
        "Slutdatum",
        "Försenad",
    ]
    assert activities["F2"].value == pytest.approx(0.5)
    assert activities["F2"].number_format == "0%"
    assert activities["H2"].is_date
    assert activities["I2"].value == "Ja"

    indicators = workbook[INDICATORS_SHEET]
    row = {name: cell.value for name, cell in zip(header(indicators), indicators[2], strict=False)}
    assert row["Mätetal"] == "Sammanfattande omdöme"
    assert row["Senaste värde"] == pytest.approx(3.4)
    assert row["Framsteg"] == pytest.approx(0.14)
    assert row["Status"] == "Risk"


def test_without_rows_there_are_no_data_sheets():
    content = summary_workbook(make_summary())
    workbook = load_workbook(BytesIO(content))
    assert FINDINGS_SHEET not in workbook.sheetnames
    assert workbook.sheetnames[1:7] == AREA_SHEETS


def test_progress_is_reported_in_increasing_steps():
    seen: list[int] = []
    summary_workbook(make_summary(), rows=make_rows(), on_progress=seen.append)
    assert seen == sorted(seen)
    assert len(set(seen)) == len(seen)
    assert seen[-1] == 100
    assert seen[0] > 0


def test_an_empty_summary_still_makes_a_workbook():
    content = summary_workbook({"areas": [], "totals": {}, "period": {}})
    workbook = load_workbook(BytesIO(content))
    assert workbook.sheetnames[0] == OVERVIEW_SHEET
    assert workbook[OVERVIEW_SHEET]._charts == []


def test_sheet_titles_are_valid_and_unique():
    assert sheet_title("Fel: [a/b]*?\\") == "Fel ab"
    assert len(sheet_title("x" * 50)) == 31
    assert sheet_title("Översikt", taken=["översikt"]) == "Översikt (2)"
    assert area_sheet_title(3, {"name": "Service till företag"}) == "3 Service"
    assert area_sheet_title(2, {"name": "Attraktivitet, trygghet"}) == "2 Attraktivitet"
    long_name = {"name": "Tillväxtförutsättningarochhållbarnäringslivsutveckling"}
    assert len(area_sheet_title(6, long_name)) == 31


def test_summary_with_a_period_names_it():
    content = summary_workbook(make_summary(period=("2025-01-01", "2025-12-31")))
    sheet = load_workbook(BytesIO(content))[OVERVIEW_SHEET]
    assert sheet["B2"].value == "2025-01-01 – 2025-12-31"


@pytest.mark.django_db
def test_workbook_from_a_computed_summary_and_rows():
    """The real producers: summary_compute's dict and summary_rows' rows go in as they are."""
    from reports import summary as summary_module
    from reports.rows import summary_rows
    from tests.factories import FindingFactory, IndicatorFactory, MeasurementFactory

    FindingFactory(text="-2+3 är för mycket")
    MeasurementFactory(indicator=IndicatorFactory())
    summary = summary_module.summary_compute()
    content = summary_workbook(summary, rows=summary_rows())
    workbook = load_workbook(BytesIO(content))
    assert workbook.sheetnames[1:7] == AREA_SHEETS
    cell = workbook[FINDINGS_SHEET]["C2"]
    assert cell.value == "-2+3 är för mycket"
    assert cell.data_type == "s"


def test_libreoffice_opens_the_workbook(tmp_path):
    """LibreOffice converts the file to PDF: it opens cleanly outside openpyxl too."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.fail("LibreOffice is missing: run `make system-deps` (libreoffice-calc-nogui).")
    source = tmp_path / "sammanstallning.xlsx"
    source.write_bytes(summary_workbook(make_summary(), rows=make_rows()))
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "sammanstallning.pdf"
    assert pdf.exists()
    assert pdf.read_bytes().startswith(b"%PDF")
