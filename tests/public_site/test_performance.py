"""The public page costs a fixed number of queries whatever the size of the data, and a cached
answer costs one."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from public_site.selectors import PROPOSALS_PER_AREA, PUBLIC_QUERIES
from tests.factories import ActivityFactory, GoalFactory, IndicatorFactory, ProposalFactory

from .conftest import summarise

pytestmark = pytest.mark.django_db


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def grow(dialogue, times: int) -> None:
    for number in range(times):
        ProposalFactory(area=dialogue.area, title=f"Fler förslag {number}", is_public=True)
        activity = ActivityFactory(
            title=f"Fler aktiviteter {number}", plan=dialogue.activity.plan, is_public=True
        )
        activity.proposals.set([dialogue.proposal])
        goal = GoalFactory(plan=dialogue.activity.plan, title=f"Fler mål {number}", is_public=True)
        goal.indicators.set([IndicatorFactory(name=f"Fler mätetal {number}")])
    summarise()


def test_the_query_count_does_not_grow_with_the_data(anonymous, dialogue):
    url = reverse("public:results")
    small = queries_of(anonymous, url)

    grow(dialogue, 8)
    cache.clear()
    large = queries_of(anonymous, url)

    assert small == large == PUBLIC_QUERIES + 1  # which summary is the latest, then the page


def test_a_cached_answer_costs_one_query(anonymous, dialogue):
    url = reverse("public:results")
    first = queries_of(anonymous, url)

    second = queries_of(anonymous, url)

    assert first > second
    assert second == 1


def test_a_new_summary_is_shown_at_once(anonymous, dialogue):
    url = reverse("public:results")
    anonymous.get(url)
    grow(dialogue, 1)

    assert queries_of(anonymous, url) == PUBLIC_QUERIES + 1


def test_an_area_lists_a_bounded_number_of_proposals_and_counts_the_rest(anonymous, dialogue):
    for number in range(PROPOSALS_PER_AREA + 2):
        ProposalFactory(area=dialogue.area, title=f"Massförslag {number}", is_public=True)

    page = anonymous.get(reverse("public:results")).content.decode()

    # The dialogue's two come first (most votes, then the oldest); 54 published, 50 shown.
    assert page.count("Massförslag") == PROPOSALS_PER_AREA - 2
    assert "4 more published proposals" in page or "4 publicerade förslag till" in page


def test_the_feed_costs_a_fixed_number_of_queries(anonymous, dialogue):
    url = reverse("public:feed")
    small = queries_of(anonymous, url)
    grow(dialogue, 5)
    cache.clear()

    assert queries_of(anonymous, url) == small <= 3


def test_a_kept_feed_costs_no_query_in_each_language(anonymous, dialogue):
    url = reverse("public:feed")
    swedish = anonymous.get(url)
    assert queries_of(anonymous, url) == 0
    assert anonymous.get(url).content == swedish.content

    anonymous.cookies["django_language"] = "en"
    english = anonymous.get(url)

    assert english.content != swedish.content
    assert b'xml:lang="en"' in english.content
    assert english["Content-Type"] == swedish["Content-Type"]
    assert english["Last-Modified"] == swedish["Last-Modified"]
