"""Retention reaches the interview exports: after a decision, no stored export may hold what it
removed. Every stored export file is deleted (they are short-lived copies), and an export being
built when the decision is carried out is failed and keeps no file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from audit.models import RetentionDecisionItem
from audit.selectors import RetentionCriteria
from audit.services import retention_decision_execute
from interviews import export_jobs
from interviews.export_jobs import interview_export_execute
from interviews.models import InterviewExport
from tests.factories import FindingFactory, InterviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_retention_decision_deletes_the_stored_exports(
    developer, developer_client, administrator
):
    covered = InterviewFactory()
    FindingFactory(interview=covered, text="Gallras snart")
    done = interview_export_execute(
        export_id=InterviewExport.objects.create(requested_by=developer).pk
    )
    path = Path(done.file.path)
    assert path.exists()
    building = InterviewExport.objects.create(
        requested_by=developer, status=InterviewExport.Status.RUNNING, attempts=1
    )

    decision = retention_decision_execute(
        user=administrator,
        criteria=RetentionCriteria(scope="intervjuer"),
        reference="KS 2026/1",
        reason="Gallring enligt informationshanteringsplanen.",
        record_ids=[covered.pk],
    )

    assert not path.exists()
    done.refresh_from_db()
    assert (done.file.name, done.file_removed_at is not None) == ("", True)
    building.refresh_from_db()
    assert building.status == InterviewExport.Status.FAILED
    assert "gallringsbeslut" in building.error_message
    items = RetentionDecisionItem.objects.filter(
        decision=decision, model_label="interviews.interviewexport"
    )
    assert sorted(items.values_list("object_id", flat=True)) == sorted([done.pk, building.pk])
    page = developer_client.get(reverse("interviews:interview_export_download", args=[done.pk]))
    assert page.status_code == 410
    assert "gallringsbeslut" in page.content.decode()


def test_an_export_failed_by_a_decision_while_it_wrote_keeps_no_file(
    developer, tmp_path, monkeypatch
):
    FindingFactory()
    export = InterviewExport.objects.create(requested_by=developer)
    heartbeat = export_jobs._heartbeat

    def decision_meanwhile(job, *, rows, expected):
        # A decision is carried out while the rows are written (between claim and store).
        heartbeat(job, rows=rows, expected=expected)
        export_jobs.interview_exports_discard()

    monkeypatch.setattr(export_jobs, "_heartbeat", decision_meanwhile)
    result = interview_export_execute(export_id=export.pk)

    assert result.status == InterviewExport.Status.FAILED
    assert "gallringsbeslut" in result.error_message
    assert result.file.name == ""
    assert list(tmp_path.rglob("*.xlsx")) == []
