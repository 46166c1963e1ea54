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
    Prefetch,
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
from interviews.selectors import FINDING_ORDER, FindingsSummary, findings_summary
from smeportal.accounts.roles import STAFF_ROLES, role_holders, user_roles
from smeportal.areas.models import PriorityArea
from smeportal.core.slices import union_of_slices
from workshops.choices import ProposalStatus
from workshops.models import UNSETTLED, Proposal

from .choices import ActivityStatus, PlanStatus
from .models import ActionPlan, Activity, Celebration, Goal, Indicator, Milestone
from .progress import CLOSED_ACTIVITY_STATUSES, ActivityFacts, is_overdue, rolled_up_progress


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


def plan_goals(plan: ActionPlan) -> QuerySet[Goal]:
    return (
        Goal.objects.filter(plan=plan)
        .select_related("area")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("name")))
        .order_by("area__order", "area__name", "pk")
    )


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
    """Progress of every activity of a plan, in two queries however large the plan is."""
    return plans_progress([plan_id])


def plans_progress(plan_ids: Iterable[int]) -> PlanProgress:
    """Progress of every activity of these plans, in one query however many plans."""
    plan_ids = list(plan_ids)
    if not plan_ids:
        return PlanProgress(progress={}, basis={})
    # Each activity with the number of its milestones and of those done: the roll-up counts
    # them, and one query is cheaper than the milestones' flags read on their own.
    rows = list(
        Activity.objects.filter(plan_id__in=plan_ids)
        .annotate(
            milestones_total=Count("milestones"),
            milestones_done=Count("milestones", filter=Q(milestones__is_done=True)),
        )
        .order_by()
        .values_list(
            "pk",
            "parent_id",
            "status",
            "manual_progress",
            "due_date",
            "milestones_total",
            "milestones_done",
        )
    )
    facts = [
        ActivityFacts(pk, parent_id, status, manual, total, done)
        for pk, parent_id, status, manual, _due_date, total, done in rows
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


def activities_with_progress(activities, progress: PlanProgress, today: date) -> list[Activity]:
    """The activities (of the plans read by plan_progress) with rolled-up progress, its basis
    and `overdue` set."""
    activities = list(activities)
    for activity in activities:
        activity.progress = progress.progress.get(activity.pk, activity.manual_progress)
        activity.progress_basis = progress.basis.get(activity.pk)
        activity.overdue = is_overdue(activity.due_date, activity.status, today)
    return activities


def plan_activity_list(
    plan: ActionPlan,
    *,
    today: date,
    area: PriorityArea | None = None,
    status: str = "",
    overdue_only: bool = False,
) -> QuerySet[Activity]:
    """The plan's activities as the overview filters them, with what its table shows."""
    activities = (
        Activity.objects.filter(plan=plan)
        .select_related("goal", "contact_user", "parent")
        .prefetch_related(Prefetch("areas", queryset=PriorityArea.objects.order_by("order")))
        .order_by("due_date", "title", "pk")
    )
    if area is not None:
        activities = activities.filter(areas=area)
    if status:
        activities = activities.filter(status=status)
    if overdue_only:
        activities = activities.filter(due_date__lt=today).exclude(
            status__in=CLOSED_ACTIVITY_STATUSES
        )
    return activities


def activity_for_edit(pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related("plan", "goal", "parent", "contact_user").prefetch_related(
            "areas", "proposals"
        ),
        pk=pk,
    )


def activity_detail(pk: int, today: date) -> Activity:
    """One activity with everything its page shows (404 when unknown)."""
    activity = get_object_or_404(
        Activity.objects.select_related(
            "plan", "goal__area", "parent", "contact_user"
        ).prefetch_related(
            Prefetch("areas", queryset=PriorityArea.objects.order_by("order")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("date", "pk")),
            Prefetch(
                "children",
                queryset=Activity.objects.select_related("contact_user").order_by("due_date", "pk"),
            ),
            Prefetch(
                "celebrations",
                queryset=Celebration.objects.select_related("milestone").order_by(
                    "-occurred_on", "-pk"
                ),
            ),
            Prefetch(
                "proposals",
                queryset=Proposal.objects.select_related("group__workshop", "area").order_by(
                    "area__order", "-votes", "title", "pk"
                ),
            ),
        ),
        pk=pk,
    )
    progress = plan_progress(activity.plan_id)
    activities_with_progress([activity], progress, today)
    activity.children_with_progress = activities_with_progress(
        activity.children.all(), progress, today
    )
    return activity


def single_goal_for(plan_id: int | None, area_ids: list[int]) -> int | None:
    """The id of the plan's one goal for the area, when the area is one and so is the goal."""
    if plan_id is None or len(area_ids) != 1:
        return None
    goals = list(
        Goal.objects.filter(plan_id=plan_id, area_id=area_ids[0]).values_list("pk", flat=True)[:2]
    )
    return goals[0] if len(goals) == 1 else None


def activity_has_items(pk: int) -> bool:
    """Whether the activity has milestones or sub-activities, whose progress makes its own
    (progress.rolled_up_progress). One query."""
    return Activity.objects.filter(
        Q(pk=pk), Q(milestones__isnull=False) | Q(children__isnull=False)
    ).exists()


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


def _evidence_of(activity: Activity) -> QuerySet:
    """The ids of the findings behind the activity's proposals, as a subquery: each once,
    with no DISTINCT over the wide rows that read them (Postgres took longer to plan that
    than to run it)."""
    return Proposal.evidence.through.objects.filter(proposal__activities=activity).values(
        "finding_id"
    )


def activity_findings(ids: Sequence[int]) -> QuerySet[Finding]:
    """The findings of these ids (a page of activity_chain_summary's), in the page's order."""
    return (
        Finding.objects.filter(pk__in=ids)
        .select_related("area", "interview__company")
        .order_by(*ACTIVITY_FINDING_ORDER)
    )


def activity_chain_summary(activity: Activity) -> FindingsSummary:
    """Findings and distinct companies behind all the activity's proposals, in one query,
    with the findings' ids in the page's order.

    Confidential findings count here (a number reveals no business secret) but are listed only
    on the business developers' pages.
    """
    return findings_summary(
        Finding.objects.filter(pk__in=_evidence_of(activity)), ACTIVITY_FINDING_ORDER
    )


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


def proposal_choices(chosen_ids: list[int]) -> QuerySet[Proposal]:
    """The proposals offered for a new activity: those not in the plan, plus the chosen ones.

    A proposal page may link here with a proposal already in the plan (a second activity can
    realise it too); it is then listed so that it can be ticked.
    """
    return (
        Proposal.objects.filter(UNSETTLED | Q(pk__in=chosen_ids))
        .select_related("group__workshop", "area")
        .order_by("area__order", "area__name", "-company_count", "-votes", "title", "pk")
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
    search, each in the form's order (area, votes, title), in one query."""
    chosen = set(chosen_ids)
    wanted = Q(pk__in=chosen)
    if search:
        wanted |= proposals_offered_for_activity() & (
            Q(title__icontains=search) | Q(description__icontains=search)
        )
    if not chosen and not search:
        return ProposalPick(chosen=[], found=[], more_found=False, search=search)
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


def proposal_counts_by_area(proposals: QuerySet[Proposal]) -> dict[int, int]:
    """The number of proposals per area (one query). `proposals` has no multi-valued join (a
    proposal is one row), so rows are counted: the partial index on the proposals still to be
    decided answers it alone."""
    counted = proposals.order_by().values("area").annotate(total=Count("*"))
    return {row["area"]: row["total"] for row in counted}


def first_proposals_not_in_plan_per_area(per_area: int, area_ids: Sequence[int]) -> list[Proposal]:
    """The first `per_area` proposals not in the plan of each of these areas, ranked as
    proposals_not_in_plan() ranks them (one query).

    On Postgres each area's first ones are read from the ranking index (proposal_area_ranking),
    a UNION ALL of one short slice per area: 1 ms at 5,000 proposals, where numbering every
    live proposal per area took 12. SQLite cannot slice the parts of a union, so there the rows
    are numbered by their ids and ranking columns only (narrow rows, not thousands of proposals
    with their descriptions and workshops).
    """
    if not area_ids:
        return []
    live = Proposal.objects.filter(UNSETTLED)
    ranking = ["-company_count", "-votes", "title", "pk"]
    if connection.vendor == "postgresql":
        first = RawSQL(  # noqa: S611 (the ORM's own SQL, parameters bound)
            *union_of_slices(live.order_by(*ranking).values("pk"), "area_id", area_ids, per_area)
        )
    else:
        first = (
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
    return list(proposals_not_in_plan().filter(pk__in=first))
