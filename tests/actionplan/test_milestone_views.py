"""Milestones: added, edited and marked done by editors and the activity's contact user."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from actionplan.choices import CelebrationKind
from actionplan.models import Celebration, Milestone
from smeportal.accounts.roles import Role
from tests.factories import ActivityFactory, MilestoneFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact():
    return UserFactory(username="kontakten", role=Role.FACILITATOR)


@pytest.fixture
def contact_client(contact):
    client = Client()
    client.force_login(contact)
    return client


@pytest.fixture
def activity(contact):
    return ActivityFactory(title="Bygglovslots", contact_user=contact)


def create_url(activity) -> str:
    return reverse("actionplan:milestone_create", args=[activity.pk])


def update_url(milestone) -> str:
    return reverse("actionplan:milestone_update", args=[milestone.pk])


def detail_url(activity) -> str:
    return reverse("actionplan:activity_detail", args=[activity.pk])


def test_developer_adds_a_milestone(developer_client, activity):
    assert developer_client.get(create_url(activity)).status_code == 200
    response = developer_client.post(
        create_url(activity), {"title": "Lotsen anställd", "date": "2026-06-01"}
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(activity)
    milestone = Milestone.objects.get()
    assert (milestone.activity, milestone.title, milestone.is_done) == (
        activity,
        "Lotsen anställd",
        False,
    )
    assert not Celebration.objects.exists()


def test_milestone_added_done_is_celebrated(developer_client, activity):
    developer_client.post(
        create_url(activity), {"title": "Lotsen anställd", "date": "2026-06-01", "is_done": "on"}
    )
    milestone = Milestone.objects.get()
    assert milestone.is_done and milestone.done_at is not None
    assert Celebration.objects.get().milestone == milestone


def test_contact_user_adds_and_marks_done_on_their_own_activity(contact_client, activity):
    response = contact_client.post(
        create_url(activity), {"title": "Första lotsningen", "date": "2026-09-01"}
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    response = contact_client.post(update_url(milestone), {"mark_done": "1"}, follow=True)
    assert response.status_code == 200
    assert "Första lotsningen" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.is_done
    assert Celebration.objects.filter(kind=CelebrationKind.MILESTONE_DONE).count() == 1


def test_marking_done_twice_celebrates_once(developer_client, activity):
    milestone = MilestoneFactory(activity=activity)
    for _ in range(2):
        response = developer_client.post(update_url(milestone), {"mark_done": "1"})
        assert response.status_code == 302
    assert Celebration.objects.filter(milestone=milestone).count() == 1


def test_mark_done_raises_the_activitys_progress(developer_client, activity):
    done = MilestoneFactory(activity=activity, is_done=True)
    open_one = MilestoneFactory(activity=activity)
    assert done.pk and "50 %" in developer_client.get(detail_url(activity)).content.decode()
    developer_client.post(update_url(open_one), {"mark_done": "1"})
    assert "100 %" in developer_client.get(detail_url(activity)).content.decode()


def test_developer_edits_a_milestone(developer_client, activity):
    milestone = MilestoneFactory(activity=activity, title="Gammal titel")
    assert developer_client.get(update_url(milestone)).status_code == 200
    response = developer_client.post(
        update_url(milestone), {"title": "Ny titel", "date": "2026-12-24", "is_done": ""}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.date) == ("Ny titel", date(2026, 12, 24))


def test_contact_user_cannot_touch_another_activity(contact_client):
    other = ActivityFactory()
    milestone = MilestoneFactory(activity=other)
    assert contact_client.get(create_url(other)).status_code == 403
    assert (
        contact_client.post(create_url(other), {"title": "X", "date": "2026-01-01"}).status_code
        == 403
    )
    assert contact_client.get(update_url(milestone)).status_code == 403
    assert contact_client.post(update_url(milestone), {"mark_done": "1"}).status_code == 403
    milestone.refresh_from_db()
    assert not milestone.is_done
    assert Milestone.objects.count() == 1


@pytest.mark.parametrize("client_name", ["council_client", "facilitator_client"])
def test_readers_get_403(request, client_name, activity):
    client = request.getfixturevalue(client_name)
    milestone = MilestoneFactory(activity=activity)
    assert client.get(create_url(activity)).status_code == 403
    assert (
        client.post(create_url(activity), {"title": "X", "date": "2026-01-01"}).status_code == 403
    )
    assert client.post(update_url(milestone), {"mark_done": "1"}).status_code == 403
    assert (
        client.post(update_url(milestone), {"title": "X", "date": "2026-01-01"}).status_code == 403
    )
    milestone.refresh_from_db()
    assert not milestone.is_done
    assert not Celebration.objects.exists()


def test_unknown_ids_are_404(developer_client):
    assert (
        developer_client.get(reverse("actionplan:milestone_create", args=[99999])).status_code
        == 404
    )
    assert developer_client.post(reverse("actionplan:milestone_update", args=[99999]),
                                 {"mark_done": "1"}).status_code == 404  # fmt: skip


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "date": "2026-01-01"}, "title"),
        ({"title": "x" * 201, "date": "2026-01-01"}, "title"),
        ({"title": "Delmål", "date": ""}, "date"),
        ({"title": "Delmål", "date": "31/12/2026"}, "date"),
    ],
)
def test_bad_milestone_is_a_400(developer_client, activity, data, field):
    response = developer_client.post(create_url(activity), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'id="form-errors"' in response.content.decode()
    assert not Milestone.objects.exists()
