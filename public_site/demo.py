"""Demo: what the municipality publishes of the demo dialogue, so the public page (/resultat/)
tells its story on the first visit."""

from __future__ import annotations

from typing import TextIO

from actionplan.choices import ActivityStatus
from actionplan.demo import PLAN_START, PLAN_TITLE
from actionplan.models import Activity, Celebration, Goal
from workshops.choices import ProposalStatus
from workshops.demo import WORKSHOP_TITLE
from workshops.models import Proposal


def seed_public(*, stdout: TextIO | None = None) -> None:
    """Publish the demo plan's goals, its main activities (not the cancelled ones, not the
    sub-activities), every celebration, and the demo workshop's proposals that were decided or
    are under review; safe to rerun: once anything is published, nothing is changed."""
    models = (Proposal, Activity, Goal, Celebration)
    if any(model.objects.filter(is_public=True).exists() for model in models):
        if stdout:
            stdout.write("Public page: something is already published; nothing changed.")
        return
    plan = {"plan__title": PLAN_TITLE, "plan__start_year": PLAN_START}
    proposals = Proposal.objects.filter(
        group__workshop__title=WORKSHOP_TITLE,
        merged_into__isnull=True,
        status__in=[ProposalStatus.IN_PLAN, ProposalStatus.UNDER_REVIEW, ProposalStatus.REJECTED],
    ).update(is_public=True)
    activities = (
        Activity.objects.filter(**plan, parent__isnull=True)
        .exclude(status=ActivityStatus.CANCELLED)
        .update(is_public=True)
    )
    goals = Goal.objects.filter(**plan).update(is_public=True)
    celebrations = Celebration.objects.update(is_public=True)
    if stdout:
        stdout.write(
            f"Public page: {proposals} proposals, {activities} activities, {goals} goals and "
            f"{celebrations} celebrations published."
        )


# Found by `manage.py seed_demo`, which runs the apps' seeders in INSTALLED_APPS order.
DEMO_SEED = seed_public
