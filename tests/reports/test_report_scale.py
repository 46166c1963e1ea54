"""The summary report and the dashboard at any size (issue 12): bounded work, never seconds.

The data sheets' rows are streamed (no model instances, memory that does not grow with the
rows), a sheet goes on in another beyond Excel's row limit, the progress moves while the rows are
written, the time limits fit together, and the dashboard reads the same small part of a
snapshot whatever the data behind it.
"""

from __future__ import annotations

import json
import re
import tempfile
import tracemalloc
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from interviews.models import Finding
from reports import rows as rows_module
from reports import services
from reports import workbook as workbook_module
from reports.floor import report_floor
from reports.models import ReportRun, SummarySnapshot
from reports.rows import summary_row_streams, summary_rows
from reports.services import report_run_execute
from reports.summary import summary_compute
from reports.tasks import build_scheduled_report, build_summary_report
from reports.workbook import FINDINGS_SHEET, summary_workbook_write
from smeportal.areas.models import PriorityArea
from tests.factories import (
    CompanyFactory,
    FindingFactory,
    InterviewFactory,
    ProposalFactory,
    WorkshopGroupFactory,
)
from workshops.models import Proposal

pytestmark = pytest.mark.django_db

LONG_TEXT = "Handläggningen av bygglov tar för lång tid och beskeden dröjer. " * 5


def add_findings(count: int, *, interviews: int = 10) -> None:
    """`count` findings over a few interviews, in bulk (every fifth with a quote)."""
    areas = list(PriorityArea.objects.filter(is_archived=False).order_by("order"))
    held = [
        InterviewFactory(company=CompanyFactory(industry="C"), date=date(2025, 1, 1 + index % 28))
        for index in range(interviews)
    ]
    Finding.objects.bulk_create(
        Finding(
            interview=held[index % interviews],
            area=areas[index % len(areas)],
            type=("utmaning", "ide", "styrka")[index % 3],
            text=f"{index}: {LONG_TEXT}",
            quote=f"Citat {index}: vi väntade i ett halvår." if index % 5 == 0 else "",
            is_key_quote=index % 10 == 0,
        )
        for index in range(count)
    )


# --- The data sheets are streamed ------------------------------------------------------------


def test_the_rows_of_findings_and_proposals_are_never_model_instances():
    add_findings(60)
    ProposalFactory.create_batch(3)
    made: list[type] = []

    def count(sender, **kwargs):
        made.append(sender)

    post_init.connect(count, sender=Finding)
    post_init.connect(count, sender=Proposal)
    try:
        streams = summary_row_streams()
        findings = sum(1 for _row in streams["findings"])
        proposals = sum(1 for _row in streams["proposals"])
    finally:
        post_init.disconnect(count, sender=Finding)
        post_init.disconnect(count, sender=Proposal)

    assert (findings, proposals) == (60, 3)
    assert made == []


def test_streams_are_read_in_chunks(monkeypatch):
    add_findings(25)
    monkeypatch.setattr(rows_module, "ROW_CHUNK", 10)
    with CaptureQueriesContext(connection) as queries:
        rows = summary_rows()
    assert len(rows["findings"]) == 25
    # One query per table whatever the chunks (fetched from one cursor).
    assert len(queries) == 6


def _peak_while_writing(tmp_path) -> int:
    streams = summary_row_streams()
    tracemalloc.start()
    try:
        with open(tmp_path / "rapport.xlsx", "wb") as target:
            summary_workbook_write(summary_compute(), target, rows=streams)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_while_writing_does_not_grow_with_the_rows(monkeypatch, tmp_path):
    """Four times the findings, the same peak: the rows are written as they come, never held.

    Held rows would cost at least their text: 1,500 more findings of 330 characters each is
    about 0.5 MB (more as dicts and cells); the peak may grow by a fraction of that only.
    """
    monkeypatch.setattr(rows_module, "ROW_CHUNK", 50)
    add_findings(500)
    _peak_while_writing(tmp_path)  # openpyxl's and Django's caches warmed up once
    small = _peak_while_writing(tmp_path)
    add_findings(1_500)
    large = _peak_while_writing(tmp_path)

    assert Finding.objects.count() == 2_000
    assert large - small < 100_000, (small, large)


def test_the_written_workbook_holds_every_finding(tmp_path):
    add_findings(40)
    run = report_run_execute(run_id=ReportRun.objects.create().pk)

    assert run.status == ReportRun.Status.DONE
    sheet = load_workbook(run.file.path, read_only=True)[FINDINGS_SHEET]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 40
    assert sorted(row[2] for row in rows) == sorted(f"{index}: {LONG_TEXT}" for index in range(40))


def test_a_sheet_goes_on_in_another_beyond_the_row_limit():
    FindingFactory.create_batch(5, text="=SUMMA(A1)")
    target = BytesIO()
    summary_workbook_write(summary_compute(), target, rows=summary_row_streams(), max_rows=3)

    workbook = load_workbook(BytesIO(target.getvalue()))
    sheets = [FINDINGS_SHEET, f"{FINDINGS_SHEET} 2", f"{FINDINGS_SHEET} 3"]
    assert [name for name in workbook.sheetnames if name.startswith(FINDINGS_SHEET)] == sheets
    written = []
    for name in sheets:
        sheet = workbook[name]
        assert sheet["A1"].value == "Område"
        assert sheet.freeze_panes == "A2"
        written.extend(row[2] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert [cell.data_type for cell in workbook[sheets[1]]["C"][1:]] == ["s", "s"]
    assert written == ["=SUMMA(A1)"] * 5


# --- Progress, failure and time limits ------------------------------------------------------


def test_progress_moves_while_the_findings_are_written(monkeypatch):
    monkeypatch.setattr(workbook_module, "PROGRESS_EVERY", 10)
    add_findings(200)
    run = ReportRun.objects.create()
    with CaptureQueriesContext(connection) as queries:
        report_run_execute(run_id=run.pk)

    steps = [
        int(match.group(1))
        for query in queries.captured_queries
        if (match := re.search(r'UPDATE "reports_reportrun" SET "progress" = (\d+)', query["sql"]))
    ]
    during_workbook = [
        step for step in steps if services.SUMMARY_DONE < step < services.WORKBOOK_DONE
    ]
    assert steps == sorted(set(steps))
    assert len(during_workbook) >= 10
    run.refresh_from_db()
    assert (run.status, run.progress) == (ReportRun.Status.DONE, 100)


def test_a_failure_while_writing_is_shown_on_the_run_and_leaves_no_files(monkeypatch, tmp_path):
    add_findings(20)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    written = []

    def broken_value(field, value, original=workbook_module._data_value):
        written.append(value)
        if len(written) > 10:  # partway through the findings (one date a row)
            raise OSError("No space left on device")
        return original(field, value)

    monkeypatch.setattr(workbook_module, "_data_value", broken_value)
    run = report_run_execute(run_id=ReportRun.objects.create().pk)

    assert run.status == ReportRun.Status.FAILED
    assert "internt fel" in run.error_message
    assert not run.file
    assert not SummarySnapshot.objects.exists()
    # Neither the report's file nor openpyxl's sheets are left in the temporary directory.
    assert list(tmp_path.iterdir()) == []


def test_the_time_limits_fit_together():
    for task in (build_summary_report, build_scheduled_report):
        assert task.soft_time_limit == services.REPORT_SOFT_TIME_LIMIT
        assert task.time_limit == services.REPORT_TIME_LIMIT
    assert services.REPORT_SOFT_TIME_LIMIT < services.REPORT_TIME_LIMIT
    # Redis hands an unacknowledged task to another worker after the visibility timeout.
    assert (
        services.REPORT_TIME_LIMIT < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    )


def test_the_sweep_leaves_a_run_its_task_may_still_be_working_on():
    started = timezone.now()
    run = ReportRun.objects.create(status=ReportRun.Status.RUNNING, started_at=started)

    # At the hard time limit the worker may still be reporting back: the run is left alone.
    at_the_limit = started + timedelta(seconds=services.REPORT_TIME_LIMIT)
    assert services.report_runs_sweep(now=at_the_limit) == 0
    run.refresh_from_db()
    assert run.status == ReportRun.Status.RUNNING

    # Well past it the task cannot be running any more: the sweep fails the run.
    past_it = at_the_limit + timedelta(minutes=5)
    assert services.report_runs_sweep(now=past_it) == 1
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED


# --- The dashboard reads a bounded part of the snapshot --------------------------------------


def _snapshot_of_the_data() -> SummarySnapshot:
    return SummarySnapshot.objects.create(
        taken_at="2026-01-01T10:00:00+01:00", data=summary_compute()
    )


def _add_interviews(count: int) -> None:
    areas = list(PriorityArea.objects.filter(is_archived=False).order_by("order"))
    for index in range(count):
        interview = InterviewFactory(consent="anonymt")
        for area in areas:
            finding = FindingFactory(
                interview=interview,
                area=area,
                text=f"Utmaning {index} om {area.slug}",
                quote=f"Citat {index} om {area.slug}",
                is_key_quote=True,
            )
            if index % 4 == 0:
                ProposalFactory(group=WorkshopGroupFactory(area=area)).evidence.set([finding])


def test_the_dashboard_does_the_same_work_whatever_the_data(council_client):
    _add_interviews(12)
    small_snapshot = _snapshot_of_the_data()
    with CaptureQueriesContext(connection) as small:
        assert council_client.get(reverse("reports:dashboard")).status_code == 200
    _add_interviews(36)
    large_snapshot = _snapshot_of_the_data()
    with CaptureQueriesContext(connection) as large:
        response = council_client.get(reverse("reports:dashboard"))

    assert response.status_code == 200
    assert response.context["snapshot"] == large_snapshot
    assert response.context["totals"].interviews == 48
    assert len(large) == len(small)
    snapshot_sql = [
        q["sql"] for q in large.captured_queries if "reports_summarysnapshot" in q["sql"]
    ]
    assert len(snapshot_sql) == 2
    # Only the dashboard's figures are read and decoded, never the whole `data`.
    assert not any('"reports_summarysnapshot"."data"' in sql for sql in snapshot_sql)
    small_size = len(json.dumps(small_snapshot.dashboard, ensure_ascii=False))
    large_size = len(json.dumps(large_snapshot.dashboard, ensure_ascii=False))
    assert large_size < small_size * 1.05


def test_the_dashboard_figures_hold_no_text_from_the_interviews():
    _add_interviews(3)
    snapshot = _snapshot_of_the_data()

    texts = [
        text
        for area in snapshot.data["areas"]
        for text in (
            *(quote["text"] for quote in area["key_quotes"]),
            *(quote["attribution"] for quote in area["key_quotes"]),
            *area["gaps"]["challenge_examples"],
        )
    ]
    dumped = json.dumps(snapshot.dashboard, ensure_ascii=False)
    assert texts
    assert not [text for text in texts if text in dumped]
    assert "Citat" not in dumped
    assert "Utmaning" not in dumped


def test_a_snapshot_without_dashboard_figures_is_still_shown(council_client):
    """A snapshot restored from a backup made before the figures were kept apart."""
    _add_interviews(2)
    snapshot = _snapshot_of_the_data()
    SummarySnapshot.objects.filter(pk=snapshot.pk).update(dashboard={})

    response = council_client.get(reverse("reports:dashboard"))

    assert response.status_code == 200
    assert response.context["totals"].interviews == 2
    assert [card.companies for card in response.context["cards"]] == [2] * 6


# --- The floor --------------------------------------------------------------------------------


def test_the_floor_writes_as_many_rows_as_the_data_sheets(tmp_path):
    add_findings(30)
    FindingFactory(is_confidential=True)  # left out of both
    ProposalFactory.create_batch(2)
    rows = summary_rows()

    floor = report_floor()

    assert floor["rows"] == sum(len(sheet) for sheet in rows.values())
    assert floor["cells"] >= 30 * len(workbook_module.FINDING_FIELDS)
    assert floor["aggregate_rows"] > 0


def _many_trends(count: int, measurements: int = 3) -> dict:
    from tests.reports.test_dashboard import make_summary

    data = make_summary(scale=count)
    statuses = ["i_fas", "efter", "risk", "ingen_matning"]
    for index, trend in enumerate(data["indicator_trends"]):
        trend["name"] = f"Mätetal {index:02d}"
        trend["status"] = statuses[index % 4]
        trend["measurements"] = [
            [f"{2000 + year}-06-01", 3.0 + year / 100] for year in range(measurements)
        ]
    return data


def test_the_dashboard_shows_a_bounded_number_of_trends(council_client):
    from reports.models import DASHBOARD_TREND_POINTS, DASHBOARD_TRENDS

    snapshot = SummarySnapshot.objects.create(
        taken_at="2026-01-01T10:00:00+01:00",
        data=_many_trends(DASHBOARD_TRENDS + 8, measurements=DASHBOARD_TREND_POINTS + 6),
    )

    trends = snapshot.dashboard["indicator_trends"]
    assert len(trends) == DASHBOARD_TRENDS
    assert snapshot.dashboard["indicator_trends_total"] == DASHBOARD_TRENDS + 8
    # Those furthest behind first: all five behind, all five at risk, then two on track.
    assert [trend["status"] for trend in trends] == ["efter"] * 5 + ["risk"] * 5 + ["i_fas"] * 2
    assert [trend["name"] for trend in trends[:2]] == ["Mätetal 01", "Mätetal 05"]
    # The latest measurements, in date order.
    assert len(trends[0]["measurements"]) == DASHBOARD_TREND_POINTS
    assert trends[0]["measurements"][-1][0] == f"{2000 + DASHBOARD_TREND_POINTS + 5}-06-01"
    assert trends[0]["measurements_total"] == DASHBOARD_TREND_POINTS + 6

    html = council_client.get(reverse("reports:dashboard")).content.decode()
    assert html.count('class="dashboard-trend"') == DASHBOARD_TRENDS
    assert f"Visar {DASHBOARD_TRENDS} av {DASHBOARD_TRENDS + 8} mätetal" in html
    assert reverse("actionplan:indicator_list") in html


def test_a_snapshot_within_the_bounds_says_nothing_about_them(council_client):
    SummarySnapshot.objects.create(taken_at="2026-01-01T10:00:00+01:00", data=_many_trends(3))
    html = council_client.get(reverse("reports:dashboard")).content.decode()
    assert html.count('class="dashboard-trend"') == 3
    assert "Visar 3 av 3" not in html


def test_the_dashboard_body_is_drawn_once_per_snapshot_and_language(council_client):
    def draws_body(response) -> bool:
        return "reports/dashboard_body.html" in [template.name for template in response.templates]

    _add_interviews(2)
    _snapshot_of_the_data()
    first = council_client.get(reverse("reports:dashboard"))
    again = council_client.get(reverse("reports:dashboard"))
    assert draws_body(first)
    assert not draws_body(again)

    def body(response) -> str:
        html = response.content.decode()
        return html[html.index('id="totals-heading"') : html.index("</main>")]

    assert body(again) == body(first)  # the rest differs by the request's CSP nonce

    # New figures are drawn anew, never an older snapshot's page.
    _add_interviews(1)
    _snapshot_of_the_data()
    newer = council_client.get(reverse("reports:dashboard"))
    assert draws_body(newer)
    assert newer.context["totals"].interviews == 3
    assert "<dd>3</dd>" in newer.content.decode()

    # Each language has its own.
    council_client.cookies["django_language"] = "en"
    english = council_client.get(reverse("reports:dashboard"))
    assert draws_body(english)
    assert "The priority areas" in english.content.decode()
