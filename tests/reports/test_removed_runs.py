"""Report runs whose workbook a retention decision removed, and runs caught by one mid-build."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import RetentionDecision
from audit.selectors import RetentionCriteria
from audit.services import retention_decision_execute
from interviews.services import finding_archive
from reports.models import ReportRun, SummarySnapshot
from reports.retention import snapshot_scrub
from reports.services import report_run_execute
from tests.factories import FindingFactory, InterviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _removed_run(administrator, reference="KS 2026/12 § 4") -> ReportRun:
    decision = RetentionDecision.objects.create(
        reference=reference,
        reason="Skäl",
        scope="intervjuer",
        scope_description="Intervjuer; 1 post",
        decided_by=administrator,
    )
    return ReportRun.objects.create(
        status=ReportRun.Status.DONE,
        progress=100,
        finished_at=timezone.now(),
        removed_by=decision,
        removed_at=timezone.now(),
    )


@pytest.mark.parametrize(
    "fixture", ["council_client", "developer_client", "facilitator_client", "admin_client"]
)
def test_a_removed_run_says_why_its_file_is_gone(request, fixture, administrator):
    client = request.getfixturevalue(fixture)
    run = _removed_run(administrator)

    listing = client.get(reverse("reports:run_list"))
    assert listing.status_code == 200
    assert "Borttagen genom gallringsbeslutet ”KS 2026/12 § 4”" in listing.content.decode()
    assert reverse("reports:run_download", args=[run.pk]) not in listing.content.decode()

    detail = client.get(reverse("reports:run_detail", args=[run.pk]))
    assert detail.status_code == 200
    assert "Filen togs bort" in detail.content.decode()
    assert reverse("reports:run_download", args=[run.pk]) not in detail.content.decode()

    download = client.get(reverse("reports:run_download", args=[run.pk]))
    assert download.status_code == 410
    body = download.content.decode()
    assert "Rapportfilen har tagits bort" in body
    assert "gallringsbeslutet ”KS 2026/12 § 4”" in body
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_the_report_list_does_not_grow_in_queries_with_removed_runs(
    council_client, administrator, django_assert_max_num_queries
):
    _removed_run(administrator)
    with django_assert_max_num_queries(30) as few:
        council_client.get(reverse("reports:run_list"))
    for number in range(5):
        _removed_run(administrator, reference=f"KS {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = council_client.get(reverse("reports:run_list"))
    assert response.content.decode().count("Borttagen genom gallringsbeslutet") == 6


def test_a_run_being_built_when_a_decision_is_carried_out_is_discarded(
    administrator, media, django_capture_on_commit_callbacks
):
    interview = InterviewFactory(consent="med_namn")
    FindingFactory(
        interview=interview, text="Markör mitt i bygget", quote="Citat", is_key_quote=True
    )
    building = ReportRun.objects.create(status=ReportRun.Status.RUNNING, started_at=timezone.now())
    queued = ReportRun.objects.create()

    with django_capture_on_commit_callbacks(execute=False):
        decision = retention_decision_execute(
            user=administrator,
            criteria=RetentionCriteria(scope="intervjuer"),
            reference="KS 2026/13",
            reason="Skäl",
        )
    building.refresh_from_db()
    queued.refresh_from_db()
    assert building.removed_by == decision
    # A queued run could not start before the decision was committed: it reads what is left.
    assert queued.removed_by is None

    # The worker that was building it finishes: its result is thrown away, nothing is stored.
    report_run_execute(run_id=building.pk)
    building.refresh_from_db()
    assert building.status == ReportRun.Status.FAILED
    assert "gallringsbeslut" in building.error_message
    assert not building.file
    assert not SummarySnapshot.objects.exists()
    assert not any(path.is_file() for path in Path(media).rglob("*"))


def test_a_report_built_after_the_findings_were_archived_keeps_its_file(
    administrator, developer, media, django_capture_on_commit_callbacks
):
    """Archived findings are left out of later reports, so those reports stay."""
    finding = FindingFactory(text="Arkiverad före rapporten")
    finding_archive(finding=finding, user=developer)
    later = report_run_execute(run_id=ReportRun.objects.create().pk)
    with django_capture_on_commit_callbacks(execute=True):
        retention_decision_execute(
            user=administrator,
            criteria=RetentionCriteria(scope="synpunkter"),
            reference="KS 2026/14",
            reason="Skäl",
        )
    later.refresh_from_db()
    assert later.removed_by is None
    assert Path(later.file.path).exists()
    assert ReportRun.objects.count() == 1  # nothing to rebuild


def test_snapshot_scrub_drops_replaces_and_leaves_the_figures():
    data = {
        "totals": {"findings": 3},
        "areas": [
            {
                "findings_by_type": {"utmaning": 3},
                "key_quotes": [
                    {"text": "Gallras", "attribution": "ett företag inom tillverkning"},
                    {"text": "Åsa väntar", "attribution": "ett företag inom handel"},
                    {"text": "Stannar", "attribution": "Bolaget AB"},
                    {"text": "Stannar inte", "attribution": "Borttaget AB"},
                ],
                "gaps": {"challenge_examples": ["Gallras", "Åsa dröjer", "X dröjer", "Kvar"]},
            }
        ],
    }
    changed = snapshot_scrub(
        data,
        replacements={
            "Gallras": None,
            "Åsa väntar": "[namn borttaget] väntar",
            "Åsa dröjer": "X dröjer",
        },
        attributions={"Borttaget AB"},
    )
    assert changed
    area = data["areas"][0]
    assert area["key_quotes"] == [
        {"text": "[namn borttaget] väntar", "attribution": "ett företag inom handel"},
        {"text": "Stannar", "attribution": "Bolaget AB"},
    ]
    assert area["gaps"]["challenge_examples"] == ["X dröjer", "Kvar"]
    assert data["totals"] == {"findings": 3} and area["findings_by_type"] == {"utmaning": 3}
    assert not snapshot_scrub(data, replacements={"Gallras": None})
