"""Retention reaches the stored reports: after a decision, the covered records are in no summary
snapshot, no report workbook under MEDIA_ROOT and no page the council can open.

Each scope is tried against a real report (report_run_execute) built while the records were
there: a finding's text and its key quote (named, so attributed to the company) carry marker
texts, the contact's name is written into them, and the markers are first shown to be in the
snapshot and in the .xlsx file.
"""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from audit.models import RetentionDecision
from audit.selectors import RetentionCriteria
from audit.services import retention_decision_execute
from interviews.models import Company, Contact, Finding, Interview
from interviews.services import finding_archive
from reports.models import ReportRun, SummarySnapshot
from reports.services import report_run_execute
from tests.audit.plan_rules import rule_fields
from tests.confirmations import post_confirmed
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    InterviewFactory,
)
from tests.reports.test_pdf import pdf_text as _pdf_text

URL = reverse("audit:retention")
TEXT_MARKER = "Textmarkör-QX7"
QUOTE_MARKER = "Citatmarkör-QX7"
COMPANY = "Markörbolaget QX7 AB"
PERSON = "Åsa Öberg"
INTERVIEW_DAY = datetime.date(2025, 3, 12)
UNRELATED_PERIOD = (datetime.date(2001, 1, 1), datetime.date(2001, 12, 31))

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(media, developer):
    """A company, its contact, an interview whose finding carries the markers, and a report."""
    company = CompanyFactory(name=COMPANY)
    contact = ContactFactory(company=company, name=PERSON)
    interview = InterviewFactory(
        company=company, date=INTERVIEW_DAY, consent="med_namn", interviewers=[developer]
    )
    interview.interviewees.add(contact)
    finding = FindingFactory(
        interview=interview,
        type="utmaning",
        text=f"{TEXT_MARKER}: bygglovet dröjer, säger {PERSON}",
        quote=f"{QUOTE_MARKER} – Åsa vill ha besked inom en vecka",
        is_key_quote=True,
    )
    # Another company's finding, in the same period: it stays everywhere.
    FindingFactory(
        interview=InterviewFactory(date=INTERVIEW_DAY, consent="med_namn"),
        type="utmaning",
        text="Kvarstående synpunkt om kompetensförsörjning",
    )
    old_run = report_run_execute(run_id=ReportRun.objects.create().pk)
    unrelated_run = report_run_execute(
        run_id=ReportRun.objects.create(
            period_start=UNRELATED_PERIOD[0], period_end=UNRELATED_PERIOD[1]
        ).pk
    )
    assert old_run.status == unrelated_run.status == ReportRun.Status.DONE
    return {
        "company": company,
        "contact": contact,
        "interview": interview,
        "finding": finding,
        "old_run": old_run,
        "unrelated_run": unrelated_run,
    }


def _snapshot_text() -> str:
    return "\n".join(
        json.dumps(snapshot.data, ensure_ascii=False) for snapshot in SummarySnapshot.objects.all()
    )


def _workbook_text(source) -> str:
    workbook = openpyxl.load_workbook(source, read_only=True)
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def _media_text(root: Path) -> str:
    """Every text in every file under MEDIA_ROOT (workbooks opened with openpyxl, PDFs read
    with pdftotext)."""
    texts = []
    for path in sorted(Path(root).rglob("*")):
        if path.is_file():
            if path.suffix == ".xlsx":
                texts.append(_workbook_text(path))
            elif path.suffix == ".pdf":
                texts.append(_pdf_text(path.read_bytes()))
            else:
                texts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(texts)


def _council_pages(client, runs) -> str:
    """What the council can open: the dashboard, the report list, each run and its download."""
    texts = []
    for url in (reverse("reports:dashboard"), reverse("reports:run_list")):
        response = client.get(url)
        assert response.status_code == 200
        texts.append(response.content.decode())
    for run in runs:
        detail = client.get(reverse("reports:run_detail", args=[run.pk]))
        assert detail.status_code in {200, 404}
        texts.append(detail.content.decode())
        download = client.get(reverse("reports:run_download", args=[run.pk]))
        assert download.status_code in {200, 404, 410}
        if download.status_code == 200:
            texts.append(_workbook_text(io.BytesIO(b"".join(download.streaming_content))))
        else:
            texts.append(download.content.decode())
        pdf = client.get(reverse("reports:run_download_pdf", args=[run.pk]))
        assert pdf.status_code in {200, 404, 410}
        if pdf.status_code == 200:
            texts.append(_pdf_text(b"".join(pdf.streaming_content)))
        else:
            texts.append(pdf.content.decode())
    return "\n".join(texts)


def _forbidden_in(text: str, forbidden: list[str]) -> list[str]:
    return [marker for marker in forbidden if marker.lower() in text.lower()]


# scope, the record chosen, extra criteria, the texts that must be gone afterwards
SCOPES = [
    ("synpunkter", "finding", {}, [TEXT_MARKER, QUOTE_MARKER]),
    ("intervjuer", "interview", {}, [TEXT_MARKER, QUOTE_MARKER]),
    ("foretag", "company", {}, [TEXT_MARKER, QUOTE_MARKER, COMPANY]),
    ("kontakter", "contact", {}, ["Åsa", "Öberg"]),
]


@pytest.mark.parametrize(("scope", "record", "criteria", "forbidden"), SCOPES)
def test_a_decision_removes_the_records_from_snapshots_files_and_council_pages(
    admin_client,
    administrator,
    council_client,
    developer,
    world,
    media,
    scope,
    record,
    criteria,
    forbidden,
    django_capture_on_commit_callbacks,
):
    old_run, unrelated_run = world["old_run"], world["unrelated_run"]
    # The report holds the records: the finding's text as a gap example, the key quote with
    # the company's name, and both in the workbook's data sheet.
    snapshot = old_run.snapshot
    area = next(area for area in snapshot.data["areas"] if area["key_quotes"])
    assert {"text": world["finding"].quote, "attribution": COMPANY} in area["key_quotes"]
    assert world["finding"].text in area["gaps"]["challenge_examples"]
    workbook = _workbook_text(old_run.file.path)
    assert TEXT_MARKER in workbook and QUOTE_MARKER in workbook and PERSON in workbook
    assert _forbidden_in(_snapshot_text(), forbidden) == forbidden
    assert _forbidden_in(_council_pages(council_client, [old_run]), forbidden) == forbidden
    old_file, old_pdf = Path(old_run.file.path), Path(old_run.pdf_file.path)
    unrelated_file = Path(unrelated_run.file.path)

    if scope == "synpunkter":
        finding_archive(finding=world["finding"], user=developer)
    # Two months on, the plan's rule (one month) covers the finding archived today too.
    with (
        freeze_time(timezone.now() + datetime.timedelta(days=62)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        admin_client.force_login(administrator)  # today's session has expired by then
        response = post_confirmed(
            admin_client,
            URL,
            {
                **rule_fields(scope),
                "search": "",
                "reference": "KS 2026/88 § 2",
                "reason": "Gallring enligt informationshanteringsplanen.",
                "records": [str(world[record].pk)],
                "confirm": "on",
                **criteria,
            },
        )
    assert response.status_code == 302, response.content.decode()

    # Nowhere in the stored summaries, nowhere in the media volume, nowhere on the council's pages.
    assert _forbidden_in(_snapshot_text(), forbidden) == []
    assert not old_file.exists() and not old_pdf.exists()
    assert _forbidden_in(_media_text(media), forbidden) == []
    runs = list(ReportRun.objects.all())
    assert _forbidden_in(_council_pages(council_client, runs), forbidden) == []
    # The other company's finding is still reported.
    assert "Kvarstående synpunkt" in _snapshot_text()

    decision = RetentionDecision.objects.get()
    old_run.refresh_from_db()
    assert (old_run.file.name, old_run.pdf_file.name, old_run.removed_by) == ("", "", decision)
    gone = council_client.get(reverse("reports:run_download", args=[old_run.pk]))
    assert gone.status_code == 410
    assert (
        council_client.get(reverse("reports:run_download_pdf", args=[old_run.pk])).status_code
        == 410
    )
    assert "KS 2026/88 § 2" in gone.content.decode()
    assert "gallringsbeslut" in gone.content.decode()
    # A report of a period without the records keeps its file.
    unrelated_run.refresh_from_db()
    assert unrelated_run.removed_by is None and unrelated_file.exists()
    assert Path(unrelated_run.pdf_file.path).exists()

    # A new report of the same period was requested and built, without the records.
    fresh = ReportRun.objects.exclude(pk__in=[old_run.pk, unrelated_run.pk]).get()
    assert (fresh.period_start, fresh.period_end, fresh.status) == (None, None, "klar")
    assert fresh.requested_by == decision.decided_by
    assert _forbidden_in(_workbook_text(fresh.file.path), forbidden) == []
    assert _forbidden_in(_pdf_text(Path(fresh.pdf_file.path).read_bytes()), forbidden) == []

    # The decision says what it did besides, by type and id only.
    effects = set(
        decision.items.exclude(action__in=["gallrad", "anonymiserad"]).values_list(
            "model_label", "object_id", "action"
        )
    )
    assert ("reports.summarysnapshot", snapshot.pk, "rensad") in effects
    assert ("reports.reportrun", old_run.pk, "fil_raderad") in effects
    assert ("reports.reportrun", fresh.pk, "ny_rapport") in effects
    assert not any("unrelated" in str(item) for item in decision.items.all())
    listing = admin_client.get(reverse("audit:decision_list")).content.decode()
    assert "Ögonblicksbilder av sammanställningen: omfattade texter borttagna (1)" in listing
    assert "Rapportkörningar: fil borttagen (1)" in listing
    assert "Rapportkörningar: ny rapport begärd (1)" in listing


def test_the_records_are_gone_from_the_database_too(admin_client, world):
    """The company scope: the company, its contact, interview and finding, and their history."""
    response = post_confirmed(
        admin_client,
        URL,
        {
            **rule_fields("foretag"),
            "reference": "KS 2026/88 § 3",
            "reason": "Skäl",
            "records": [str(world["company"].pk)],
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    assert not Company.history.filter(id=world["company"].pk).exists()
    assert not Contact.history.filter(id=world["contact"].pk).exists()
    assert not Interview.history.filter(id=world["interview"].pk).exists()
    assert not Finding.history.filter(id=world["finding"].pk).exists()


def test_a_rolled_back_decision_keeps_the_report_file(
    administrator, world, django_capture_on_commit_callbacks
):
    """The file is deleted only once the decision is committed; undone, everything stays."""
    old_run = world["old_run"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            retention_decision_execute(
                user=administrator,
                criteria=RetentionCriteria(scope="intervjuer"),
                reference="KS 1",
                reason="Skäl",
                record_ids=[world["interview"].pk],
            )
            raise RuntimeError("the decision is undone")
    assert callbacks == []
    old_run.refresh_from_db()
    assert old_run.removed_by is None
    assert Path(old_run.file.path).exists() and Path(old_run.pdf_file.path).exists()
    assert TEXT_MARKER in _snapshot_text()


def test_a_removed_run_survives_export_and_import(
    admin_client, world, tmp_path, django_capture_on_commit_callbacks
):
    """The backup restores the run's link to the decision (written after the reports)."""
    from io import StringIO

    from django.core.management import call_command

    from tests.audit.test_export_import import _empty_database

    with django_capture_on_commit_callbacks(execute=True):
        post_confirmed(
            admin_client,
            URL,
            {
                **rule_fields("intervjuer"),
                "reference": "KS 2026/88 § 5",
                "reason": "Skäl",
                "records": [str(world["interview"].pk)],
                "confirm": "on",
            },
        )
    old_run = world["old_run"]
    path = tmp_path / "backup.json"
    call_command("export_all", str(path), stdout=StringIO())
    _empty_database()
    call_command("import_all", str(path), stdout=StringIO())
    restored = ReportRun.objects.select_related("removed_by").get(pk=old_run.pk)
    assert restored.removed_by.reference == "KS 2026/88 § 5"
    assert restored.is_removed
