"""The staff lists' pages as plain values: the same JSON as their serializers give.

A serializer walks its fields for every row of a page (a hundred interviews, each with a
company, interviewers and interviewees), reading model instances and related managers made
for it: that cost several times the rest of the call. The lists read their page with
`.values()` here and build each row as a dict with the serializer's keys, in its order, with
its values (api.serializers.staff stays the description of a row, for the OpenAPI document and
for a single object). tests/api/test_plain_rows.py holds the two to the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from rest_framework import serializers

from actionplan.choices import ActivityStatus
from actionplan.models import Activity
from interviews.choices import (
    District,
    FindingType,
    Industry,
    InterviewFormat,
    InterviewStatus,
    QuoteConsent,
    SizeClass,
)
from interviews.consent import Audience, visible_quote
from interviews.models import Company, Finding, Interview
from interviews.selectors import interviewee_rows
from public_site.published import activities_progress
from smeportal.accounts.roles import has_capability
from workshops.choices import Actor, ProposalStatus, TimeHorizon, WorkshopStatus
from workshops.models import Proposal, Workshop, WorkshopGroup


class _Values:
    """The serializers' formats for the rows of one answer: coded values with their labels
    (each choice list's labels read once, in the active language: fields.coded() looks the
    label up for every value) and times in the current time zone, by DRF's own fields."""

    def __init__(self):
        self._labels: dict[type, dict] = {}
        self._date = serializers.DateField()
        # The zone once, not for every value (it is the active one either way).
        self._datetime = serializers.DateTimeField(
            default_timezone=timezone.get_current_timezone() if settings.USE_TZ else None
        )

    def coded(self, choices, value) -> dict:
        """fields.coded(choices, value)."""
        labels = self._labels.get(choices)
        if labels is None:
            labels = self._labels[choices] = {code: str(label) for code, label in choices.choices}
        return {"code": value, "label": labels.get(value, value)}

    def day(self, value) -> str | None:
        return None if value is None else self._date.to_representation(value)

    def moment(self, value) -> str | None:
        return None if value is None else self._datetime.to_representation(value)


def _person_name(first_name: str, last_name: str, username: str) -> str:
    """PersonSerializer's name: User.get_full_name(), else the username."""
    return f"{first_name} {last_name}".strip() or username


# --- Interviews ----------------------------------------------------------------------------------


def interviews_for_list() -> QuerySet[Interview]:
    """The interviews with the number of their findings (archived ones not counted), as the
    interview list counts them (interviews.selectors.interview_list_base), without what that
    list reads besides."""
    findings = (
        Finding.objects.filter(interview=OuterRef("pk"))
        .order_by()
        .values("interview")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Interview.objects.annotate(finding_count=Coalesce(Subquery(findings), 0))


def interview_values(interviews: QuerySet[Interview]) -> QuerySet:
    return interviews.values(
        "id",
        "company_id",
        "company__name",
        "company__organisation_number",
        "company__industry",
        "company__size_class",
        "company__district",
        "date",
        "format",
        "duration_minutes",
        "status",
        "grade",
        "consent",
        "finding_count",
        "notes",
        "created_at",
        "updated_at",
    )


def _interviewers(interview_ids: Sequence[int]) -> dict[int, list[dict]]:
    """Each interview's interviewers, in the users' order (first and last name, username)."""
    people = defaultdict(list)
    links = (
        Interview.interviewers.through.objects.filter(interview_id__in=interview_ids)
        .order_by("user__first_name", "user__last_name", "user__username", "user_id")
        .values_list(
            "interview_id", "user_id", "user__first_name", "user__last_name", "user__username"
        )
    )
    for interview_id, user_id, first_name, last_name, username in links:
        people[interview_id].append(
            {"id": user_id, "name": _person_name(first_name, last_name, username)}
        )
    return people


def _interviewees(interview_ids: Sequence[int]) -> dict[int, list[dict]]:
    """Each interview's contact persons, by name."""
    people = defaultdict(list)
    for interview_id, contact_id, name, role, email, phone in interviewee_rows(interview_ids):
        people[interview_id].append(
            {"id": contact_id, "name": name, "role": role, "email": email, "phone": phone}
        )
    return people


def interview_data(rows: Iterable[dict], *, user) -> list[dict]:
    """InterviewSerializer's rows; the interviewees only for roles that may see contacts."""
    rows = list(rows)
    values = _Values()
    ids = [row["id"] for row in rows]
    interviewers = _interviewers(ids) if ids else {}
    interviewees = _interviewees(ids) if ids and has_capability(user, "contacts.view") else None
    return [
        {
            "id": row["id"],
            "company": {
                "id": row["company_id"],
                "name": row["company__name"],
                "organisation_number": row["company__organisation_number"],
                "industry": values.coded(Industry, row["company__industry"]),
                "size_class": values.coded(SizeClass, row["company__size_class"]),
                "district": values.coded(District, row["company__district"]),
            },
            "date": values.day(row["date"]),
            "format": values.coded(InterviewFormat, row["format"]),
            "duration_minutes": row["duration_minutes"],
            "status": values.coded(InterviewStatus, row["status"]),
            "grade": row["grade"],
            "consent": values.coded(QuoteConsent, row["consent"]),
            "interviewers": interviewers.get(row["id"], []),
            "interviewees": None if interviewees is None else interviewees.get(row["id"], []),
            "finding_count": row["finding_count"],
            "notes": row["notes"],
            "created_at": values.moment(row["created_at"]),
            "updated_at": values.moment(row["updated_at"]),
        }
        for row in rows
    ]


# --- Findings ------------------------------------------------------------------------------------


def finding_values(findings: QuerySet[Finding]) -> QuerySet:
    return findings.values(
        "id",
        "interview_id",
        "area_id",
        "type",
        "text",
        "importance",
        "quote",
        "is_key_quote",
        "is_confidential",
        "interview__consent",
        "interview__company__name",
        "interview__company__industry",
        "interview__company__is_personal_data",
    )


def _quote(row: dict, audience: Audience) -> dict | None:
    """FindingSerializer's quote: interviews.consent.visible_quote, on the row's values."""
    if not row["quote"]:
        return None
    company = Company(
        name=row["interview__company__name"],
        industry=row["interview__company__industry"],
        is_personal_data=row["interview__company__is_personal_data"],
    )
    finding = Finding(
        quote=row["quote"],
        is_confidential=row["is_confidential"],
        interview=Interview(consent=row["interview__consent"], company=company),
    )
    quote = visible_quote(finding, audience)
    return None if quote is None else {"text": quote.text, "attribution": quote.attribution}


def finding_data(rows: Iterable[dict], *, user, audience: Audience) -> list[dict]:
    """FindingSerializer's rows; the interview only for roles that read interviews."""
    values = _Values()
    shows_interview = has_capability(user, "interviews.view")
    return [
        {
            "id": row["id"],
            "interview": row["interview_id"] if shows_interview else None,
            "area": row["area_id"],
            "type": values.coded(FindingType, row["type"]),
            "text": row["text"],
            "importance": row["importance"],
            "quote": _quote(row, audience),
            "is_key_quote": row["is_key_quote"],
        }
        for row in rows
    ]


# --- Workshops ------------------------------------------------------------------------------------


def workshop_values(workshops: QuerySet[Workshop]) -> QuerySet:
    return workshops.prefetch_related(None).values(
        "id",
        "title",
        "date",
        "place",
        "status",
        "participants_total",
        "participants_companies",
        "participants_municipality",
        "participants_other",
    )


def _groups(workshop_ids: Sequence[int]) -> dict[int, list[dict]]:
    """GroupSerializer's rows of each workshop's groups, in the order they were made."""
    groups = defaultdict(list)
    rows = (
        WorkshopGroup.objects.filter(workshop_id__in=workshop_ids)
        .order_by("pk")
        .values_list("workshop_id", "id", "name", "area_id", "member_count")
    )
    for workshop_id, pk, name, area_id, member_count in rows:
        groups[workshop_id].append(
            {"id": pk, "name": name, "area": area_id, "member_count": member_count}
        )
    return groups


def workshop_data(rows: Iterable[dict]) -> list[dict]:
    """WorkshopSerializer's rows."""
    rows = list(rows)
    values = _Values()
    groups = _groups([row["id"] for row in rows]) if rows else {}
    return [
        {
            "id": row["id"],
            "title": row["title"],
            "date": values.day(row["date"]),
            "place": row["place"],
            "status": values.coded(WorkshopStatus, row["status"]),
            "participants_total": row["participants_total"],
            "participants_companies": row["participants_companies"],
            "participants_municipality": row["participants_municipality"],
            "participants_other": row["participants_other"],
            "groups": groups.get(row["id"], []),
        }
        for row in rows
    ]


# --- Proposals -----------------------------------------------------------------------------------


def proposal_values(proposals: QuerySet[Proposal]) -> QuerySet:
    return proposals.prefetch_related(None).values(
        "id",
        "group__workshop_id",
        "group_id",
        "area_id",
        "title",
        "description",
        "actor",
        "horizon",
        "effect",
        "effort",
        "votes",
        "status",
        "merged_into_id",
        "company_count",
        "is_public",
    )


def _evidence(proposal_ids: Sequence[int]) -> dict[int, list[int]]:
    """The ids of each proposal's findings (archived ones too), in order."""
    evidence = defaultdict(list)
    links = (
        Proposal.evidence.through.objects.filter(proposal_id__in=proposal_ids)
        .order_by("finding_id")
        .values_list("proposal_id", "finding_id")
    )
    for proposal_id, finding_id in links:
        evidence[proposal_id].append(finding_id)
    return evidence


def proposal_data(rows: Iterable[dict], *, user) -> list[dict]:
    """ProposalSerializer's rows; the evidence only for roles that read findings."""
    rows = list(rows)
    values = _Values()
    evidence = None
    if has_capability(user, "findings.view"):
        evidence = _evidence([row["id"] for row in rows]) if rows else {}
    return [
        {
            "id": row["id"],
            "workshop": row["group__workshop_id"],
            "group": row["group_id"],
            "area": row["area_id"],
            "title": row["title"],
            "description": row["description"],
            "actor": values.coded(Actor, row["actor"]),
            "horizon": values.coded(TimeHorizon, row["horizon"]),
            "effect": row["effect"],
            "effort": row["effort"],
            "votes": row["votes"],
            "status": values.coded(ProposalStatus, row["status"]),
            "merged_into": row["merged_into_id"],
            "company_count": row["company_count"],
            "is_public": row["is_public"],
            "evidence": None if evidence is None else evidence.get(row["id"], []),
        }
        for row in rows
    ]


# --- Activities ----------------------------------------------------------------------------------


def activity_values(activities: QuerySet[Activity]) -> QuerySet:
    return activities.prefetch_related(None).values(
        "id",
        "plan_id",
        "parent_id",
        "goal_id",
        "title",
        "description",
        "status",
        "manual_progress",
        "start_date",
        "due_date",
        "municipality_owner",
        "business_owner",
        "is_public",
    )


@dataclass(frozen=True)
class _ActivityProgress:
    """What public_site.published.activities_progress reads of an activity."""

    pk: int
    plan_id: int
    manual_progress: int


def _links(through, activity_ids: Sequence[int], other: str) -> dict[int, list[int]]:
    """The ids an activity's many-to-many relation holds, in order (the list's prefetch)."""
    linked = defaultdict(list)
    for activity_id, other_id in (
        through.objects.filter(activity_id__in=activity_ids)
        .order_by(other)
        .values_list("activity_id", other)
    ):
        linked[activity_id].append(other_id)
    return linked


def activity_data(rows: Iterable[dict], *, user) -> list[dict]:
    """ActivitySerializer's rows; the owners only for roles that edit the plan."""
    rows = list(rows)
    values = _Values()
    ids = [row["id"] for row in rows]
    areas = _links(Activity.areas.through, ids, "priorityarea_id") if ids else {}
    proposals = _links(Activity.proposals.through, ids, "proposal_id") if ids else {}
    progress = activities_progress(
        _ActivityProgress(row["id"], row["plan_id"], row["manual_progress"]) for row in rows
    )
    shows_owners = has_capability(user, "actionplan.edit")
    return [
        {
            "id": row["id"],
            "plan": row["plan_id"],
            "parent": row["parent_id"],
            "goal": row["goal_id"],
            "title": row["title"],
            "description": row["description"],
            "areas": areas.get(row["id"], []),
            "status": values.coded(ActivityStatus, row["status"]),
            "progress": progress[row["id"]],
            "start_date": values.day(row["start_date"]),
            "due_date": values.day(row["due_date"]),
            "proposals": proposals.get(row["id"], []),
            "owners": (
                {"municipality": row["municipality_owner"], "business": row["business_owner"]}
                if shows_owners
                else None
            ),
            "is_public": row["is_public"],
        }
        for row in rows
    ]
