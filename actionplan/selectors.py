"""Reads of the action plan: each returns what its page shows in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404

from interviews.choices import FindingType
from interviews.models import Finding
from interviews.selectors import FINDING_ORDER
from smeportal.accounts.roles import STAFF_ROLES, role_holders, user_roles
from smeportal.core.compiled import CompiledRead
from smeportal.core.slices import union_of_slices
from workshops.choices import ProposalStatus
from workshops.models import UNSETTLED, Proposal

from .choices import ActivityStatus, PlanStatus
from .models import ActionPlan, Activity, Goal
from .progress import CLOSED_ACTIVITY_STATUSES, ActivityFacts, is_overdue, rolled_up_progress
from .selectors_forms import chosen_proposals


def shows_staff_names(user) -> bool:
    """Municipal staff see each other's names; the council sees the responsible party only."""
    return bool(user_roles(user) & STAFF_ROLES)


def staff_user_choices() -> QuerySet:
    """Users who can be an activity's contact person: holders of a staff role."""
    return role_holders(STAFF_ROLES)


# --- Plans and goals ----------------------------------------------------------------------------


def plan_list() -> QuerySet[ActionPlan]:
    return ActionPlan.objects.order_by("-start_year", "-pk")


def current_plan() -> ActionPlan | None:
    """The latest adopted plan, or the latest plan when none has been adopted."""
    return current_plan_among(list(plan_list()))


def current_plan_among(plans: Sequence[ActionPlan]) -> ActionPlan | None:
    """current_plan() of these plans (every plan, in plan_list()'s order): a municipality has
    a plan every few years, so the overview reads them once for its plan menu and this."""
    adopted = [plan for plan in plans if plan.status == PlanStatus.ADOPTED]
    if adopted:
        return max(
            adopted,
            key=lambda plan: (
                plan.adopted_on is not None,
                plan.adopted_on,
                plan.start_year,
                plan.pk,
            ),
        )
    return plans[0] if plans else None


def goal_for_edit(pk: int) -> Goal:
    return get_object_or_404(Goal.objects.select_related("plan", "area"), pk=pk)


# --- Activities and their progress ---------------------------------------------------------------


@dataclass(frozen=True)
class ProgressBasis:
    """How an activity's progress came about, to say so in text."""

    milestones_total: int
    milestones_done: int
    children: int  # sub-activities that count (cancelled ones do not)
    is_done: bool

    @property
    def is_rolled_up(self) -> bool:
        return not self.is_done and bool(self.milestones_total or self.children)

    @property
    def is_manual(self) -> bool:
        return not self.is_done and not self.is_rolled_up


@dataclass(frozen=True)
class PlanProgress:
    progress: dict[int, int]
    basis: dict[int, ProgressBasis]
    # pk -> (status, due date) of every activity: the plan's totals need no query of their own.
    schedule: dict[int, tuple[str, date | None]] = field(default_factory=dict)

    def totals(self, today: date) -> tuple[int, int]:
        """(activities, overdue activities) of the plans read."""
        overdue = sum(
            1 for status, due_date in self.schedule.values() if is_overdue(due_date, status, today)
        )
        return len(self.schedule), overdue


def plan_progress(plan_id: int) -> PlanProgress:
    """Progress of every activity of a plan, in one query however large the plan is (its SQL
    compiled once: smeportal.core.compiled)."""
    return progress_of_facts(plan_activity_facts(plan_id))


def plans_progress(plan_ids: Iterable[int]) -> PlanProgress:
    """Progress of every activity of these plans, in one query however many plans."""
    plan_ids = list(plan_ids)
    if not plan_ids:
        return PlanProgress(progress={}, basis={})
    return progress_of_facts(
        list(_activity_facts(Activity.objects.filter(plan_id__in=plan_ids).order_by()))
    )


# What the roll-up reads of each activity: each with the number of its milestones and of those
# done (one query is cheaper than the milestones' flags read on their own).
FACT_FIELDS = (
    "pk",
    "parent_id",
    "status",
    "manual_progress",
    "due_date",
    "milestones_total",
    "milestones_done",
)


def _activity_facts(activities: QuerySet[Activity], *more: str) -> QuerySet:
    return activities.annotate(
        milestones_total=Count("milestones"),
        milestones_done=Count("milestones", filter=Q(milestones__is_done=True)),
    ).values_list(*FACT_FIELDS, *more)


# A plan's activities in the overview's order, and by due date alone (the activity page's
# sub-activities).
_PLAN_FACTS = CompiledRead(
    lambda plan_id: _activity_facts(
        Activity.objects.filter(plan_id=plan_id).order_by("due_date", "title", "pk"), "title"
    )
)
_PLAN_FACTS_BY_DUE_DATE = CompiledRead(
    lambda plan_id: _activity_facts(
        Activity.objects.filter(plan_id=plan_id).order_by("due_date", "pk"), "title"
    )
)


def plan_activity_facts(plan_id: int, *, by_due_date_only: bool = False) -> list[tuple]:
    """FACT_FIELDS and the title of every activity of the plan, ordered by due date, title and
    id (the overview's order), or by due date and id."""
    return (_PLAN_FACTS_BY_DUE_DATE if by_due_date_only else _PLAN_FACTS).rows(plan_id)


def progress_of_facts(rows: Sequence[tuple]) -> PlanProgress:
    """PlanProgress of rows that start with FACT_FIELDS."""
    facts = [
        ActivityFacts(pk, parent_id, status, manual, total, done)
        for pk, parent_id, status, manual, _due_date, total, done, *_more in rows
    ]
    children: dict[int, int] = defaultdict(int)
    for fact in facts:
        if fact.parent_id is not None and fact.status != ActivityStatus.CANCELLED:
            children[fact.parent_id] += 1
    basis = {
        fact.pk: ProgressBasis(
            milestones_total=fact.milestones_total,
            milestones_done=fact.milestones_done,
            children=children.get(fact.pk, 0),
            is_done=fact.status == ActivityStatus.DONE,
        )
        for fact in facts
    }
    return PlanProgress(
        progress=rolled_up_progress(facts),
        basis=basis,
        schedule={pk: (status, due_date) for pk, _parent, status, _manual, due_date, *_ in rows},
    )


def single_goal_for(plan_id: int | None, area_ids: list[int]) -> int | None:
    """The id of the plan's one goal for the area, when the area is one and so is the goal."""
    if plan_id is None or len(area_ids) != 1:
        return None
    goals = list(
        Goal.objects.filter(plan_id=plan_id, area_id=area_ids[0]).values_list("pk", flat=True)[:2]
    )
    return goals[0] if len(goals) == 1 else None


def open_items(activity: Activity) -> tuple[int, int]:
    """(milestones not done, sub-activities neither done nor cancelled) of an activity."""
    return (
        activity.milestones.filter(is_done=False).count(),
        activity.children.exclude(status__in=CLOSED_ACTIVITY_STATUSES).count(),
    )


def plan_parent_map(plan_id: int) -> dict[int, int | None]:
    """pk → parent pk of every activity in a plan (to refuse cycles in the form)."""
    return dict(Activity.objects.filter(plan_id=plan_id).values_list("pk", "parent_id"))


def descendants_of(pk: int, parents: dict[int, int | None]) -> set[int]:
    children: dict[int, list[int]] = defaultdict(list)
    for child, parent in parents.items():
        if parent is not None:
            children[parent].append(child)
    found: set[int] = set()
    frontier = [pk]
    while frontier:
        current = frontier.pop()
        for child in children.get(current, []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


# --- The chain: why are we doing this? ---------------------------------------------------------


# The activity page lists its findings area by area, each area's by type, then importance.
ACTIVITY_FINDING_ORDER = ("area__order", "area_id", "type", "-importance", "pk")


# --- Proposals that can become activities, and coverage ----------------------------------------


def proposals_not_in_plan() -> QuerySet[Proposal]:
    """Live proposals (not merged, not rejected) that no activity realises yet.

    Ranked by the number of distinct companies whose findings stand behind them (the stored
    Proposal.company_count), then votes.
    """
    return (
        Proposal.objects.filter(UNSETTLED)
        .select_related("group__workshop", "area")
        .order_by("area__order", "-company_count", "-votes", "title", "pk")
    )


def proposals_offered_for_activity() -> Q:
    """What an activity's form may link: live proposals that were not rejected (one already in
    the plan may be realised by a second activity too)."""
    return Q(merged_into__isnull=True) & ~Q(
        status__in=[ProposalStatus.REJECTED, ProposalStatus.MERGED]
    )


@dataclass(frozen=True)
class ProposalPick:
    """The activity form's proposals: the chosen ones and at most `limit` more that match a
    search (5,000 proposals at scale would not fit a page as checkboxes)."""

    chosen: list[Proposal]
    found: list[Proposal]
    more_found: bool
    search: str


def proposal_pick(*, chosen_ids: list[int], search: str, limit: int) -> ProposalPick:
    """The chosen proposals and the first `limit` others whose title or description holds the
    search, each in the form's order (area, votes, title), in one query (without a search,
    the chosen ones alone: selectors_forms.chosen_proposals)."""
    chosen = set(chosen_ids)
    if not search:
        return ProposalPick(
            chosen=chosen_proposals(chosen_ids), found=[], more_found=False, search=search
        )
    wanted = Q(pk__in=chosen) | (
        proposals_offered_for_activity()
        & (Q(title__icontains=search) | Q(description__icontains=search))
    )
    # The chosen ones first, so that the cut below never drops one of them.
    first = Case(When(pk__in=chosen, then=Value(0)), default=Value(1)) if chosen else Value(1)
    rows = list(
        Proposal.objects.filter(wanted)
        .select_related("area", "group__workshop")
        .order_by(first, "area__order", "-votes", "title", "pk")[: len(chosen) + limit + 1]
    )
    found = [proposal for proposal in rows if proposal.pk not in chosen]
    return ProposalPick(
        chosen=[proposal for proposal in rows if proposal.pk in chosen],
        found=found[:limit],
        more_found=len(found) > limit,
        search=search,
    )


def unanswered_challenges(*, internal: bool) -> QuerySet[Finding]:
    """Challenges raised in interviews that no proposal answers yet (interviews.FINDING_ORDER
    within an area)."""
    answered = Proposal.evidence.through.objects.filter(finding=OuterRef("pk"))
    findings = (
        Finding.objects.filter(type=FindingType.CHALLENGE)
        .filter(~Exists(answered))
        .select_related("area", "interview__company")
        .order_by("area__order", *FINDING_ORDER)
    )
    if not internal:
        findings = findings.filter(is_confidential=False)
    return findings


def first_proposal_ids(per_area: int, area_ids: Sequence[int]) -> RawSQL | QuerySet:
    """The ids of the first `per_area` proposals not in the plan of each of these areas, as an
    expression for `pk__in`.

    On Postgres each area's first ones are read from the ranking index (proposal_area_ranking),
    a UNION ALL of one short slice per area: 1 ms at 5,000 proposals, where numbering every
    live proposal per area took 12. SQLite cannot slice the parts of a union, so there the rows
    are numbered by their ids and ranking columns only (narrow rows, not thousands of proposals
    with their descriptions and workshops).
    """
    live = Proposal.objects.filter(UNSETTLED)
    ranking = ["-company_count", "-votes", "title", "pk"]
    if connection.vendor == "postgresql":
        return RawSQL(  # noqa: S611 (the ORM's own SQL, parameters bound)
            *union_of_slices(live.order_by(*ranking).values("pk"), "area_id", area_ids, per_area)
        )
    return (
        live.filter(area_id__in=area_ids)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("area_id")],
                order_by=[
                    F("company_count").desc(),
                    F("votes").desc(),
                    F("title").asc(),
                    F("pk").asc(),
                ],
            )
        )
        .filter(position__lte=per_area)
        .values("pk")
    )
