"""A real Celery worker (celery.contrib.testing) builds a large interview export through Redis."""

from __future__ import annotations

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from interviews import exports
from interviews.models import InterviewExport
from smeportal.celery import app

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (set in CI)"),
]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_a_large_export_end_to_end(
    redis_broker, developer, monkeypatch, settings, tmp_path
):
    from smeportal.areas.seed import areas_seed
    from tests.factories import FindingFactory, InterviewFactory

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(exports, "SMALL_EXPORT_ROWS", 2)
    areas_seed()  # a transactional test starts from an emptied database
    for _n in range(3):
        FindingFactory.create_batch(2, interview=InterviewFactory(), text="=SUM(A1:A2)")
    client = Client()
    client.force_login(developer)
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        assert client.get(reverse("interviews:interview_export")).status_code == 200
        response = client.post(reverse("interviews:interview_export_create"), {})
        assert response.status_code == 302
        export = InterviewExport.objects.get()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            export.refresh_from_db()
            if export.is_finished:
                break
            time.sleep(0.2)
    assert export.status == InterviewExport.Status.DONE, export.error_message
    assert (export.progress, export.row_count, export.attempts) == (100, 6, 1)
    download = client.get(reverse("interviews:interview_export_download", args=[export.pk]))
    assert download.status_code == 200
    worksheet = load_workbook(export.file.path)["Intervjuer"]
    texts = [
        cell
        for row in worksheet.iter_rows(min_row=2)
        for cell in row
        if cell.value == "=SUM(A1:A2)"
    ]
    assert len(texts) == 6 and all(cell.data_type == "s" for cell in texts)
