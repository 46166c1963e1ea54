"""One search box for everything a role may see (search.selectors.global_search)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import (
    ActivityFactory,
    CompanyFactory,
    FindingFactory,
    InterviewFactory,
    ProposalFactory,
)

URL = reverse("search:search")


@pytest.fixture
def world(db):
    company = CompanyFactory(name="Hällby Åkeri AB")
    interview = InterviewFactory(company=company, notes="Samtal om åkeriets tillväxt")
    FindingFactory(interview=interview, text="Åkeriet behöver fler chaufförer")
    ProposalFactory(title="Körkortsstöd för åkerier")
    ActivityFactory(title="Åkeridag med gymnasiet")
    return company


def _groups(client, q="åkeri") -> dict[str, list[str]]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return {group.kind: [hit.title for hit in group.hits] for group in response.context["groups"]}


def test_a_developer_finds_every_kind_grouped(developer_client, world):
    groups = _groups(developer_client)
    assert list(groups) == ["companies", "interviews", "findings", "proposals", "activities"]
    assert groups["companies"] == ["Hällby Åkeri AB"]
    assert groups["findings"] == ["Åkeriet behöver fler chaufförer"]
    body = developer_client.get(URL, {"q": "åkeri"}).content.decode()
    assert reverse("interviews:company_detail", args=[world.pk]) in body
    assert "Alla företag med de här orden" in body


def test_the_council_gets_only_what_it_may_open(council_client, world):
    groups = _groups(council_client)
    assert set(groups) == {"proposals", "activities"}
    body = council_client.get(URL, {"q": "åkeri"}).content.decode()
    assert "Hällby Åkeri AB" not in body and "chaufförer" not in body


def test_a_facilitator_gets_findings_but_no_companies_or_interviews(facilitator_client, world):
    assert set(_groups(facilitator_client)) == {"findings", "proposals", "activities"}


def test_each_group_shows_a_few_and_says_there_are_more(developer_client, db):
    for number in range(7):
        CompanyFactory(name=f"Bygg {number} AB")
    response = developer_client.get(URL, {"q": "bygg"})
    (companies,) = [g for g in response.context["groups"] if g.kind == "companies"]
    assert len(companies.hits) == 5 and companies.has_more


def test_nothing_found_and_bad_input_are_answered_in_swedish(developer_client, db):
    body = developer_client.get(URL, {"q": "zzzz"}).content.decode()
    assert "Inget du får se innehåller ”zzzz”." in body
    assert developer_client.get(URL, {"q": "x" * 201}).status_code == 400
    assert developer_client.get(URL, {"q": "a\x00b"}).status_code == 400
    assert developer_client.get(URL).status_code == 200


def test_every_page_has_the_search_box(developer_client, db):
    body = developer_client.get(reverse("core:home")).content.decode()
    assert f'action="{URL}"' in body and 'role="search"' in body
