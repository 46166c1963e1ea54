"""Large interview exports as background jobs: the pages, the job's states, access and expiry."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from interviews import exports
from interviews.export_jobs import (
    EXPORT_FILE_KEPT,
    EXPORT_RECORD_KEPT,
    HEARTBEAT_TIMEOUT,
    interview_export_execute,
    interview_exports_sweep,
)
from interviews.models import InterviewExport
from smeportal.accounts.roles import Role
from smeportal.areas.models import PriorityArea
from tests.factories import FindingFactory, InterviewFactory, UserFactory

EXPORT = reverse("interviews:interview_export")
CREATE = reverse("interviews:interview_export_create")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def small_limit(monkeypatch):
    """Exports of more than 1 row count as large here (5,000 in the portal)."""
    monkeypatch.setattr(exports, "SMALL_EXPORT_ROWS", 1)


@pytest.fixture
def areas(db):
    return list(PriorityArea.objects.order_by("order"))


@pytest.fixture
def findings(areas):
    """Three interviews: two findings in the first area, two in the second, one idea."""
    first, second = areas[0], areas[1]
    one = InterviewFactory(date=date(2025, 3, 1), notes="@SUM(A1:A2)")
    FindingFactory(interview=one, area=first, text="=1+1", quote="-2+3")
    FindingFactory(interview=one, area=second, text="Annat område, samma intervju")
    two = InterviewFactory(date=date(2025, 2, 1))
    FindingFactory(interview=two, area=first, type="ide", text="Idé i första området")
    three = InterviewFactory(date=date(2025, 1, 1))
    FindingFactory(interview=three, area=second, text="Bara andra området")
    return {"one": one, "two": two, "three": three, "first": first, "second": second}


def form_token(page: str) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', page)
    assert match, "the form carries a one-use token"
    return match.group(1)


def hidden_fields(page: str) -> dict[str, str]:
    """The filters the page carries over to the job (not the CSRF and form tokens)."""
    found = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))
    return {k: v for k, v in found.items() if k not in {"csrfmiddlewaretoken", "form_token"}}


def start_export(client: Client, params: dict, django_capture_on_commit_callbacks):
    """Open the export link with the list's filters, then start the job from its page."""
    page = client.get(EXPORT, params)
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    body = page.content.decode()
    fields = hidden_fields(body)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CREATE, {**fields, "form_token": form_token(body)})
    return response


def sheet_rows(path) -> list[dict]:
    worksheet = load_workbook(path)["Intervjuer"]
    values = list(worksheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


@pytest.mark.django_db
def test_a_small_selection_downloads_at_once(developer_client, findings):
    response = developer_client.get(EXPORT, {"area": findings["first"].pk})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert not InterviewExport.objects.exists()


@pytest.mark.django_db
def test_a_large_selection_becomes_a_job_with_the_lists_filters(
    developer_client, developer, findings, small_limit, django_capture_on_commit_callbacks
):
    page = developer_client.get(EXPORT, {"area": findings["first"].pk, "sort": "date"})
    body = page.content.decode()
    assert "En stor export byggs i bakgrunden" in body
    assert hidden_fields(body) == {"area": str(findings["first"].pk), "sort": "date"}

    response = start_export(
        developer_client,
        {"area": findings["first"].pk, "sort": "date"},
        django_capture_on_commit_callbacks,
    )

    export = InterviewExport.objects.get()
    assert response["Location"] == reverse("interviews:interview_export_detail", args=[export.pk])
    assert export.requested_by == developer
    assert export.parameters == {"area": str(findings["first"].pk), "sort": "date"}
    assert (export.status, export.progress) == (InterviewExport.Status.DONE, 100)
    assert (export.row_count, export.expected_rows, export.sheet_count) == (2, 2, 1)
    assert export.expires_at == export.finished_at + EXPORT_FILE_KEPT
    detail = developer_client.get(response["Location"]).content.decode()
    assert "Ladda ner exporten (.xlsx)" in detail
    assert "data-hx-get" not in detail  # finished: no more polling

    download = developer_client.get(
        reverse("interviews:interview_export_download", args=[export.pk])
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert "no-store" in download["Cache-Control"]
    rows = sheet_rows(export.file.path)
    # Only the first area's findings, oldest interview first (sort=date).
    assert [(r["Intervju-id"], r["Synpunkt"]) for r in rows] == [
        (findings["two"].pk, "Idé i första området"),
        (findings["one"].pk, "=1+1"),
    ]


@pytest.mark.django_db
def test_the_jobs_file_writes_formulas_as_text(
    developer_client, findings, small_limit, django_capture_on_commit_callbacks
):
    start_export(developer_client, {}, django_capture_on_commit_callbacks)
    export = InterviewExport.objects.get()
    worksheet = load_workbook(export.file.path)["Intervjuer"]
    headers = [cell.value for cell in worksheet[1]]
    cells = {
        (row[headers.index("Synpunkt")].value, header): row[headers.index(header)]
        for row in worksheet.iter_rows(min_row=2)
        for header in ("Synpunkt", "Citat", "Anteckningar")
    }
    for header, expected in (
        ("Synpunkt", "=1+1"),
        ("Citat", "-2+3"),
        ("Anteckningar", "@SUM(A1:A2)"),
    ):
        cell = cells[("=1+1", header)]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (expected, "s", True)


@pytest.mark.django_db
def test_a_double_click_starts_one_export(
    developer_client, findings, small_limit, django_capture_on_commit_callbacks
):
    body = developer_client.get(EXPORT).content.decode()
    data = {"form_token": form_token(body)}
    with django_capture_on_commit_callbacks(execute=True):
        first = developer_client.post(CREATE, data)
        second = developer_client.post(CREATE, data)
    assert InterviewExport.objects.count() == 1
    assert second["Location"] == first["Location"]


@pytest.mark.django_db
def test_invalid_filters_in_the_request_form_are_a_swedish_form_error(developer_client):
    response = developer_client.post(CREATE, {"grade": "99", "date_from": "0001-01-01"})
    assert response.status_code == 400
    assert "Formuläret innehåller fel" in response.content.decode()
    assert not InterviewExport.objects.exists()


@pytest.mark.django_db
def test_only_the_requester_and_administrators_reach_the_export(
    developer_client, developer, admin_client, findings, small_limit,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    start_export(developer_client, {}, django_capture_on_commit_callbacks)
    export = InterviewExport.objects.get()
    detail = reverse("interviews:interview_export_detail", args=[export.pk])
    download = reverse("interviews:interview_export_download", args=[export.pk])
    colleague = Client()
    colleague.force_login(UserFactory(role=Role.DEVELOPER))
    assert colleague.get(detail).status_code == 404
    assert colleague.get(download).status_code == 404
    assert admin_client.get(detail).status_code == 200
    assert admin_client.get(download).status_code == 200
    council = Client()
    council.force_login(UserFactory(role=Role.COUNCIL))
    assert council.get(download).status_code == 403


@pytest.mark.django_db
def test_an_unreachable_broker_fails_the_export_with_a_swedish_message(
    developer_client, findings, small_limit, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    created = start_export(developer_client, {}, django_capture_on_commit_callbacks)
    export = InterviewExport.objects.get()
    page = developer_client.get(created["Location"]).content.decode()
    assert export.status == InterviewExport.Status.FAILED
    assert "jobbkön (Redis) inte kan nås" in export.error_message
    assert "jobbkön (Redis) inte kan nås" in page


@pytest.mark.django_db
def test_htmx_polling_gets_only_the_status_fragment(developer_client, developer):
    export = InterviewExport.objects.create(
        requested_by=developer,
        status=InterviewExport.Status.RUNNING,
        progress=40,
        expected_rows=1000,
        row_count=400,
    )
    response = developer_client.get(
        reverse("interviews:interview_export_detail", args=[export.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'id="export-status"' in body
    assert "<html" not in body
    assert 'data-hx-trigger="every 2s"' in body
    assert "40 % klart" in body
    page = developer_client.get(reverse("interviews:interview_export_detail", args=[export.pk]))
    assert "Ladda om" in page.content.decode()  # without JavaScript: a reload link


# --- The job's states ---------------------------------------------------------------------------


def queued(user, **fields) -> InterviewExport:
    return InterviewExport.objects.create(requested_by=user, **fields)


@pytest.mark.django_db
def test_running_a_finished_export_again_changes_nothing(developer, findings):
    export = queued(developer)
    interview_export_execute(export_id=export.pk)
    first = InterviewExport.objects.get(pk=export.pk)
    interview_export_execute(export_id=export.pk)
    again = InterviewExport.objects.get(pk=export.pk)
    assert (again.status, again.file.name, again.attempts) == ("klar", first.file.name, 1)
    assert len(list(Path(first.file.path).parent.iterdir())) == 1


@pytest.mark.django_db
def test_a_second_delivery_leaves_a_running_export_to_its_worker(developer, findings):
    export = queued(
        developer,
        status=InterviewExport.Status.RUNNING,
        attempts=1,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    interview_export_execute(export_id=export.pk)
    export.refresh_from_db()
    assert (export.status, export.attempts, export.file.name) == ("pagar", 1, "")


@pytest.mark.django_db
def test_an_export_whose_worker_went_silent_is_taken_over(developer, findings):
    silent_since = timezone.now() - HEARTBEAT_TIMEOUT - timedelta(seconds=1)
    export = queued(
        developer,
        status=InterviewExport.Status.RUNNING,
        attempts=1,
        started_at=silent_since,
        heartbeat_at=silent_since,
    )
    interview_export_execute(export_id=export.pk)
    export.refresh_from_db()
    assert (export.status, export.attempts, export.row_count) == ("klar", 2, 4)


@pytest.mark.django_db
def test_an_export_that_keeps_dying_is_given_up(developer):
    export = queued(developer, status=InterviewExport.Status.RUNNING, attempts=3)
    interview_export_execute(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == InterviewExport.Status.FAILED
    assert "3 försök" in export.error_message


@pytest.mark.django_db
def test_the_sweep_fails_silent_and_forgotten_jobs_and_nothing_else(developer):
    now = timezone.now()
    silent = queued(
        developer,
        status=InterviewExport.Status.RUNNING,
        started_at=now - timedelta(hours=1),
        heartbeat_at=now - HEARTBEAT_TIMEOUT - timedelta(minutes=1),
    )
    busy = queued(
        developer,
        status=InterviewExport.Status.RUNNING,
        started_at=now - timedelta(hours=1),
        heartbeat_at=now - timedelta(seconds=10),
    )
    forgotten = queued(developer)
    InterviewExport.objects.filter(pk=forgotten.pk).update(requested_at=now - timedelta(hours=2))
    waiting = queued(developer)

    assert interview_exports_sweep(now=now) == 2

    states = dict(InterviewExport.objects.values_list("pk", "status"))
    assert states == {
        silent.pk: "misslyckad",
        busy.pk: "pagar",
        forgotten.pk: "misslyckad",
        waiting.pk: "koad",
    }
    assert "stannade" in InterviewExport.objects.get(pk=silent.pk).error_message


# --- Expiry -------------------------------------------------------------------------------------


@pytest.fixture
def finished(developer, findings):
    export = queued(developer, parameters={"q": "Bara andra området", "status": "klar"})
    return interview_export_execute(export_id=export.pk)


@pytest.mark.django_db
def test_an_expired_export_is_deleted_when_opened(developer_client, finished):
    path = Path(finished.file.path)
    assert path.exists()
    download = reverse("interviews:interview_export_download", args=[finished.pk])
    assert developer_client.get(download).status_code == 200
    InterviewExport.objects.filter(pk=finished.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = developer_client.get(download)
    page = developer_client.get(reverse("interviews:interview_export_detail", args=[finished.pk]))
    assert response.status_code == 410
    assert "har tagits bort" in response.content.decode()
    assert "har tagits bort" in page.content.decode()
    assert not path.exists()
    finished.refresh_from_db()
    assert finished.file.name == ""
    assert finished.file_removed_at is not None
    # The searched text (it may be a name or a personal identity number) goes with the file.
    assert finished.parameters == {"status": "klar"}


@pytest.mark.django_db
def test_the_sweep_deletes_expired_files_then_old_records(finished, developer):
    path = Path(finished.file.path)
    assert interview_exports_sweep(now=finished.expires_at - timedelta(seconds=1)) == 0
    assert path.exists()
    assert interview_exports_sweep(now=finished.expires_at) == 1
    assert not path.exists()
    record = InterviewExport.objects.get(pk=finished.pk)
    assert (record.row_count, record.requested_by) == (1, developer)
    later = record.requested_at + EXPORT_RECORD_KEPT + timedelta(seconds=1)
    assert interview_exports_sweep(now=later) == 1
    assert not InterviewExport.objects.exists()


@pytest.mark.django_db
def test_a_failed_export_expires_too(developer):
    export = queued(developer, parameters={"q": "Anna Frisör"})
    InterviewExport.objects.filter(pk=export.pk).update(
        status=InterviewExport.Status.RUNNING, attempts=3
    )
    failed = interview_export_execute(export_id=export.pk)
    assert failed.status == InterviewExport.Status.FAILED
    interview_exports_sweep(now=failed.expires_at)
    assert InterviewExport.objects.get(pk=export.pk).parameters == {}


@pytest.mark.django_db
def test_beat_sweeps_the_exports_every_ten_minutes():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.select_related("interval").get(
        task="interviews.tasks.sweep_interview_exports"
    )
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (10, "minutes")
