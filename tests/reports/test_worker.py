"""A real Celery worker (celery.contrib.testing) builds a report through Redis."""

from __future__ import annotations

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import Client
from django.urls import reverse

from reports.models import ReportRun
from smeportal.celery import app

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (set in CI)"),
]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_report_end_to_end(redis_broker, developer):
    from smeportal.areas.seed import areas_seed
    from tests.factories import FindingFactory

    areas_seed()  # a transactional test starts from an emptied database
    FindingFactory()
    client = Client()
    client.force_login(developer)
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        response = client.post(reverse("reports:run_create"), {})
        assert response.status_code == 302
        run = ReportRun.objects.get()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.is_finished:
                break
            time.sleep(0.2)
    assert run.status == ReportRun.Status.DONE, run.error_message
    assert run.file.name.endswith(".xlsx")
    assert run.progress == 100
