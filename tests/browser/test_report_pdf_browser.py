"""A business developer opens a finished summary report and downloads it as a PDF."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from reports.models import ReportRun
from reports.services import report_run_execute
from smeportal.accounts.models import User
from smeportal.areas.models import PriorityArea
from tests.factories import FindingFactory, InterviewFactory
from tests.reports.test_pdf import pdf_pages


def swedish(msgid: str) -> str:
    with translation.override("sv"):
        return gettext(msgid)


def test_staff_download_the_summary_report_as_a_pdf(
    login, live_server, assert_accessible, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    skills = PriorityArea.objects.get(name="Kompetensförsörjning")
    procurement = PriorityArea.objects.get(name="Upphandling inom kommunkoncernen")
    for number in range(3):
        FindingFactory(interview=InterviewFactory(), area=skills, text=f"Kompetens {number}")
    FindingFactory(interview=InterviewFactory(), area=procurement, text="Ramavtal")
    page = login("utvecklare")
    run = report_run_execute(
        run_id=ReportRun.objects.create(requested_by=User.objects.get(username="utvecklare")).pk
    )
    assert run.status == ReportRun.Status.DONE, run.error_message

    pdf_url = reverse("reports:run_download_pdf", args=[run.pk])
    page.goto(live_server.url + reverse("reports:run_list"))
    listed = page.get_by_role("link", name=re.compile(re.escape(swedish("Download PDF"))))
    expect(listed).to_have_attribute("href", pdf_url)
    assert_accessible(page)
    page.goto(live_server.url + reverse("reports:run_detail", args=[run.pk]))
    expect(page.get_by_role("heading", name=swedish("Summary report"))).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=swedish("Download the report (PDF)")).click()
    assert re.fullmatch(r"sammanstallning-\d{8}-\d{4}-\d+\.pdf", download.value.suggested_filename)
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    data = saved.read_bytes()
    assert data.startswith(b"%PDF")

    pages = pdf_pages(data)
    overview = pages[0]
    assert swedish("Summary of the six priority areas") in overview
    assert re.search(rf"{re.escape(swedish('Interviews'))}\s+4\b", overview)
    assert re.search(rf"{re.escape(swedish('Findings'))}\s+4\b", overview)
    text = " ".join(" ".join(pages).split())
    areas = list(PriorityArea.objects.filter(is_archived=False))
    for area in areas:
        assert area.name in text
    # Each area has a page of its own ("4. Kompetensförsörjning") with its figures.
    raising = re.escape(swedish("Interviews raising it"))
    for area, interviews in ((skills, 3), (procurement, 1)):
        heading = f"{areas.index(area) + 1}. {area.name}"
        own_page = next(p for p in pages if " ".join(p.split()).startswith(heading))
        assert re.search(rf"{raising}\s+{interviews}\b", own_page), heading
    # The figures only: no finding's text.
    assert "Ramavtal" not in text and "Kompetens 0" not in text
