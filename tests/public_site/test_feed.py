"""The Atom feed of published celebrations and completed public activities."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from defusedxml.ElementTree import fromstring
from django.urls import reverse

from actionplan.choices import CelebrationKind
from actionplan.models import Celebration
from public_site.selectors import FEED_ENTRIES
from tests.factories import ActivityFactory

from .conftest import SECRETS

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries_of(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None, required
    return root.findall(f"{ATOM}entry")


def test_the_feed_lists_celebrations_and_completed_activities_newest_first(anonymous, dialogue):
    entries = entries_of(anonymous.get(reverse("public:feed")))

    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert len(titles) == 2
    assert "Bygglovslots för små företag" in titles[0]  # completed, dated today (no celebration)
    assert "Lotsen anställd" in titles[1]
    for entry in entries:
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert all(reverse("public:results") in link for link in links)
    assert len({entry.find(f"{ATOM}id").text for entry in entries}) == len(entries)


def test_the_feed_holds_no_personal_data_and_nothing_unpublished(anonymous, dialogue):
    feed = anonymous.get(reverse("public:feed")).content.decode()

    leaked = [key for key, value in SECRETS.items() if value in feed]
    assert not leaked, leaked


def test_a_completed_activity_is_dated_by_its_celebration_and_listed_once(anonymous, dialogue):
    Celebration.objects.create(
        kind=CelebrationKind.ACTIVITY_DONE,
        title="Aktivitet slutförd: Bygglovslots för små företag",
        occurred_on=datetime.date(2026, 9, 1),
        activity=dialogue.activity,
        is_public=True,
    )

    entries = entries_of(anonymous.get(reverse("public:feed")))

    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert len(titles) == 2
    assert "Lotsen anställd" in titles[0]  # 1 October, after 1 September
    assert entries[1].find(f"{ATOM}updated").text.startswith("2026-09-01")


def test_the_feed_is_capped(anonymous, dialogue):
    for number in range(FEED_ENTRIES + 5):
        ActivityFactory(title=f"Klar aktivitet {number}", status="klar", is_public=True)

    assert len(entries_of(anonymous.get(reverse("public:feed")))) == FEED_ENTRIES


def test_the_feed_is_in_english_for_an_english_reader(anonymous, dialogue):
    anonymous.cookies["django_language"] = "en"

    response = anonymous.get(reverse("public:feed"))

    root = fromstring(response.content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert "Activity completed" in response.content.decode()
