from __future__ import annotations

import tracemalloc
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from smeportal.accounts.roles import Role
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    InterviewFactory,
    ProposalFactory,
    WorkshopGroupFactory,
)
from workshops import exports as workshops_exports
from workshops.exports import EXPORT_COLUMNS, workshop_proposals_write
from workshops.models import Proposal
from workshops.services import proposals_merge

HEADERS = [
    "Förslag",
    "Beskrivning",
    "Område",
    "Grupp",
    "Aktör",
    "Tidshorisont",
    "Effekt",
    "Insats",
    "Röster",
    "Status",
    "Avslagsorsak",
    "Sammanslaget med",
    "Antal synpunkter",
    "Antal företag",
]


@pytest.fixture
def workshop_data(db):
    group = WorkshopGroupFactory(name="Bord 5")
    company = CompanyFactory(name="Hemliga Bolaget AB")
    contact = ContactFactory(
        company=company, name="Greta Kontaktsson", email="greta@example.se", phone="016-999 99 99"
    )
    interview = InterviewFactory(company=company, notes="Rå anteckning om upphandling")
    interview.interviewees.set([contact])
    top = ProposalFactory(
        group=group,
        title="Dela upp upphandlingar i mindre delar",
        description="Fler och mindre delkontrakt.",
        votes=10,
    )
    low = ProposalFactory(
        group=group,
        title="=1+1",
        votes=2,
        status="avslagen",
        rejection_reason="-Strider mot LOU",
    )
    duplicate = ProposalFactory(group=group, title="Mindre upphandlingar", votes=5)
    top.evidence.add(
        FindingFactory(interview=interview, quote="Citat"),
        FindingFactory(interview=interview),
        FindingFactory(),
    )
    proposals_merge(survivor=top, duplicates=[duplicate])
    ProposalFactory(title="Annan workshops förslag")
    return {"workshop": group.workshop, "top": top, "low": low, "duplicate": duplicate}


def _content(response) -> bytes:
    # Streamed from a temporary file (FileResponse), not built in memory.
    assert response.streaming
    return b"".join(response.streaming_content)


def _rows(response) -> list[tuple]:
    workbook = load_workbook(BytesIO(_content(response)))
    return list(workbook.active.iter_rows(values_only=True))


@pytest.mark.django_db
@pytest.mark.parametrize("role_client", list(Role), indirect=True)
def test_every_role_exports_the_proposals(role_client, workshop_data):
    workshop = workshop_data["workshop"]
    response = role_client.get(reverse("workshops:workshop_export", args=[workshop.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="workshop-{workshop.pk}-forslag.xlsx"'
    )
    rows = _rows(response)
    assert list(rows[0]) == HEADERS
    titles = [row[0] for row in rows[1:]]
    # Live proposals by votes, then the merged one.
    assert titles == ["Dela upp upphandlingar i mindre delar", "=1+1", "Mindre upphandlingar"]
    top = dict(zip(HEADERS, rows[1], strict=True))
    assert top["Röster"] == 15
    assert top["Grupp"] == "Bord 5"
    assert top["Antal synpunkter"] == 3
    assert top["Antal företag"] == 2
    assert top["Effekt"] == 2 and top["Insats"] == 2
    merged = dict(zip(HEADERS, rows[3], strict=True))
    assert merged["Sammanslaget med"] == "Dela upp upphandlingar i mindre delar"
    rejected = dict(zip(HEADERS, rows[2], strict=True))
    assert rejected["Avslagsorsak"] == "-Strider mot LOU"


@pytest.mark.django_db
def test_formula_like_text_stays_text(council_client, workshop_data):
    response = council_client.get(
        reverse("workshops:workshop_export", args=[workshop_data["workshop"].pk])
    )
    sheet = load_workbook(BytesIO(_content(response))).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row}
    assert cells["=1+1"].data_type == "s"
    assert cells["-Strider mot LOU"].data_type == "s"


@pytest.mark.django_db
def test_export_has_no_personal_data(council_client, workshop_data):
    response = council_client.get(
        reverse("workshops:workshop_export", args=[workshop_data["workshop"].pk])
    )
    text = repr(_rows(response))
    for personal in (
        "Greta Kontaktsson",
        "greta@example.se",
        "016-999 99 99",
        "Rå anteckning",
        "Hemliga Bolaget AB",
        "Citat",
    ):
        assert personal not in text
    assert len(EXPORT_COLUMNS) == len(HEADERS)


@pytest.mark.django_db
def test_unknown_workshop_is_404(council_client):
    assert council_client.get(reverse("workshops:workshop_export", args=[99999])).status_code == 404


@pytest.mark.django_db
def test_export_is_get_only(council_client, workshop_data):
    url = reverse("workshops:workshop_export", args=[workshop_data["workshop"].pk])
    assert council_client.post(url).status_code == 405


@pytest.mark.django_db
def test_export_runs_a_constant_number_of_queries(
    council_client, workshop_data, django_assert_max_num_queries
):
    url = reverse("workshops:workshop_export", args=[workshop_data["workshop"].pk])
    council_client.get(url)
    with django_assert_max_num_queries(20) as small:
        assert council_client.get(url).status_code == 200
    group = workshop_data["top"].group
    for number in range(20):
        proposal = ProposalFactory(group=group, title=f"Förslag {number}", votes=number)
        proposal.evidence.add(FindingFactory(), FindingFactory())
    proposals_merge(
        survivor=workshop_data["low"],
        duplicates=[ProposalFactory(group=group, votes=1), ProposalFactory(group=group)],
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = council_client.get(url)
    assert len(_rows(response)) == 1 + 3 + 22


def _bulk_proposals(group, count: int) -> None:
    """Proposals with evidence, inserted in bulk (the memory test's data)."""
    from interviews.models import Finding

    findings = list(Finding.objects.order_by("pk")[:4])
    proposals = Proposal.objects.bulk_create(
        Proposal(
            group=group,
            area=group.area,
            title=f"Förslag {group.pk}-{n}",
            description="Fler och mindre delkontrakt i upphandlingarna. " * 10,
            actor="kommunen",
            horizon="inom_1_ar",
            votes=n % 17,
        )
        for n in range(count)
    )
    Proposal.evidence.through.objects.bulk_create(
        Proposal.evidence.through(proposal=proposal, finding=finding)
        for proposal in proposals
        for finding in findings
    )


def _peak_memory_of_export(workshop, target) -> int:
    tracemalloc.start()
    try:
        workshop_proposals_write(workshop, str(target))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.django_db
def test_memory_does_not_grow_with_the_number_of_proposals(workshop_data, tmp_path, monkeypatch):
    """The peak while exporting 200 and 2,000 proposals (four evidence links each): the same.

    Loading the proposals as model instances, or the workbook in memory, would make the larger
    peak several times the smaller one. Rows are read 50 at a time here (1,000 in the portal),
    so that both sizes span several reads.
    """
    monkeypatch.setattr(workshops_exports, "CHUNK_SIZE", 50)
    workshop = workshop_data["workshop"]
    group = workshop_data["top"].group
    _bulk_proposals(group, 197)
    workshop_proposals_write(workshop, str(tmp_path / "warm-up.xlsx"))
    small = _peak_memory_of_export(workshop, tmp_path / "small.xlsx")
    _bulk_proposals(group, 1_800)
    large = _peak_memory_of_export(workshop, tmp_path / "large.xlsx")

    sheet = load_workbook(tmp_path / "large.xlsx", read_only=True)["Förslag"]
    assert sum(1 for _row in sheet.iter_rows(values_only=True)) == 1 + 2_000
    assert large < small * 1.25, (small, large)
