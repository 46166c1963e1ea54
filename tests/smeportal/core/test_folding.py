"""Search that ignores case and accents, the same on SQLite and Postgres (smeportal.core.folding)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interviews.models import Company
from smeportal.core.folding import fold
from tests.factories import CompanyFactory, FindingFactory, InterviewFactory


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hällby Åkeri", "hallby akeri"),
        ("ÖSTRA", "ostra"),
        ("Café", "cafe"),
        ("", ""),
        (None, None),
    ],
)
def test_fold_is_lower_case_without_diacritics(text, folded):
    assert fold(text) == folded


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Åkeri", "åkeri", "ÅKERI", "akeri", "HÄLLBY", "hallby"])
def test_a_company_is_found_whatever_the_case_and_accents(query):
    CompanyFactory(name="Hällby Åkeri AB")
    CompanyFactory(name="Kjula Snickeri AB")
    assert list(
        Company.objects.filter(name__folded_contains=query).values_list("name", flat=True)
    ) == ["Hällby Åkeri AB"]


@pytest.mark.django_db
def test_like_wildcards_in_the_search_are_plain_characters():
    CompanyFactory(name="100% Bygg AB")
    CompanyFactory(name="1000 Bygg AB")
    CompanyFactory(name="Bygg_och_Mark AB")
    CompanyFactory(name="Bygg och Mark AB")
    names = lambda q: sorted(  # noqa: E731
        Company.objects.filter(name__folded_contains=q).values_list("name", flat=True)
    )
    assert names("100%") == ["100% Bygg AB"]
    assert names("g_o") == ["Bygg_och_Mark AB"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["åkeri", "HÄLLBY", "hallby akeri"])
def test_the_company_list_finds_it(developer_client, query):
    CompanyFactory(name="Hällby Åkeri AB")
    body = developer_client.get(reverse("interviews:company_list"), {"q": query}).content.decode()
    assert "Hällby Åkeri AB" in body


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["åkeri", "HÄLLBY", "Hällby Åkeri"])
def test_the_interview_list_finds_it_whatever_the_case(developer_client, query):
    """(On Postgres through the Swedish search document, which keeps the accents.)"""
    company = CompanyFactory(name="Hällby Åkeri AB")
    FindingFactory(interview=InterviewFactory(company=company))
    interviews = developer_client.get(reverse("interviews:interview_list"), {"q": query})
    assert interviews.status_code == 200
    assert "Hällby Åkeri AB" in interviews.content.decode()
