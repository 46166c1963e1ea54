"""The open API of published data: /api/v1/public/… for anyone, without a token."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import ProposalFactory

from .conftest import SECRETS

pytestmark = pytest.mark.django_db

PUBLIC_ENDPOINTS = (
    "api:public_areas",
    "api:public_proposals",
    "api:public_activities",
    "api:public_goals",
    "api:public_indicators",
    "api:public_celebrations",
)


def _get(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200, response.content
    return response


@pytest.mark.parametrize("name", PUBLIC_ENDPOINTS)
def test_every_endpoint_answers_anonymous_callers_without_personal_data(anonymous, dialogue, name):
    response = _get(anonymous, name)
    assert response["Content-Type"] == "application/json"
    body = response.content.decode()
    for secret in SECRETS.values():
        assert secret not in body, (name, secret)
    assert json.loads(body)["results"] is not None


def test_published_proposals_only_with_their_public_fields(anonymous, dialogue):
    rows = _get(anonymous, "api:public_proposals").json()["results"]
    titles = {row["title"] for row in rows}
    assert "Snabbare bygglov för små företag" in titles
    assert SECRETS["hidden_proposal"] not in titles
    proposal = next(row for row in rows if row["id"] == dialogue.proposal.pk)
    assert set(proposal) == {"id", "area", "title", "actor", "status", "votes", "activities"}
    assert proposal["status"] == {"code": "i_handlingsplan", "label": "Med i handlingsplanen"}
    assert proposal["activities"] == [dialogue.activity.pk]


def test_labels_follow_the_asked_language(anonymous, dialogue):
    swedish = _get(anonymous, "api:public_activities").json()["results"][0]
    english = _get(anonymous, "api:public_activities", lang="en").json()["results"][0]
    assert swedish["status"] == {"code": "klar", "label": "Klar"}
    assert english["status"] == {"code": "klar", "label": "Done"}
    by_header = anonymous.get(reverse("api:public_activities"), HTTP_ACCEPT_LANGUAGE="en-GB")
    assert by_header.json()["results"][0]["status"]["label"] == "Done"
    assert by_header["Content-Language"] == "en"


def test_indicators_of_published_goals_with_measurements_and_state(anonymous, dialogue):
    rows = _get(anonymous, "api:public_indicators").json()["results"]
    assert [row["name"] for row in rows] == ["Sammanfattande omdöme"]
    indicator = rows[0]
    assert indicator["measurements"] == [{"date": "2024-06-01", "value": 3.4}]
    assert indicator["latest"] == {"date": "2024-06-01", "value": 3.4}
    assert indicator["status"]["code"]
    goals = _get(anonymous, "api:public_goals").json()["results"]
    assert [goal["indicators"] for goal in goals] == [[dialogue.indicator.pk]]


def test_activities_with_progress_areas_and_only_published_proposals(anonymous, dialogue):
    rows = _get(anonymous, "api:public_activities").json()["results"]
    assert [row["id"] for row in rows] == [dialogue.activity.pk]
    activity = rows[0]
    assert activity["areas"] == [dialogue.area.pk]
    assert activity["proposals"] == [dialogue.proposal.pk]
    assert activity["progress"] == 100


def test_areas_carry_the_summary_figures(anonymous, dialogue):
    rows = _get(anonymous, "api:public_areas").json()["results"]
    first = next(row for row in rows if row["id"] == dialogue.area.pk)
    assert first["figures"]["companies"] >= 3
    assert set(first["figures"]) == {"interviews", "companies", "challenges", "ideas", "strengths"}


def test_filters_and_stable_ordering(anonymous, dialogue):
    for votes in (5, 5, 9):
        ProposalFactory(area=dialogue.area, votes=votes, is_public=True, title=f"Förslag {votes}")
    rows = _get(anonymous, "api:public_proposals", ordering="-votes").json()["results"]
    votes = [row["votes"] for row in rows]
    assert votes == sorted(votes, reverse=True)
    ties = [row["id"] for row in rows if row["votes"] == 5]
    assert ties == sorted(ties, reverse=True)
    rejected = _get(anonymous, "api:public_proposals", status="avslagen").json()["results"]
    assert [row["status"]["code"] for row in rejected] == ["avslagen"]


def test_a_bad_filter_is_a_400_in_swedish(anonymous, dialogue):
    response = anonymous.get(reverse("api:public_proposals"), {"status": "<script>"})
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert anonymous.get(reverse("api:public_proposals"), {"page": "999"}).status_code == 404


def test_pages_are_bounded(anonymous, dialogue):
    ProposalFactory.create_batch(5, area=dialogue.area, is_public=True)
    body = _get(anonymous, "api:public_proposals", page_size=2).json()
    assert len(body["results"]) == 2
    assert body["count"] >= 7
    assert "page=2" in body["next"]
    big = _get(anonymous, "api:public_proposals", page_size=10_000).json()
    assert len(big["results"]) <= 200


def test_an_unchanged_answer_is_a_304_for_its_etag(anonymous, dialogue):
    first = _get(anonymous, "api:public_goals")
    assert first["ETag"]
    assert "public" in first["Cache-Control"]
    again = anonymous.get(reverse("api:public_goals"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_answers_are_cached_briefly(anonymous, dialogue, django_assert_num_queries):
    _get(anonymous, "api:public_proposals")
    with django_assert_num_queries(0):
        _get(anonymous, "api:public_proposals")
    cache.clear()
    with django_assert_num_queries(3):  # the count, the page, the activities realising them
        _get(anonymous, "api:public_proposals")


def test_the_rate_is_limited(anonymous, dialogue, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "2/minute"},
    }
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        codes = [
            anonymous.get(reverse("api:public_goals"), {"page_size": n}).status_code
            for n in (1, 2, 3)
        ]
        assert codes == [200, 200, 429]
        refused = anonymous.get(reverse("api:public_goals"), {"page_size": 4})
        assert refused.status_code == 429
        assert refused["Retry-After"]
        assert "Förfrågan stoppades" in refused.json()["detail"]
    finally:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
        }
        api_settings.reload()
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
