"""Coverage: challenges no proposal answers, and proposals not yet in the plan, per area."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smeportal.accounts.roles import Role
from smeportal.areas.models import PriorityArea
from tests.factories import (
    CompanyFactory,
    FindingFactory,
    InterviewFactory,
    ProposalFactory,
    WorkshopGroupFactory,
)

COVERAGE = reverse("actionplan:coverage")
pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    return {area.slug: area for area in PriorityArea.objects.all()}


@pytest.fixture
def setting(areas):
    service = areas["service-och-samverkan"]
    skills = areas["kompetensforsorjning"]
    group = WorkshopGroupFactory(area=service, name="Bord 3")
    companies = [
        CompanyFactory(name=f"Bolag {n} AB", industry="F", size_class="1-9") for n in range(3)
    ]
    findings = [
        FindingFactory(interview=InterviewFactory(company=company), area=service)
        for company in companies
    ]
    # Two findings from the same company count as one company.
    findings.append(FindingFactory(interview=findings[0].interview, area=service))
    wide = ProposalFactory(group=group, title="Bygglovslots", votes=1)
    wide.evidence.add(*findings)  # 3 companies
    narrow = ProposalFactory(group=group, title="Följ ditt ärende", votes=30)
    narrow.evidence.add(findings[1])  # 1 company, more votes
    unbacked = ProposalFactory(group=group, title="Tidsgaranti", votes=50)  # 0 companies
    ProposalFactory(group=group, title="Redan i planen", status="i_handlingsplan")
    ProposalFactory(
        group=group, title="Avslaget förslag", status="avslagen", rejection_reason="LOU"
    )
    ProposalFactory(group=group, title="Dubbletten", merged_into=wide, status="sammanslagen")
    secret_company = CompanyFactory(name="Hemliga Gjuteriet AB", industry="C", size_class="50-249")
    unanswered = {
        "open": FindingFactory(
            interview=InterviewFactory(company=secret_company, consent="anonymt"),
            area=skills,
            text="Svårt att hitta svetsare",
            quote="Vi har annonserat i ett år",
        ),
        "secret": FindingFactory(
            interview=InterviewFactory(company=secret_company),
            area=skills,
            text="Planerar att flytta produktionen",
            is_confidential=True,
        ),
        "idea": FindingFactory(area=skills, type="ide", text="En idé, ingen utmaning"),
    }
    return {"wide": wide, "narrow": narrow, "unbacked": unbacked, "unanswered": unanswered}


@pytest.mark.parametrize("role_client", list(Role), indirect=True)
def test_every_role_reads_coverage(role_client, setting):
    response = role_client.get(COVERAGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Svårt att hitta svetsare" in body
    assert "En idé, ingen utmaning" not in body  # only challenges
    assert "Synpunkt nummer" not in body  # challenges answered by a proposal
    assert "Tillverkning" in body  # the industry of the company behind the challenge
    assert "50–249 anställda" in body
    for title in ("Redan i planen", "Avslaget förslag", "Dubbletten"):
        assert title not in body


def test_proposals_are_ranked_by_companies_then_votes(developer_client, setting):
    body = developer_client.get(COVERAGE).content.decode()
    positions = [body.index(title) for title in ("Bygglovslots", "Följ ditt ärende", "Tidsgaranti")]
    assert positions == sorted(positions)
    proposals = {
        proposal.title: proposal
        for proposal in _section(developer_client, "service-och-samverkan").proposals
    }
    assert proposals["Bygglovslots"].company_count == 3
    assert proposals["Följ ditt ärende"].company_count == 1
    assert proposals["Tidsgaranti"].company_count == 0


def _section(client, slug):
    response = client.get(COVERAGE)
    return next(section for section in response.context["sections"] if section.area.slug == slug)


def test_editors_get_a_link_to_create_an_activity(developer_client, council_client, setting):
    link = f"{reverse('actionplan:activity_from_proposals')}?proposal={setting['wide'].pk}"
    assert link in developer_client.get(COVERAGE).content.decode()
    assert link not in council_client.get(COVERAGE).content.decode()


def test_company_names_and_secrets_only_for_business_developers(
    developer_client, facilitator_client, council_client, setting
):
    developer_body = developer_client.get(COVERAGE).content.decode()
    assert "Hemliga Gjuteriet AB" in developer_body
    assert "Planerar att flytta produktionen" in developer_body
    for client in (facilitator_client, council_client):
        body = client.get(COVERAGE).content.decode()
        assert "Hemliga Gjuteriet AB" not in body
        assert "Planerar att flytta produktionen" not in body
        assert "Vi har annonserat i ett år" in body  # anonymous consent: the quote, no name


def test_area_filter(developer_client, setting, areas):
    response = developer_client.get(f"{COVERAGE}?area={areas['kompetensforsorjning'].pk}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Svårt att hitta svetsare" in body
    assert "Bygglovslots" not in body
    assert [section.area.slug for section in response.context["sections"]] == [
        "kompetensforsorjning"
    ]


@pytest.mark.parametrize("query", ["area=99999", "area=abc"])
def test_bad_area_is_a_400(developer_client, setting, query):
    response = developer_client.get(f"{COVERAGE}?{query}")
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(COVERAGE).status_code == 200
    return len(queries)


@pytest.mark.parametrize("client_name", ["developer_client", "council_client"])
def test_coverage_runs_a_constant_number_of_queries(request, client_name, areas):
    client = request.getfixturevalue(client_name)
    group = WorkshopGroupFactory(area=areas["upphandling"])

    def add(count: int):
        for _ in range(count):
            FindingFactory(area=areas["upphandling"], quote="Citat")
            proposal = ProposalFactory(group=group)
            proposal.evidence.add(FindingFactory(area=areas["upphandling"]))

    add(1)
    small = _queries(client)
    add(15)
    assert _queries(client) == small


def test_the_overview_shows_the_first_few_per_area_with_counts_and_a_link(developer_client, areas):
    from actionplan.views.coverage import FIRST_PER_AREA

    skills = areas["kompetensforsorjning"]
    interview = InterviewFactory()
    FindingFactory.create_batch(FIRST_PER_AREA + 3, interview=interview, area=skills)
    group = WorkshopGroupFactory(area=skills)
    ProposalFactory.create_batch(FIRST_PER_AREA + 2, group=group)
    response = developer_client.get(COVERAGE)
    section = next(s for s in response.context["sections"] if s.area == skills)
    assert len(section.challenges) == FIRST_PER_AREA
    assert section.challenge_count == FIRST_PER_AREA + 3
    assert len(section.proposals) == FIRST_PER_AREA
    assert section.proposal_count == FIRST_PER_AREA + 2
    body = response.content.decode()
    assert f"Utmaningar som inget förslag besvarar ännu ({FIRST_PER_AREA + 3})" in body
    assert f"Förslag som ännu inte är med i planen ({FIRST_PER_AREA + 2})" in body
    assert f'href="?area={skills.pk}"' in body
    # An area whose lists are complete gets no such link.
    procurement = areas["upphandling"]
    assert f'href="?area={procurement.pk}"' not in body


def test_an_area_lists_its_challenges_and_proposals_a_page_at_a_time(developer_client, areas):
    from actionplan.views.coverage import PAGE_SIZE

    skills = areas["kompetensforsorjning"]
    interview = InterviewFactory()
    challenges = FindingFactory.create_batch(PAGE_SIZE + 2, interview=interview, area=skills)
    group = WorkshopGroupFactory(area=skills)
    ProposalFactory.create_batch(PAGE_SIZE + 1, group=group)
    first = developer_client.get(COVERAGE, {"area": skills.pk})
    body = first.content.decode()
    assert 'aria-label="Sidor med utmaningar"' in body
    assert 'aria-label="Sidor med förslag"' in body
    assert f'href="?area={skills.pk}&amp;page=2"' in body
    assert f'href="?area={skills.pk}&amp;proposal_page=2"' in body
    second = developer_client.get(COVERAGE, {"area": skills.pk, "page": 2, "proposal_page": 2})
    (section,) = second.context["sections"]
    assert [f.pk for f in section.challenges] == [f.pk for f in challenges[-2:]]
    assert len(section.proposals) == 1
    assert section.challenge_count == PAGE_SIZE + 2
    # Each list's links keep the other list's page.
    assert f'href="?area={skills.pk}&amp;proposal_page=2&amp;page=1"' in second.content.decode()


def test_challenges_are_counted_up_to_a_cap(developer_client, areas):
    """The overview counts up to OVERVIEW_CAP per area, the area's own page up to CHALLENGE_CAP."""
    from actionplan.views.coverage import CHALLENGE_CAP, OVERVIEW_CAP
    from interviews.models import Finding

    skills = areas["kompetensforsorjning"]
    interview = InterviewFactory()
    Finding.objects.bulk_create(
        Finding(interview=interview, area=skills, type="utmaning", text=f"Utmaning {n}")
        for n in range(CHALLENGE_CAP + 1)
    )
    body = developer_client.get(COVERAGE).content.decode()
    assert f"Utmaningar som inget förslag besvarar ännu (fler än {OVERVIEW_CAP})" in body
    assert f"Fler än {OVERVIEW_CAP} utmaningar utan förslag" in body
    area_page = developer_client.get(COVERAGE, {"area": skills.pk}).content.decode()
    assert f"Utmaningar som inget förslag besvarar ännu (fler än {CHALLENGE_CAP})" in area_page


def test_the_overview_counts_exactly_below_its_cap(developer_client, areas):
    from actionplan.views.coverage import OVERVIEW_CAP
    from interviews.models import Finding

    skills = areas["kompetensforsorjning"]
    interview = InterviewFactory()
    Finding.objects.bulk_create(
        Finding(interview=interview, area=skills, type="utmaning", text=f"Utmaning {n}")
        for n in range(OVERVIEW_CAP)
    )
    body = developer_client.get(COVERAGE).content.decode()
    assert f"Utmaningar som inget förslag besvarar ännu ({OVERVIEW_CAP})" in body


@pytest.mark.parametrize("data", [None, {"area": "first"}, {"area": "999999"}])
def test_the_area_filter_from_the_pages_areas_is_the_forms_own(data):
    """The coverage page reads the areas once: the filter's options drawn from them are the
    options the form reads itself, selected and validated alike."""
    from actionplan.forms import AreaFilterForm
    from smeportal.areas.selectors import area_list

    areas = list(area_list())
    if data and data["area"] == "first":
        data = {"area": str(areas[0].pk)}
    own, given = AreaFilterForm(data), AreaFilterForm(data, areas=areas)
    if data:  # a chosen area is looked up, as the page does before drawing the form
        assert given.is_valid() == own.is_valid()

    with CaptureQueriesContext(connection) as queries:
        drawn = str(given["area"])
    assert drawn == str(own["area"])
    assert len(queries) == 0
