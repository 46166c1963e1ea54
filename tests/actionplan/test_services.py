"""The action plan's writes: activities from proposals, milestones, celebrations, permissions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from actionplan.choices import ActivityStatus, CelebrationKind
from actionplan.models import Activity, Celebration
from actionplan.services import (
    activity_create_from_proposals,
    activity_save,
    activity_set_progress,
    can_update_activity,
    milestone_save,
)
from smeportal.accounts.roles import Role
from smeportal.areas.models import PriorityArea
from tests.factories import (
    ActionPlanFactory,
    ActivityFactory,
    MilestoneFactory,
    ProposalFactory,
    UserFactory,
    WorkshopGroupFactory,
)
from workshops.choices import ProposalStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    return {area.slug: area for area in PriorityArea.objects.all()}


def _new_activity(plan, **fields) -> Activity:
    return Activity(plan=plan, title="Bygglovslots", party_name="Bygglovsenheten", **fields)


def test_activity_from_proposals_puts_them_in_the_plan_with_their_areas(areas):
    service = WorkshopGroupFactory(area=areas["service-och-samverkan"])
    skills = WorkshopGroupFactory(area=areas["kompetensforsorjning"])
    first = ProposalFactory(group=service, status=ProposalStatus.UNDER_REVIEW)
    second = ProposalFactory(group=skills)
    untouched = ProposalFactory(group=service)

    activity = activity_create_from_proposals(
        activity=_new_activity(ActionPlanFactory()), proposals=[first, second]
    )

    assert set(activity.proposals.all()) == {first, second}
    assert set(activity.areas.all()) == {
        areas["service-och-samverkan"],
        areas["kompetensforsorjning"],
    }
    for proposal in (first, second):
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.IN_PLAN
    untouched.refresh_from_db()
    assert untouched.status == ProposalStatus.NEW


def test_areas_given_win_over_the_proposals_areas(areas):
    proposal = ProposalFactory(group=WorkshopGroupFactory(area=areas["upphandling"]))
    activity = activity_create_from_proposals(
        activity=_new_activity(ActionPlanFactory()),
        proposals=[proposal],
        areas=[areas["tillvaxt-och-hallbarhet"]],
    )
    assert list(activity.areas.all()) == [areas["tillvaxt-och-hallbarhet"]]


def test_no_proposal_is_refused():
    with pytest.raises(ValidationError):
        activity_create_from_proposals(activity=_new_activity(ActionPlanFactory()), proposals=[])
    assert not Activity.objects.exists()


def test_merged_proposal_is_refused_and_nothing_is_written():
    survivor = ProposalFactory()
    merged = ProposalFactory(
        group=survivor.group, merged_into=survivor, status=ProposalStatus.MERGED
    )
    with pytest.raises(ValidationError, match="slagits (ihop|samman)"):
        activity_create_from_proposals(
            activity=_new_activity(ActionPlanFactory()), proposals=[survivor, merged]
        )
    assert not Activity.objects.exists()
    survivor.refresh_from_db()
    assert survivor.status == ProposalStatus.NEW


def test_rejected_proposal_is_refused():
    rejected = ProposalFactory(status=ProposalStatus.REJECTED, rejection_reason="Strider mot LOU")
    with pytest.raises(ValidationError, match="avslag"):
        activity_create_from_proposals(
            activity=_new_activity(ActionPlanFactory()), proposals=[rejected]
        )
    assert not Activity.objects.exists()


def test_milestone_done_is_celebrated_once_even_if_saved_done_twice():
    milestone = MilestoneFactory(title="Lotsen anställd")
    milestone.is_done = True
    milestone_save(milestone=milestone)
    first_done_at = milestone.done_at
    milestone_save(milestone=milestone)

    celebrations = Celebration.objects.filter(kind=CelebrationKind.MILESTONE_DONE)
    assert celebrations.count() == 1
    assert "Lotsen anställd" in celebrations.get().title
    assert celebrations.get().activity == milestone.activity
    milestone.refresh_from_db()
    assert milestone.done_at == first_done_at


def test_milestone_undone_and_done_again_is_still_one_celebration():
    milestone = MilestoneFactory()
    for done in (True, False, True):
        milestone.is_done = done
        milestone_save(milestone=milestone)
    assert Celebration.objects.filter(milestone=milestone).count() == 1


def test_milestone_not_done_is_not_celebrated():
    milestone_save(milestone=MilestoneFactory.build(activity=ActivityFactory()))
    assert not Celebration.objects.exists()


def test_activity_done_is_celebrated_once():
    activity = ActivityFactory(status=ActivityStatus.ONGOING)
    activity_set_progress(activity=activity, status=ActivityStatus.DONE, manual_progress=100)
    activity_set_progress(activity=activity, status=ActivityStatus.DONE, manual_progress=100)
    activity.status = ActivityStatus.ONGOING
    activity_save(activity=activity)
    activity.status = ActivityStatus.DONE
    activity_save(activity=activity)

    assert Celebration.objects.filter(kind=CelebrationKind.ACTIVITY_DONE).count() == 1


def test_activity_cannot_be_part_of_its_own_sub_activity():
    parent = ActivityFactory()
    child = ActivityFactory(plan=parent.plan, parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError):
        activity_save(activity=parent)


def test_contact_user_may_update_only_their_own_activity():
    contact = UserFactory(role=Role.FACILITATOR)
    own = ActivityFactory(contact_user=contact)
    other = ActivityFactory()
    assert can_update_activity(contact, own)
    assert not can_update_activity(contact, other)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.DEVELOPER, True),
        (Role.ADMINISTRATOR, True),
        (Role.FACILITATOR, False),
        (Role.COUNCIL, False),
    ],
)
def test_editors_may_update_any_activity(role, allowed):
    assert can_update_activity(UserFactory(role=role), ActivityFactory()) is allowed
