"""Reads of the activity page: the activity and everything about it, each read compiled once
(smeportal.core.compiled), so the page costs what running its queries costs.

The rows become the objects the page draws: model instances of the columns read (the template
uses no other; a column not read would cost a query, which the page's query tests catch) or,
for what only the page shows, small records with their labels ready.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.http import Http404

from interviews.models import Company, Finding, Interview
from interviews.selectors import FindingsSummary, findings_summary_of_rows, findings_summary_rows
from smeportal.accounts.models import User
from smeportal.areas.models import PriorityArea
from smeportal.core.choices import choice_labels
from smeportal.core.compiled import CompiledRead, columns, instance, related
from workshops.models import Proposal

from .models import ActionPlan, Activity, Celebration, Goal, Milestone, celebration_title
from .progress import is_overdue
from .selectors import ACTIVITY_FINDING_ORDER, plan_activity_facts, progress_of_facts

_ACTIVITY = columns(Activity)
_PLAN = columns(ActionPlan)
_MILESTONE = columns(Milestone)
# What the page shows of an area (its swatch, number and name).
_AREA = columns(PriorityArea, "name", "name_en", "order", "colour")
_GOAL = columns(Goal, "area_id", "title")
_USER = columns(User, "username", "first_name", "last_name")
_PARENT = columns(Activity, "title")
_CHILD = columns(Activity, "parent_id", "title", "status", "due_date", "manual_progress")


_ACTIVITY_ROW = CompiledRead(
    lambda pk: Activity.objects.filter(pk=pk).values_list(
        *_ACTIVITY,
        *related("plan", _PLAN),
        *related("goal", _GOAL),
        *related("goal__area", _AREA),
        *related("parent", _PARENT),
        *related("contact_user", _USER),
    )
)
_AREAS = CompiledRead(
    lambda pk: PriorityArea.objects.filter(activities=pk).order_by("order").values_list(*_AREA)
)
_MILESTONES = CompiledRead(
    lambda pk: (
        Milestone.objects.filter(activity_id=pk).order_by("date", "pk").values_list(*_MILESTONE)
    )
)
_CELEBRATIONS = CompiledRead(
    lambda pk: (
        Celebration.objects.filter(activity_id=pk)
        .order_by("-occurred_on", "-pk")
        .values_list(
            "kind",
            "title",
            "value",
            "occurred_on",
            "is_celebrated",
            "milestone__title",
            "indicator__name",
        )
    )
)
_PROPOSALS = CompiledRead(
    lambda pk: (
        Proposal.objects.filter(activities=pk)
        .order_by("area__order", "-votes", "title", "pk")
        .values_list(
            "pk",
            "title",
            "votes",
            "status",
            "area_id",
            *related("area", _AREA),
            "group__name",
            "group__workshop__title",
            "group__workshop__date",
        )
    )
)
# The findings behind the activity's proposals, each once (a subquery of their ids, with no
# DISTINCT over wide rows: Postgres took longer to plan that than to run it).
_SUMMARY = CompiledRead(
    lambda pk: findings_summary_rows(
        Finding.objects.filter(
            pk__in=Proposal.evidence.through.objects.filter(proposal__activities=pk).values(
                "finding_id"
            )
        ),
        ACTIVITY_FINDING_ORDER,
    )
)
_FINDING = columns(
    Finding, "interview_id", "area_id", "type", "text", "quote", "importance", "is_confidential"
)
_INTERVIEW = columns(Interview, "company_id", "date", "consent")
_COMPANY = columns(Company, "name", "industry", "size_class", "is_personal_data")
_FINDINGS = CompiledRead(
    lambda ids: (
        Finding.objects.filter(pk__in=ids)
        .order_by(*ACTIVITY_FINDING_ORDER)
        .values_list(
            *_FINDING,
            *related("area", _AREA),
            *related("interview", _INTERVIEW),
            *related("interview__company", _COMPANY),
        )
    )
)


@dataclass(frozen=True)
class CelebrationEntry:
    occurred_on: date
    display_title: str
    is_celebrated: bool


@dataclass(frozen=True)
class RealisedProposal:
    """A proposal the activity realises, as its table shows it."""

    pk: int
    title: str
    votes: int
    status_label: str
    area: PriorityArea
    group_name: str
    workshop_title: str
    workshop_date: date


@dataclass(frozen=True)
class ActivityPage:
    """The activity (with its plan, goal and area, parent and contact user, progress and
    `overdue`) and what its page lists."""

    activity: Activity
    areas: list[PriorityArea]
    milestones: list[Milestone]
    children: list[Activity]  # with progress, its basis and `overdue`
    celebrations: list[CelebrationEntry]
    proposals: list[RealisedProposal]


def activity_page(pk: int, today: date) -> ActivityPage:
    """The activity `pk` and what its page shows, in six queries (404 when unknown)."""
    rows = _ACTIVITY_ROW.rows(pk)
    if not rows:
        raise Http404
    row = rows[0]
    activity = instance(Activity, _ACTIVITY, row[: len(_ACTIVITY)])
    rest = iter(row[len(_ACTIVITY) :])

    def take(count: int) -> list:
        return [next(rest) for _ in range(count)]

    activity.plan = instance(ActionPlan, _PLAN, [activity.plan_id, *take(len(_PLAN) - 1)])
    goal_values = take(len(_GOAL) - 1)
    goal_area_values = take(len(_AREA) - 1)
    if activity.goal_id is not None:
        goal = instance(Goal, _GOAL, [activity.goal_id, *goal_values])
        goal.area = instance(PriorityArea, _AREA, [goal.area_id, *goal_area_values])
        activity.goal = goal
    (parent_title,) = take(1)
    if activity.parent_id is not None:
        activity.parent = instance(Activity, _PARENT, [activity.parent_id, parent_title])
    user_values = take(len(_USER) - 1)
    if activity.contact_user_id is not None:
        activity.contact_user = instance(User, _USER, [activity.contact_user_id, *user_values])

    facts = plan_activity_facts(activity.plan_id, by_due_date_only=True)
    progress = progress_of_facts(facts)
    activity.progress = progress.progress.get(activity.pk, activity.manual_progress)
    activity.progress_basis = progress.basis.get(activity.pk)
    activity.overdue = is_overdue(activity.due_date, activity.status, today)
    children = []
    for child_pk, parent_id, status, manual, due_date, *_counts, title in facts:
        if parent_id == activity.pk:
            values = {"id": child_pk, "parent_id": parent_id, "title": title, "status": status,
                      "due_date": due_date, "manual_progress": manual}  # fmt: skip
            child = instance(Activity, _CHILD, [values[name] for name in _CHILD])
            child.progress = progress.progress.get(child_pk, manual)
            child.progress_basis = progress.basis.get(child_pk)
            child.overdue = is_overdue(due_date, status, today)
            children.append(child)

    return ActivityPage(
        activity=activity,
        areas=[instance(PriorityArea, _AREA, values) for values in _AREAS.rows(pk)],
        milestones=[instance(Milestone, _MILESTONE, values) for values in _MILESTONES.rows(pk)],
        children=children,
        celebrations=_celebrations(activity),
        proposals=_proposals(pk),
    )


def _celebrations(activity: Activity) -> list[CelebrationEntry]:
    return [
        CelebrationEntry(
            occurred_on=occurred_on,
            display_title=celebration_title(
                kind,
                activity=activity.title,
                milestone=milestone,
                indicator=indicator,
                value=value,
                stored=title,
            ),
            is_celebrated=is_celebrated,
        )
        for kind, title, value, occurred_on, is_celebrated, milestone, indicator in (
            _CELEBRATIONS.rows(activity.pk)
        )
    ]


def _proposals(pk: int) -> list[RealisedProposal]:
    status_labels = choice_labels(Proposal, "status")
    areas: dict[int, PriorityArea] = {}
    proposals = []
    for row in _PROPOSALS.rows(pk):
        proposal_pk, title, votes, status = row[:4]
        area_values = row[4 : 4 + len(_AREA)]
        group_name, workshop_title, workshop_date = row[4 + len(_AREA) :]
        area = areas.get(area_values[0])
        if area is None:
            area = areas[area_values[0]] = instance(PriorityArea, _AREA, area_values)
        proposals.append(
            RealisedProposal(
                pk=proposal_pk,
                title=title,
                votes=votes,
                status_label=status_labels.get(status, status),
                area=area,
                group_name=group_name,
                workshop_title=workshop_title,
                workshop_date=workshop_date,
            )
        )
    return proposals


def activity_chain_summary(pk: int) -> FindingsSummary:
    """Findings and distinct companies behind all the activity's proposals, in one query,
    with the findings' ids in the page's order.

    Confidential findings count here (a number reveals no business secret) but are listed only
    on the business developers' pages.
    """
    return findings_summary_of_rows(_SUMMARY.rows(pk), ACTIVITY_FINDING_ORDER)


def activity_findings(ids: Sequence[int]) -> list[Finding]:
    """The findings of these ids (a page of activity_chain_summary's), in the page's order,
    each with its area and its interview's company."""
    areas: dict[int, PriorityArea] = {}
    findings = []
    area_end = len(_FINDING) + len(_AREA) - 1
    interview_end = area_end + len(_INTERVIEW) - 1
    for row in _FINDINGS.rows(list(ids)):
        finding = instance(Finding, _FINDING, row[: len(_FINDING)])
        area = areas.get(finding.area_id)
        if area is None:
            area = areas[finding.area_id] = instance(
                PriorityArea, _AREA, [finding.area_id, *row[len(_FINDING) : area_end]]
            )
        finding.area = area
        interview = instance(
            Interview, _INTERVIEW, [finding.interview_id, *row[area_end:interview_end]]
        )
        interview.company = instance(
            Company, _COMPANY, [interview.company_id, *row[interview_end:]]
        )
        finding.interview = interview
        findings.append(finding)
    return findings
