"""The summary report as a tagged PDF: its figures, its tags, its place beside the workbook.

The PDF is read back the way a person without the portal would: `pdftotext` (poppler-utils)
for the text, `pdfinfo` for the metadata and the structure tree, and the catalog for the
language and the tagging marks.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from audit.selectors import RetentionCriteria
from audit.services import retention_decision_execute
from reports import pdf as pdf_module
from reports.models import ReportRun, SummarySnapshot
from reports.pdf import summary_pdf_write
from reports.services import report_run_execute
from smeportal.areas.models import PriorityArea
from tests.factories import FindingFactory, InterviewFactory
from tests.reports.test_dashboard import make_summary

pytestmark = pytest.mark.django_db


def swedish(msgid: str) -> str:
    with translation.override("sv"):
        return gettext(msgid)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: run `make system-deps` (poppler-utils).")
    return path


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, as pdftotext lays it out."""
    result = subprocess.run(
        [_tool("pdftotext"), "-layout", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode().split("\f")


def pdf_text(data: bytes) -> str:
    return "\n".join(pdf_pages(data))


def pdf_info(data: bytes, *options: str) -> str:
    result = subprocess.run(
        [_tool("pdfinfo"), *options, "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def pdf_objects(data: bytes) -> bytes:
    """The file with its compressed streams (object streams too) inflated, to read the catalog."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue  # not a Flate stream (a font's own compression, say)
    return b"\n".join(parts)


def figures(label: str, value: str) -> re.Pattern:
    """A row of a figures table: its label, then its value, on one line of the layout."""
    return re.compile(rf"{re.escape(label)}\s+{re.escape(value)}\b")


def write(summary: dict, language: str = "sv") -> bytes:
    target = BytesIO()
    with translation.override(language):
        summary_pdf_write(summary, target)
    return target.getvalue()


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- The document ------------------------------------------------------------------------------


def test_the_pdf_holds_the_totals_and_each_areas_figures():
    summary = make_summary()
    pages = pdf_pages(write(summary))
    text = "\n".join(pages)

    assert swedish("Summary of the six priority areas") in pages[0]
    assert "29 november 2026" in pages[0]
    for label, value in [("Interviews", "60"), ("Companies interviewed", "58"),
                         ("Findings", "412"), ("Proposals", "36"),
                         ("Average grade (1–6)", "3,4")]:  # fmt: skip
        assert figures(swedish(label), value).search(pages[0]), label
    # Each area on a page of its own, with its figures.
    for area in summary["areas"]:
        page = next(page for page in pages if page.lstrip().startswith(f"{area['order']}. "))
        assert area["name"] in " ".join(page.split())
        assert figures(swedish("Interviews raising it"), str(area["interviews"])).search(page)
        assert figures(swedish("Companies raising it"), str(area["companies"])).search(page)
        assert figures(swedish("Challenges"), str(area["findings_by_type"]["utmaning"])).search(
            page
        )
    # The comparison table and the bar chart's figures; the trend's table; the celebrations.
    assert swedish("The priority areas compared: interviews and findings") in text
    assert re.search(r"2023-06-01\s+\S+ \S+\s+3,35", text)
    assert "Bygglovslotsen är i gång 1" in text


def test_the_pdf_shows_only_what_the_dashboard_shows():
    """Key quotes, gap examples and proposal titles stay out, as on the dashboard."""
    text = pdf_text(write(make_summary(scale=2)))
    assert "Citat om område" not in text
    assert "Svårt att nå rätt handläggare" not in text
    assert "snabbare besked" not in text
    assert "Företagslots" not in text
    assert "Tillverkning" not in text  # the shares per industry


def test_the_pdf_is_tagged_with_language_title_and_structure(caplog):
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        data = write(make_summary())
    # WeasyPrint reports what PDF/UA misses (no language, an image without alternative text).
    assert [record.getMessage() for record in caplog.records] == []

    catalog = pdf_objects(data)
    assert b"/StructTreeRoot" in catalog
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked true", catalog)
    assert b"/Lang (sv)" in catalog
    assert re.search(rb"/DisplayDocTitle true", catalog)
    info = pdf_info(data)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(
        rf"^Title:\s+{re.escape(swedish('Summary of the six priority areas'))}$",
        info,
        re.MULTILINE,
    )
    assert 'pdfuaid:part="1"' in pdf_info(data, "-meta")
    # Headings, tables with header cells, and each chart a figure with its alternative text.
    structure = pdf_info(data, "-struct")
    for tag in ("Document", "H1", "H2", "H3", "Sect", "Table", "TH", "TD", "Caption", "Figure"):
        assert re.search(rf"^\s*{tag}\b", structure, re.MULTILINE), tag
    assert structure.count("Figure") == 2  # the bar chart and the one indicator's chart
    assert b"/Alt" in catalog


def test_the_pdf_follows_the_active_language():
    data = write(make_summary(), language="en")
    assert b"/Lang (en)" in pdf_objects(data)
    text = " ".join(pdf_text(data).split())
    assert "In total" in text and "Summary of the six priority areas" in text
    for area in make_summary()["areas"]:
        assert f"{area['order']}. {area['name_en']}" in text


def test_text_from_the_data_stays_text():
    summary = make_summary()
    summary["areas"][0]["name"] = "Område <b>fet</b> & <script>x</script>"
    text = " ".join(pdf_text(write(summary)).split())
    assert "Område <b>fet</b> & <script>x</script>" in text


def test_a_summary_without_figures_still_makes_a_document():
    text = pdf_text(write({"totals": {}, "areas": []}))
    assert swedish("No indicators in this summary.") in text
    assert swedish("Nothing to celebrate in this summary yet.") in text


def test_nothing_is_fetched_while_drawing(monkeypatch):
    """The document asks for no resource, even with addresses in the data; and the fetcher
    it is given would refuse any."""
    from weasyprint import urls

    fetched = []
    refuse = urls.URLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return refuse(self, url, headers)

    monkeypatch.setattr(urls.URLFetcher, "fetch", spy)
    summary = make_summary()
    summary["areas"][0]["colour"] = "url(http://127.0.0.1:9/x.svg)"
    summary["areas"][1]["name"] = '<img src="http://127.0.0.1:9/y.png" alt="">'
    summary["indicator_trends"][0]["unit"] = '<link rel="stylesheet" href="file:///etc/hostname">'
    assert write(summary).startswith(b"%PDF")
    assert fetched == []
    with pytest.raises(ValueError, match="disallowed protocol"):
        urls.URLFetcher(allowed_protocols=()).fetch("file:///etc/hostname")


# --- Built with the run ------------------------------------------------------------------------


@pytest.fixture
def findings(db):
    area = PriorityArea.objects.get(name="Kompetensförsörjning")
    for number in range(3):
        FindingFactory(interview=InterviewFactory(), area=area, text=f"Kompetens {number}")
    return area


def test_a_run_stores_the_workbook_and_the_pdf(media, findings):
    run = report_run_execute(run_id=ReportRun.objects.create().pk)
    run.refresh_from_db()
    assert (run.status, run.progress) == (ReportRun.Status.DONE, 100)
    assert run.file.name.endswith(".xlsx") and run.pdf_file.name.endswith(".pdf")
    assert Path(run.file.path).stem == Path(run.pdf_file.path).stem
    pages = pdf_pages(Path(run.pdf_file.path).read_bytes())
    assert figures(swedish("Interviews"), "3").search(pages[0])
    page = next(page for page in pages if "Kompetensförsörjning" in page.split("\n", 1)[0])
    assert figures(swedish("Interviews raising it"), "3").search(page)
    # Written in the report language (as the workbook is), whatever the requester's.
    assert b"/Lang (sv)" in pdf_objects(Path(run.pdf_file.path).read_bytes())


def test_a_run_built_in_english_still_writes_a_swedish_pdf(media, findings):
    with translation.override("en"):
        run = report_run_execute(run_id=ReportRun.objects.create().pk)
    assert b"/Lang (sv)" in pdf_objects(Path(run.pdf_file.path).read_bytes())


def test_a_failing_pdf_fails_the_run_and_leaves_no_files(media, findings, monkeypatch):
    def broken(summary, handle):
        raise OSError("Pango is missing")

    monkeypatch.setattr(pdf_module, "summary_pdf_write", broken)
    run = report_run_execute(run_id=ReportRun.objects.create().pk)
    assert run.status == ReportRun.Status.FAILED
    assert "internt fel" in run.error_message
    assert not run.file and not run.pdf_file
    assert not SummarySnapshot.objects.exists()
    assert not any(path.is_file() for path in Path(media).rglob("*"))


def test_a_pdf_that_cannot_be_stored_takes_the_workbook_with_it(media, findings, monkeypatch):
    original = FileSystemStorage._save

    def full_disk(self, name, content):
        if name.endswith(".pdf"):
            raise OSError("No space left on device")
        return original(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", full_disk)
    run = report_run_execute(run_id=ReportRun.objects.create().pk)
    assert run.status == ReportRun.Status.FAILED
    run.refresh_from_db()
    assert not run.file and not run.pdf_file
    assert not SummarySnapshot.objects.exists()
    assert not any(path.is_file() for path in Path(media).rglob("*"))


def test_a_retention_decision_removes_the_pdf_with_the_workbook(
    media, findings, administrator, django_capture_on_commit_callbacks
):
    run = report_run_execute(run_id=ReportRun.objects.create().pk)
    workbook, document = Path(run.file.path), Path(run.pdf_file.path)
    assert workbook.exists() and document.exists()

    with django_capture_on_commit_callbacks(execute=True):
        decision = retention_decision_execute(
            user=administrator,
            criteria=RetentionCriteria(scope="intervjuer"),
            reference="KS 2026/20",
            reason="Skäl",
        )
    run.refresh_from_db()
    assert (run.file.name, run.pdf_file.name, run.removed_by) == ("", "", decision)
    assert not workbook.exists() and not document.exists()
    # The new run of the same period has both files again.
    fresh = ReportRun.objects.exclude(pk=run.pk).get()
    assert fresh.status == ReportRun.Status.DONE
    assert Path(fresh.file.path).exists() and Path(fresh.pdf_file.path).exists()


def test_a_rolled_back_decision_keeps_the_pdf(
    media, findings, administrator, django_capture_on_commit_callbacks
):
    from django.db import transaction

    run = report_run_execute(run_id=ReportRun.objects.create().pk)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            retention_decision_execute(
                user=administrator,
                criteria=RetentionCriteria(scope="intervjuer"),
                reference="KS 1",
                reason="Skäl",
            )
            raise RuntimeError("the decision is undone")
    run.refresh_from_db()
    assert Path(run.pdf_file.path).exists() and run.removed_by is None


# --- Downloading it ----------------------------------------------------------------------------


def _download(client, run) -> object:
    return client.get(reverse("reports:run_download_pdf", args=[run.pk]))


@pytest.mark.parametrize("role_client", ["developer_client", "council_client", "admin_client"])
def test_the_pdf_is_downloaded_beside_the_workbook(request, role_client, media, findings):
    client = request.getfixturevalue(role_client)
    run = report_run_execute(run_id=ReportRun.objects.create().pk)

    response = _download(client, run)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and ".pdf" in disposition
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    assert "Kompetensförsörjning" in pdf_text(data)

    url = reverse("reports:run_download_pdf", args=[run.pk])
    for page in (reverse("reports:run_list"), reverse("reports:run_detail", args=[run.pk])):
        body = client.get(page).content.decode()
        assert f'href="{url}"' in body
        assert reverse("reports:run_download", args=[run.pk]) in body
    detail = client.get(reverse("reports:run_detail", args=[run.pk])).content.decode()
    assert swedish("Download the report (PDF)") in detail
    listing = client.get(reverse("reports:run_list")).content.decode()
    assert swedish("Download PDF") in listing


def test_a_removed_pdf_is_410_and_not_linked(council_client, administrator, media, findings):
    from audit.models import RetentionDecision

    run = report_run_execute(run_id=ReportRun.objects.create().pk)
    decision = RetentionDecision.objects.create(
        reference="KS 2026/21",
        reason="Skäl",
        scope="intervjuer",
        scope_description="Intervjuer; 1 post",
        decided_by=administrator,
    )
    ReportRun.objects.filter(pk=run.pk).update(removed_by=decision, file="", pdf_file="")
    response = _download(council_client, run)
    assert response.status_code == 410
    assert "KS 2026/21" in response.content.decode()
    url = reverse("reports:run_download_pdf", args=[run.pk])
    assert url not in council_client.get(reverse("reports:run_list")).content.decode()
    assert (
        url not in council_client.get(reverse("reports:run_detail", args=[run.pk])).content.decode()
    )


def test_a_missing_pdf_is_404(developer_client, council_client, media, findings):
    unfinished = ReportRun.objects.create()
    assert _download(developer_client, unfinished).status_code == 404
    assert developer_client.get(reverse("reports:run_download_pdf", args=[999])).status_code == 404
    # A run built before the PDF existed has the workbook only: no link, and 404.
    older = report_run_execute(run_id=ReportRun.objects.create().pk)
    ReportRun.objects.filter(pk=older.pk).update(pdf_file="")
    assert _download(council_client, older).status_code == 404
    assert reverse("reports:run_download", args=[older.pk]) in (
        council_client.get(reverse("reports:run_detail", args=[older.pk])).content.decode()
    )
    assert reverse("reports:run_download_pdf", args=[older.pk]) not in (
        council_client.get(reverse("reports:run_detail", args=[older.pk])).content.decode()
    )
    # The file gone from storage.
    gone = report_run_execute(run_id=ReportRun.objects.create().pk)
    Path(gone.pdf_file.path).unlink()
    assert _download(council_client, gone).status_code == 404


def test_the_council_cannot_download_an_unfinished_runs_pdf(council_client, client):
    run = ReportRun.objects.create(status=ReportRun.Status.FAILED)
    assert _download(council_client, run).status_code == 404
    response = _download(client, run)
    assert response.status_code == 302 and "logga-in" in response["Location"]
