"""A finding removed from an interview is archived, not deleted, and hidden everywhere."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from audit.selectors import AUDITED_MODELS
from interviews.models import Finding
from interviews.services import finding_archive
from reports.rows import summary_rows
from reports.summary import summary_compute
from tests.factories import FindingFactory, InterviewFactory, ProposalFactory

KEPT = "Bygglovet tog elva månader"
REMOVED = "Felregistrerad synpunkt om parkering"


def _row(index: int, finding: Finding, **extra) -> dict:
    data = {
        "id": str(finding.pk),
        "area": str(finding.area_id),
        "type": finding.type,
        "text": finding.text,
        "importance": str(finding.importance),
        "quote": "",
        **extra,
    }
    return {f"findings-{index}-{key}": value for key, value in data.items()}


def _edit(interview, developer, kept, removed) -> dict:
    return {
        "company": interview.company.pk,
        "date": f"{interview.date:%Y-%m-%d}",
        "interviewers": [developer.pk],
        "format": "besok",
        "status": "klar",
        "grade": "4",
        "consent": "anonymt",
        "notes": interview.notes,
        "version": str(interview.version),
        "findings-TOTAL_FORMS": "2",
        "findings-INITIAL_FORMS": "2",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "1000",
        **_row(0, kept),
        **_row(1, removed, DELETE="on"),
    }


@pytest.fixture
def interview_with_findings(developer):
    interview = InterviewFactory(interviewers=[developer])
    kept = FindingFactory(interview=interview, text=KEPT)
    removed = FindingFactory(interview=interview, text=REMOVED)
    return interview, kept, removed


@pytest.mark.django_db
def test_removing_a_finding_in_the_form_archives_it(
    developer_client, developer, interview_with_findings
):
    interview, kept, removed = interview_with_findings
    proposal = ProposalFactory()
    proposal.evidence.add(removed, kept)

    response = developer_client.post(
        reverse("interviews:interview_update", args=[interview.pk]),
        _edit(interview, developer, kept, removed),
    )

    assert response.status_code == 302
    archived = Finding.all_objects.get(pk=removed.pk)  # still in the database
    assert archived.is_archived
    assert archived.archived_by == developer
    assert archived.archived_at is not None
    assert archived.text == REMOVED
    assert list(interview.findings.all()) == [kept]
    # No proposal counts it as evidence any more; the proposal's history keeps the link.
    assert list(proposal.evidence.all()) == [kept]
    last = archived.history.first()
    assert last.history_type == "~"
    assert last.is_archived
    assert last.history_user == developer


@pytest.mark.django_db
def test_the_form_says_removing_archives(developer_client, interview_with_findings):
    interview, _kept, _removed = interview_with_findings
    body = developer_client.get(
        reverse("interviews:interview_update", args=[interview.pk])
    ).content.decode()
    assert "Ta bort ur intervjun" in body
    assert "Synpunkten arkiveras" in body


@pytest.mark.django_db
def test_archived_findings_are_hidden_from_pages_exports_and_reports(
    admin_client, interview_with_findings
):
    interview, _kept, removed = interview_with_findings
    finding_archive(finding=removed)

    for url in (
        reverse("interviews:interview_detail", args=[interview.pk]),
        reverse("interviews:finding_list"),
        reverse("interviews:interview_update", args=[interview.pk]),
    ):
        body = admin_client.get(url).content.decode()
        assert KEPT in body
        assert REMOVED not in body, url

    listing = admin_client.get(reverse("interviews:interview_list")).context["page_obj"]
    assert [row.finding_count for row in listing] == [1]

    export = admin_client.get(reverse("interviews:interview_export"))
    cells = [
        cell
        for row in load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True)
        for cell in row
    ]
    assert KEPT in cells
    assert REMOVED not in cells

    rows = summary_rows()["findings"]
    assert [row["text"] for row in rows] == [KEPT]
    assert summary_compute()["totals"]["findings"] == 1


@pytest.mark.django_db
def test_an_archived_finding_cannot_be_linked_as_evidence(interview_with_findings):
    _interview, kept, removed = interview_with_findings
    finding_archive(finding=removed)
    proposal = ProposalFactory()
    proposal.evidence.through.objects.create(proposal=proposal, finding=removed)
    # Even a link made behind the services' back is not counted.
    assert list(proposal.evidence.all()) == []
    assert summary_compute()["totals"]["findings"] == 1
    assert kept in Finding.objects.all()


@pytest.mark.django_db
def test_archiving_twice_keeps_the_first_date(developer, interview_with_findings):
    _interview, _kept, removed = interview_with_findings
    first = finding_archive(finding=removed, user=developer).archived_at
    again = finding_archive(finding=Finding.all_objects.get(pk=removed.pk))
    assert again.archived_at == first


@pytest.mark.django_db
def test_the_django_admin_cannot_delete_domain_records(administrator):
    """No domain model can be deleted in the Django admin, by anyone (superusers included)."""
    request = RequestFactory().get("/admin/")
    administrator.is_superuser = True
    request.user = administrator
    covered = [
        *AUDITED_MODELS,
        *apps.get_app_config("workshops").get_models(),
        *apps.get_app_config("actionplan").get_models(),
        apps.get_model("audit", "RetentionDecision"),
    ]
    for model in covered:
        model_admin = admin.site._registry.get(model)
        if model_admin is not None:
            assert not model_admin.has_delete_permission(request), model
