"""Staff mark what the public page shows, in the edit forms they already use; the demo
publishes a sensible part of the demo dialogue."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from actionplan.choices import CelebrationKind
from actionplan.forms import ActivityForm, GoalForm
from actionplan.models import Activity, Celebration, Goal
from tests.factories import ActivityFactory, GoalFactory, ProposalFactory
from workshops.forms_proposals import ProposalForm
from workshops.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form_class", [ProposalForm, ActivityForm, GoalForm])
def test_the_edit_forms_offer_the_mark_with_a_help_text(form_class):
    field = form_class().fields["is_public"]

    assert not field.required
    assert field.help_text
    assert form_class().initial.get("is_public", False) is False


def test_nothing_is_public_by_default():
    for obj in (ProposalFactory(), ActivityFactory(), GoalFactory()):
        obj.refresh_from_db()
        assert obj.is_public is False


def test_a_facilitator_publishes_a_proposal(facilitator_client):
    proposal = ProposalFactory(status="under_beredning")
    url = reverse("workshops:proposal_update", args=[proposal.pk])
    assert 'name="is_public"' in facilitator_client.get(url).content.decode()

    response = facilitator_client.post(
        url,
        {
            "title": proposal.title,
            "description": "",
            "area": proposal.area_id,
            "actor": proposal.actor,
            "horizon": proposal.horizon,
            "effect": proposal.effect,
            "effort": proposal.effort,
            "status": proposal.status,
            "rejection_reason": "",
            "is_public": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    proposal.refresh_from_db()
    assert proposal.is_public


@pytest.mark.parametrize("name", ["actionplan:activity_update", "actionplan:goal_update"])
def test_the_plan_edit_pages_show_the_mark(developer_client, name):
    activity = ActivityFactory()
    obj = activity if "activity" in name else GoalFactory(plan=activity.plan)

    page = developer_client.get(reverse(name, args=[obj.pk])).content.decode()

    assert 'name="is_public"' in page


def test_a_developer_publishes_a_celebration(developer_client):
    celebration = Celebration.objects.create(
        kind=CelebrationKind.ACTIVITY_DONE,
        title="Aktivitet slutförd: lotsen",
        occurred_on=datetime.date(2026, 10, 1),
        activity=ActivityFactory(),
    )
    url = reverse("actionplan:celebration_mark", args=[celebration.pk])
    assert 'name="is_public"' in developer_client.get(url).content.decode()

    response = developer_client.post(url, {"celebrated": "1", "note": "", "is_public": "on"})

    assert response.status_code == 302
    celebration.refresh_from_db()
    assert celebration.is_public and celebration.is_celebrated


def test_the_demo_publishes_part_of_the_dialogue_once(anonymous):
    call_command("seed_demo", stdout=StringIO())

    published = {
        "proposals": Proposal.objects.filter(is_public=True).count(),
        "activities": Activity.objects.filter(is_public=True).count(),
        "goals": Goal.objects.filter(is_public=True).count(),
        "celebrations": Celebration.objects.filter(is_public=True).count(),
    }
    assert all(published.values()), published
    assert Proposal.objects.filter(is_public=False).exists()  # new and merged ones stay staff's
    assert not Activity.objects.filter(is_public=True, parent__isnull=False).exists()

    Goal.objects.update(is_public=False)
    call_command("seed_demo", stdout=StringIO())
    assert not Goal.objects.filter(is_public=True).exists()  # a rerun changes nothing

    page = anonymous.get(reverse("public:results")).content.decode()
    assert "Bygglovslots för små företag" in page
