"""Staff data as the API returns it to a token or session whose role may read it.

What a caller sees follows the portal's pages: contact persons only for roles that may see
them (contacts.view), a finding's quote as the caller's audience may read it
(interviews.consent), confidential findings only for business developers and administrators,
the owners' names of an activity only for those who edit the plan. Each serializer reads what
its view selected and prefetched; nothing here queries.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actionplan.choices import ActivityStatus, Direction, IndicatorSource, PlanStatus
from actionplan.models import ActionPlan, Activity, Goal, Indicator, Measurement
from interviews.choices import (
    District,
    FindingType,
    Flag,
    FollowUpStatus,
    Industry,
    InterviewFormat,
    InterviewStatus,
    QuoteConsent,
    SizeClass,
)
from interviews.consent import visible_quote
from interviews.models import Finding, FollowUp, Interview
from smeportal.accounts.roles import has_capability
from workshops.choices import Actor, ProposalStatus, TimeHorizon, WorkshopStatus
from workshops.models import Proposal, Workshop

from .fields import Coded, coded


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username


class CompanySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation_number = serializers.CharField()
    industry = serializers.SerializerMethodField()
    size_class = serializers.SerializerMethodField()
    district = serializers.SerializerMethodField()

    def get_industry(self, company) -> Coded:
        return coded(Industry, company.industry)

    def get_size_class(self, company) -> Coded:
        return coded(SizeClass, company.size_class)

    def get_district(self, company) -> Coded:
        return coded(District, company.district)


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class InterviewSerializer(serializers.ModelSerializer):
    company = CompanySerializer()
    format = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    consent = serializers.SerializerMethodField()
    interviewers = PersonSerializer(many=True)
    finding_count = serializers.IntegerField()
    interviewees = serializers.SerializerMethodField(
        help_text="The contact persons interviewed; only for roles that may see contacts."
    )

    class Meta:
        model = Interview
        fields = [
            "id",
            "company",
            "date",
            "format",
            "duration_minutes",
            "status",
            "grade",
            "consent",
            "interviewers",
            "interviewees",
            "finding_count",
            "notes",
            "created_at",
            "updated_at",
        ]

    def get_format(self, interview) -> Coded:
        return coded(InterviewFormat, interview.format)

    def get_status(self, interview) -> Coded:
        return coded(InterviewStatus, interview.status)

    def get_consent(self, interview) -> Coded:
        return coded(QuoteConsent, interview.consent)

    @extend_schema_field(ContactSerializer(many=True, allow_null=True))
    def get_interviewees(self, interview):
        if not has_capability(self.context["request"].user, "contacts.view"):
            return None
        # Plain values: a serializer made for each row of a page cost more than the page.
        return [
            {
                "id": contact.pk,
                "name": contact.name,
                "role": contact.role,
                "email": contact.email,
                "phone": contact.phone,
            }
            for contact in interview.interviewees.all()
        ]


class QuoteSerializer(serializers.Serializer):
    text = serializers.CharField()
    attribution = serializers.CharField()


class FindingSerializer(serializers.ModelSerializer):
    type = serializers.SerializerMethodField()
    quote = serializers.SerializerMethodField(
        help_text="The verbatim quote as the caller's role may read it (consent), or null."
    )
    interview = serializers.SerializerMethodField(
        help_text="The interview's id; only for roles that read interviews."
    )

    class Meta:
        model = Finding
        fields = ["id", "interview", "area", "type", "text", "importance", "quote", "is_key_quote"]

    def get_type(self, finding) -> Coded:
        return coded(FindingType, finding.type)

    @extend_schema_field(QuoteSerializer(allow_null=True))
    def get_quote(self, finding):
        quote = visible_quote(finding, self.context["audience"])
        return None if quote is None else {"text": quote.text, "attribution": quote.attribution}

    def get_interview(self, finding) -> int | None:
        if not has_capability(self.context["request"].user, "interviews.view"):
            return None
        return finding.interview_id


class FollowUpSerializer(serializers.ModelSerializer):
    flag = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    owner = PersonSerializer(allow_null=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "interview",
            "flag",
            "title",
            "owner",
            "due_date",
            "status",
            "notes",
            "created_at",
            "closed_at",
        ]

    def get_flag(self, follow_up) -> Coded:
        return coded(Flag, follow_up.flag)

    def get_status(self, follow_up) -> Coded:
        return coded(FollowUpStatus, follow_up.status)


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    area = serializers.IntegerField(source="area_id")
    member_count = serializers.IntegerField()


class WorkshopSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    groups = GroupSerializer(many=True)

    class Meta:
        model = Workshop
        fields = [
            "id",
            "title",
            "date",
            "place",
            "status",
            "participants_total",
            "participants_companies",
            "participants_municipality",
            "participants_other",
            "groups",
        ]

    def get_status(self, workshop) -> Coded:
        return coded(WorkshopStatus, workshop.status)


class ProposalSerializer(serializers.ModelSerializer):
    workshop = serializers.IntegerField(source="group.workshop_id")
    actor = serializers.SerializerMethodField()
    horizon = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField(
        help_text="Ids of the findings behind it; only for roles that read findings."
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "workshop",
            "group",
            "area",
            "title",
            "description",
            "actor",
            "horizon",
            "effect",
            "effort",
            "votes",
            "status",
            "merged_into",
            "company_count",
            "is_public",
            "evidence",
        ]

    def get_actor(self, proposal) -> Coded:
        return coded(Actor, proposal.actor)

    def get_horizon(self, proposal) -> Coded:
        return coded(TimeHorizon, proposal.horizon)

    def get_status(self, proposal) -> Coded:
        return coded(ProposalStatus, proposal.status)

    def get_evidence(self, proposal) -> list[int] | None:
        if not has_capability(self.context["request"].user, "findings.view"):
            return None
        return [finding.pk for finding in proposal.evidence.all()]


class ActionPlanSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()

    class Meta:
        model = ActionPlan
        fields = ["id", "title", "start_year", "end_year", "status", "adopted_on"]

    def get_status(self, plan) -> Coded:
        return coded(PlanStatus, plan.status)


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "plan", "area", "title", "description", "indicators", "is_public"]


class ActivitySerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    progress = serializers.IntegerField(help_text="Percent done, rolled up from milestones.")
    owners = serializers.SerializerMethodField(
        help_text="The owners on each side; only for roles that edit the plan."
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "plan",
            "parent",
            "goal",
            "title",
            "description",
            "areas",
            "status",
            "progress",
            "start_date",
            "due_date",
            "proposals",
            "owners",
            "is_public",
        ]

    def get_status(self, activity) -> Coded:
        return coded(ActivityStatus, activity.status)

    def get_owners(self, activity) -> dict[str, str] | None:
        if not has_capability(self.context["request"].user, "actionplan.edit"):
            return None
        return {
            "municipality": activity.municipality_owner,
            "business": activity.business_owner,
        }


class IndicatorSerializer(serializers.ModelSerializer):
    direction = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "name",
            "unit",
            "direction",
            "source",
            "source_detail",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "reporting_interval",
        ]

    def get_direction(self, indicator) -> Coded:
        return coded(Direction, indicator.direction)

    def get_source(self, indicator) -> Coded:
        return coded(IndicatorSource, indicator.source)


class MeasurementSerializer(serializers.ModelSerializer):
    """A measurement of an indicator. Writing one (POST) reports a value from another system."""

    class Meta:
        model = Measurement
        fields = ["id", "indicator", "date", "value", "comment"]
        # The model's own check (full_clean in the service) words a second value for the same
        # date as the portal's form does.
        validators: list = []
