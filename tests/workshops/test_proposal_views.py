from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from smeportal.accounts.roles import Role
from smeportal.areas.models import PriorityArea
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    InterviewFactory,
    PriorityAreaFactory,
    ProposalFactory,
    WorkshopGroupFactory,
)
from workshops.choices import Actor
from workshops.models import Proposal
from workshops.services import proposals_merge

PERSONAL = ("Greta Kontaktsson", "greta.kontakt@example.se", "016-999 99 99", "Rå anteckning")


@pytest.fixture
def area(db):
    return PriorityArea.objects.get(slug="service-och-samverkan")


@pytest.fixture
def proposal(area):
    group = WorkshopGroupFactory(name="Bord 3", area=area)
    return ProposalFactory(
        group=group,
        title="Bygglovslots för små företag",
        description="En lots som följer företaget genom hela bygglovet.",
        actor="kommunen",
        horizon="inom_1_ar",
        effect=3,
        effort=2,
        votes=12,
    )


@pytest.fixture
def evidence(proposal, area):
    """Findings behind the proposal, from a company whose contact and notes must stay hidden."""
    company = CompanyFactory(name="Hemliga Bolaget AB", industry="F", size_class="1-9")
    contact = ContactFactory(
        company=company, name=PERSONAL[0], email=PERSONAL[1], phone=PERSONAL[2]
    )
    named = InterviewFactory(company=company, consent="med_namn", notes=f"{PERSONAL[3]} om lovet")
    named.interviewees.set([contact])
    internal = InterviewFactory(company=company, consent="internt")
    findings = {
        "named": FindingFactory(
            interview=named, area=area, text="Bygglov dröjer", quote="Vi väntade i fyra månader"
        ),
        "internal": FindingFactory(
            interview=internal, area=area, text="Tillstånd krånglar", quote="Ingen svarar i telefon"
        ),
        "secret": FindingFactory(
            interview=named, area=area, text="Planerar ny fabrik 2027", is_confidential=True
        ),
        "other_company": FindingFactory(
            interview=InterviewFactory(company=CompanyFactory(industry="C", size_class="10-49")),
            area=area,
            text="Kompletteringar kommer styckvis",
        ),
    }
    proposal.evidence.add(*findings.values())
    return findings


# --- Detail -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role_client", list(Role), indirect=True)
def test_every_role_reads_the_proposal(role_client, proposal):
    response = role_client.get(reverse("workshops:proposal_detail", args=[proposal.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bygglovslots för små företag" in body
    assert "En lots som följer företaget" in body
    assert "Bord 3" in body
    assert "Service till företag" in body  # the area
    with translation.override("sv"):
        assert str(Actor.MUNICIPALITY.label) in body
    assert ">12<" in body  # votes
    assert reverse("workshops:workshop_detail", args=[proposal.group.workshop_id]) in body


@pytest.mark.django_db
def test_council_sees_evidence_without_personal_data(council_client, proposal, evidence):
    response = council_client.get(reverse("workshops:proposal_detail", args=[proposal.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for personal in PERSONAL:
        assert personal not in body
    assert "Bygglov dröjer" in body
    assert "Vi väntade i fyra månader" in body  # consent: quote with name
    assert "Ingen svarar i telefon" not in body  # consent: internal only
    assert "Planerar ny fabrik" not in body  # business secret
    assert "Byggverksamhet" in body  # industry instead of a name
    assert "1–9 anställda" in body
    # Counts include the confidential finding; two distinct companies stand behind it.
    assert '<dd class="col-sm-9">4</dd>' in body
    assert '<dd class="col-sm-9">2</dd>' in body
    assert reverse("interviews:interview_detail", args=[evidence["named"].interview_id]) not in body


@pytest.mark.django_db
def test_facilitator_sees_no_contact_details_or_secrets(facilitator_client, proposal, evidence):
    body = facilitator_client.get(
        reverse("workshops:proposal_detail", args=[proposal.pk])
    ).content.decode()
    for personal in PERSONAL:
        assert personal not in body
    assert "Planerar ny fabrik" not in body
    assert "Ingen svarar i telefon" not in body
    assert "Bygglov dröjer" in body


@pytest.mark.django_db
def test_developer_sees_company_names_and_all_findings(developer_client, proposal, evidence):
    body = developer_client.get(
        reverse("workshops:proposal_detail", args=[proposal.pk])
    ).content.decode()
    assert "Hemliga Bolaget AB" in body
    assert "Planerar ny fabrik" in body
    assert "Ingen svarar i telefon" in body
    assert reverse("interviews:interview_detail", args=[evidence["named"].interview_id]) in body
    for personal in PERSONAL[:3]:
        assert personal not in body


@pytest.mark.django_db
def test_links_follow_the_role(
    council_client, developer_client, facilitator_client, admin_client, proposal
):
    url = reverse("workshops:proposal_detail", args=[proposal.pk])
    edit = reverse("workshops:proposal_update", args=[proposal.pk])
    link = reverse("workshops:proposal_evidence", args=[proposal.pk])
    council = council_client.get(url).content.decode()
    assert edit not in council and link not in council
    developer = developer_client.get(url).content.decode()
    assert edit not in developer and link in developer
    for client in (facilitator_client, admin_client):
        body = client.get(url).content.decode()
        assert edit in body and link in body


@pytest.mark.django_db
def test_rejected_proposal_shows_its_reason(council_client, proposal):
    Proposal.objects.filter(pk=proposal.pk).update(
        status="avslagen", rejection_reason="Strider mot likabehandlingsprincipen"
    )
    body = council_client.get(
        reverse("workshops:proposal_detail", args=[proposal.pk])
    ).content.decode()
    assert "Strider mot likabehandlingsprincipen" in body


@pytest.mark.django_db
def test_merged_proposal_points_at_the_survivor_and_is_read_only(facilitator_client, proposal):
    duplicate = ProposalFactory(
        group=proposal.group, title="Lots genom bygglovet", votes=4, area=proposal.area
    )
    proposals_merge(survivor=proposal, duplicates=[duplicate])

    body = facilitator_client.get(
        reverse("workshops:proposal_detail", args=[duplicate.pk])
    ).content.decode()
    assert "Sammanslaget med" in body or "Merged with" in body
    assert reverse("workshops:proposal_detail", args=[proposal.pk]) in body
    assert reverse("workshops:proposal_update", args=[duplicate.pk]) not in body
    assert reverse("workshops:proposal_evidence", args=[duplicate.pk]) not in body

    survivor = facilitator_client.get(
        reverse("workshops:proposal_detail", args=[proposal.pk])
    ).content.decode()
    assert "Lots genom bygglovet" in survivor  # "Kommer från"
    assert reverse("workshops:proposal_detail", args=[duplicate.pk]) in survivor
    assert ">16<" in survivor  # 12 + 4 votes


@pytest.mark.django_db
def test_unknown_proposal_is_404(council_client):
    assert council_client.get(reverse("workshops:proposal_detail", args=[99999])).status_code == 404


def _add_findings(proposal, count: int) -> None:
    for _ in range(count):
        finding = FindingFactory(area=proposal.area, quote="Ett citat")
        proposal.evidence.add(finding)
    ProposalFactory(group=proposal.group, area=proposal.area)  # something to merge later
    proposals_merge(
        survivor=proposal,
        duplicates=[ProposalFactory(group=proposal.group, area=proposal.area, votes=1)],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["council_client", "developer_client"])
def test_detail_runs_a_constant_number_of_queries(
    request, client_name, proposal, django_assert_max_num_queries
):
    client = request.getfixturevalue(client_name)
    url = reverse("workshops:proposal_detail", args=[proposal.pk])
    _add_findings(proposal, 1)
    client.get(url)  # warm up the session and the role cache
    with django_assert_max_num_queries(11) as small:
        assert client.get(url).status_code == 200
    _add_findings(proposal, 19)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_findings_come_a_page_at_a_time_and_the_counts_cover_all(
    council_client, proposal, evidence
):
    from interviews.models import Finding
    from workshops.views.proposals import FINDINGS_PAGE_SIZE

    interview = evidence["other_company"].interview
    many = Finding.objects.bulk_create(
        Finding(interview=interview, area=proposal.area, type="utmaning", text=f"Kö {n}")
        for n in range(FINDINGS_PAGE_SIZE + 3)
    )
    proposal.evidence.add(*many)
    url = reverse("workshops:proposal_detail", args=[proposal.pk])
    first = council_client.get(url)
    last = council_client.get(url, {"page": 2})
    # All but the business secret are shown to the council.
    shown = 4 - 1 + FINDINGS_PAGE_SIZE + 3
    assert len(first.context["findings"]) == FINDINGS_PAGE_SIZE
    assert len(last.context["findings"]) == shown - FINDINGS_PAGE_SIZE
    assert first.context["page_obj"].paginator.count == shown
    assert first.context["summary"].finding_count == 4 + FINDINGS_PAGE_SIZE + 3
    assert first.context["hidden_finding_count"] == 1
    assert "Sida 1 av 2" in first.content.decode()


# --- Edit ---------------------------------------------------------------------------------------


def _form_data(proposal, **changes) -> dict:
    data = {
        "title": proposal.title,
        "description": proposal.description,
        "area": proposal.area_id,
        "actor": proposal.actor,
        "horizon": proposal.horizon,
        "effect": proposal.effect,
        "effort": proposal.effort,
        "status": proposal.status,
        "rejection_reason": proposal.rejection_reason,
    }
    data.update(changes)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["facilitator_client", "admin_client"])
def test_editor_changes_a_proposal(request, client_name, proposal):
    client = request.getfixturevalue(client_name)
    url = reverse("workshops:proposal_update", args=[proposal.pk])
    assert client.get(url).status_code == 200
    procurement = PriorityArea.objects.get(slug="upphandling")
    response = client.post(
        url,
        _form_data(
            proposal,
            title="Bygglovslots för alla småföretag",
            area=procurement.pk,
            actor="tillsammans",
            horizon="1_3_ar",
            effect=2,
            effort=3,
            status="under_beredning",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:proposal_detail", args=[proposal.pk])
    saved = Proposal.objects.get(pk=proposal.pk)
    assert saved.title == "Bygglovslots för alla småföretag"
    assert saved.area == procurement
    assert (saved.actor, saved.horizon, saved.effect, saved.effort, saved.status) == (
        "tillsammans",
        "1_3_ar",
        2,
        3,
        "under_beredning",
    )
    assert saved.votes == 12  # not on the form


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["council_client", "developer_client"])
def test_only_editors_may_edit(request, client_name, proposal):
    client = request.getfixturevalue(client_name)
    url = reverse("workshops:proposal_update", args=[proposal.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _form_data(proposal, title="Kapat")).status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).title == "Bygglovslots för små företag"


@pytest.mark.django_db
def test_rejection_without_reason_is_a_form_error(facilitator_client, proposal):
    url = reverse("workshops:proposal_update", args=[proposal.pk])
    response = facilitator_client.post(url, _form_data(proposal, status="avslagen"))
    assert response.status_code == 400
    assert "form-errors" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == "ny"

    response = facilitator_client.post(
        url, _form_data(proposal, status="avslagen", rejection_reason="Finns redan i dag")
    )
    assert response.status_code == 302
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.status, saved.rejection_reason) == ("avslagen", "Finns redan i dag")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"status": "sammanslagen"},
        {"title": ""},
        {"title": "x" * 201},
        {"effect": 7},
        {"effort": -1},
        {"actor": "staten"},
        {"area": 999999},
        {"description": "y" * 4001},
    ],
)
def test_bad_input_is_400_and_nothing_saved(facilitator_client, proposal, changes):
    url = reverse("workshops:proposal_update", args=[proposal.pk])
    response = facilitator_client.post(url, _form_data(proposal, **changes))
    assert response.status_code == 400
    assert "form-errors" in response.content.decode()
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.title, saved.status, saved.effect) == ("Bygglovslots för små företag", "ny", 3)


@pytest.mark.django_db
def test_archived_areas_are_not_offered(facilitator_client, proposal):
    archived = PriorityAreaFactory(name="Gammalt område", is_archived=True)
    url = reverse("workshops:proposal_update", args=[proposal.pk])
    assert "Gammalt område" not in facilitator_client.get(url).content.decode()
    response = facilitator_client.post(url, _form_data(proposal, area=archived.pk))
    assert response.status_code == 400


@pytest.mark.django_db
def test_merged_proposal_cannot_be_edited(facilitator_client, proposal):
    duplicate = ProposalFactory(group=proposal.group, title="Dubblett", area=proposal.area)
    proposals_merge(survivor=proposal, duplicates=[duplicate])
    url = reverse("workshops:proposal_update", args=[duplicate.pk])

    response = facilitator_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:proposal_detail", args=[duplicate.pk])

    response = facilitator_client.post(url, _form_data(duplicate, title="Ändrad"))
    assert response.status_code == 409
    assert "Bygglovslots för små företag" in response.content.decode()  # names the survivor
    assert Proposal.objects.get(pk=duplicate.pk).title == "Dubblett"


@pytest.mark.django_db
def test_editing_an_unknown_proposal_is_404(facilitator_client):
    url = reverse("workshops:proposal_update", args=[99999])
    assert facilitator_client.get(url).status_code == 404
    assert facilitator_client.post(url, {}).status_code == 404
