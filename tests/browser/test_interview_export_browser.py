"""A business developer exports a large interview selection: started, followed, downloaded."""

from __future__ import annotations

import os
import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from interviews import exports
from interviews.export_jobs import interview_export_execute
from interviews.models import InterviewExport
from smeportal.accounts.models import User
from smeportal.areas.models import PriorityArea
from tests.factories import FindingFactory, InterviewFactory


def _screenshot(page, name: str) -> None:
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], name), full_page=True)


def test_developer_exports_a_large_selection_in_the_background(
    login, live_server, assert_accessible, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # More than two rows count as large here (5,000 in the portal).
    monkeypatch.setattr(exports, "SMALL_EXPORT_ROWS", 2)
    area = PriorityArea.objects.get(name="Kompetensförsörjning")
    for number in range(3):
        FindingFactory(interview=InterviewFactory(), area=area, text=f"Kompetens {number}")
    FindingFactory(text="Ett annat område")

    page = login("utvecklare")
    page.goto(live_server.url + reverse("interviews:interview_list"))
    page.get_by_label("Prioriterat område").select_option(label="Kompetensförsörjning")
    page.get_by_role("button", name="Visa intervjuer").click()
    page.get_by_role("link", name="Exportera till Excel").click()

    expect(page.get_by_role("heading", name="En stor export byggs i bakgrunden")).to_be_visible()
    _screenshot(page, "interview-export-start.png")
    assert_accessible(page)

    page.get_by_role("button", name="Starta exporten").click()
    page.wait_for_url(re.compile(r"/intervjuer/exporter/\d+/$"))
    expect(page.get_by_text("Exporten har startats.")).to_be_visible()
    expect(page.get_by_text("Filen har 3 rader.")).to_be_visible()
    _screenshot(page, "interview-export-done.png")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner exporten (.xlsx)").click()
    assert re.fullmatch(r"intervjuer-\d{8}-\d{4}-\d+\.xlsx", download.value.suggested_filename)
    export = InterviewExport.objects.get()
    assert export.parameters == {"area": str(area.pk)}


def test_the_export_page_follows_a_running_job_until_the_file_is_ready(
    login, live_server, assert_accessible, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    FindingFactory()
    page = login("utvecklare")
    export = InterviewExport.objects.create(
        requested_by=User.objects.get(username="utvecklare"),
        status=InterviewExport.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        progress=40,
        expected_rows=10,
        row_count=4,
    )
    page.goto(live_server.url + reverse("interviews:interview_export_detail", args=[export.pk]))
    expect(page.get_by_text("40 % klart: 4 av 10 rader")).to_be_visible()
    expect(page.get_by_role("link", name="Ladda om")).to_be_visible()
    _screenshot(page, "interview-export-running.png")
    assert_accessible(page)

    # The worker finishes meanwhile; the page shows the link within a poll (every 2 s).
    InterviewExport.objects.filter(pk=export.pk).update(
        status=InterviewExport.Status.QUEUED, heartbeat_at=None
    )
    interview_export_execute(export_id=export.pk)
    expect(page.get_by_role("link", name="Ladda ner exporten (.xlsx)")).to_be_visible(
        timeout=10_000
    )
    assert_accessible(page)
