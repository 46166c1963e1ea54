"""Report runs: requesting, building (in-process here), failing visibly, sweeping."""

from __future__ import annotations

from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportRun, SummarySnapshot
from reports.services import report_run_execute, report_runs_sweep
from tests.factories import FindingFactory


@pytest.fixture
def some_data(db):
    FindingFactory(text="=1+1")


@pytest.mark.django_db
def test_developer_creates_a_report_and_downloads_it(
    developer_client, some_data, django_capture_on_commit_callbacks
):
    # The run is handed to Celery when its row is committed; here the task runs in-process.
    with django_capture_on_commit_callbacks(execute=True):
        response = developer_client.post(reverse("reports:run_create"), {})
    run = ReportRun.objects.get()
    assert response["Location"] == reverse("reports:run_detail", args=[run.pk])
    assert run.status == ReportRun.Status.DONE
    assert run.progress == 100
    assert SummarySnapshot.objects.count() == 1
    page = developer_client.get(response["Location"]).content.decode()
    assert "Ladda ner rapporten (.xlsx)" in page
    download = developer_client.get(reverse("reports:run_download", args=[run.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    workbook = openpyxl.load_workbook(run.file.path)
    assert "Översikt" in workbook.sheetnames


@pytest.mark.django_db
def test_a_bad_period_gives_a_form_error(developer_client):
    response = developer_client.post(
        reverse("reports:run_create"), {"period_start": "2026-05-01", "period_end": "2026-01-01"}
    )
    assert response.status_code == 400
    assert not ReportRun.objects.exists()


@pytest.mark.django_db
def test_running_a_finished_run_again_changes_nothing(some_data):
    run = ReportRun.objects.create()
    report_run_execute(run_id=run.pk)
    first_file = ReportRun.objects.get(pk=run.pk).file.name
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE
    assert run.file.name == first_file
    assert run.attempts == 1
    assert SummarySnapshot.objects.count() == 1


@pytest.mark.django_db
def test_a_run_left_running_by_a_dead_worker_is_taken_over(some_data):
    run = ReportRun.objects.create(
        status=ReportRun.Status.RUNNING, attempts=1, started_at=timezone.now()
    )
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.attempts) == (ReportRun.Status.DONE, 2)


@pytest.mark.django_db
def test_a_run_that_keeps_dying_is_given_up():
    run = ReportRun.objects.create(status=ReportRun.Status.RUNNING, attempts=3)
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED
    assert "3 försök" in run.error_message


@pytest.mark.django_db
def test_the_sweep_fails_runs_past_their_time_limit_and_nothing_else():
    now = timezone.now()
    stale = ReportRun.objects.create(
        status=ReportRun.Status.RUNNING, started_at=now - timedelta(hours=2)
    )
    fresh = ReportRun.objects.create(status=ReportRun.Status.RUNNING, started_at=now)
    forgotten = ReportRun.objects.create(status=ReportRun.Status.QUEUED)
    ReportRun.objects.filter(pk=forgotten.pk).update(requested_at=now - timedelta(hours=3))
    assert report_runs_sweep(now=now) == 2
    states = {run.pk: run.status for run in ReportRun.objects.all()}
    assert states == {stale.pk: "misslyckad", fresh.pk: "pagar", forgotten.pk: "misslyckad"}
    assert "tidsgränsen" in ReportRun.objects.get(pk=stale.pk).error_message


@pytest.mark.django_db
def test_an_unreachable_broker_fails_the_run_with_a_swedish_message(
    developer_client, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with django_capture_on_commit_callbacks(execute=True):
        created = developer_client.post(reverse("reports:run_create"), {})
    response = developer_client.get(created["Location"])
    run = ReportRun.objects.get()
    assert response.status_code == 200
    assert run.status == ReportRun.Status.FAILED
    assert "jobbkön (Redis) kan inte nås" in run.error_message
    assert "jobbkön (Redis) kan inte nås" in response.content.decode()


@pytest.mark.django_db
def test_htmx_polling_gets_only_the_status_fragment(developer_client):
    run = ReportRun.objects.create(status=ReportRun.Status.RUNNING, progress=40)
    response = developer_client.get(
        reverse("reports:run_detail", args=[run.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'id="run-status"' in body
    assert "<html" not in body
    assert 'data-hx-trigger="every 2s"' in body
    assert "40 % klart" in body


@pytest.mark.django_db
def test_council_sees_and_downloads_only_finished_reports(council_client, some_data):
    done = report_run_execute(run_id=ReportRun.objects.create().pk)
    failed = ReportRun.objects.create(status=ReportRun.Status.FAILED, error_message="x")
    page = council_client.get(reverse("reports:run_list")).content.decode()
    assert reverse("reports:run_download", args=[done.pk]) in page
    assert council_client.get(reverse("reports:run_download", args=[done.pk])).status_code == 200
    assert council_client.get(reverse("reports:run_detail", args=[failed.pk])).status_code == 404
    assert council_client.post(reverse("reports:run_create"), {}).status_code == 403
    assert ReportRun.objects.count() == 2


@pytest.mark.django_db
def test_download_of_an_unfinished_or_unknown_run_is_404(developer_client):
    run = ReportRun.objects.create()
    assert developer_client.get(reverse("reports:run_download", args=[run.pk])).status_code == 404
    assert developer_client.get(reverse("reports:run_download", args=[999])).status_code == 404


@pytest.mark.django_db
def test_administrator_changes_the_weekly_schedule(admin_client, developer_client):
    from django_celery_beat.models import PeriodicTask

    assert developer_client.post(reverse("reports:schedule_update"), {}).status_code == 403
    response = admin_client.post(
        reverse("reports:schedule_update"), {"enabled": "on", "day_of_week": "3", "hour": "7"}
    )
    assert response.status_code == 302
    task = PeriodicTask.objects.get(task="reports.tasks.build_scheduled_report")
    assert (task.enabled, task.crontab.day_of_week, task.crontab.hour) == (True, "3", "7")
    bad = admin_client.post(reverse("reports:schedule_update"), {"day_of_week": "9", "hour": "25"})
    assert bad.status_code == 400


@pytest.mark.django_db
def test_build_summary_report_command_prints_the_path(some_data, capsys):
    from django.core.management import call_command

    call_command("build_summary_report")
    path = capsys.readouterr().out.strip()
    assert path.endswith(".xlsx")
    assert openpyxl.load_workbook(path).sheetnames[0] == "Översikt"
