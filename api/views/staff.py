"""The staff API: /api/v1/… for a personal token (or a signed-in session) whose role may read it.

Each collection checks the same capability as the portal's page for it, and comes in cursor
pages (stable, the same cost at any depth) in a fixed number of queries. Measurements may also
be written, so that another system can report an indicator's value.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from actionplan.choices import MeasurementSource
from actionplan.models import ActionPlan, Activity, Goal, Indicator, Measurement
from actionplan.services import can_add_measurement, measurement_add
from interviews.consent import Audience, audience_for
from interviews.filters import InterviewFilter
from interviews.models import Finding, FollowUp
from interviews.selectors import interview_list_base
from public_site.published import activities_progress
from smeportal.accounts.roles import STAFF_ROLES, user_roles
from smeportal.areas.models import PriorityArea
from workshops.models import Proposal, Workshop, WorkshopGroup

from .. import rows
from ..docs_text import STAFF
from ..filters import (
    FindingFilter,
    FollowUpFilter,
    GoalFilter,
    MeasurementFilter,
    ProposalFilter,
    PublicActivityFilter,
    WorkshopFilter,
)
from ..pagination import StaffCursorPagination
from ..permissions import capability
from ..serializers import staff as serializers_staff
from .base import ApiViewMixin


class ApiFilterBackend(DjangoFilterBackend):
    """django-filter's backend, which makes no filter set for a list asked without any of its
    parameters: the set's form and filters cost a tenth of a list call, to filter nothing."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not any(
            name in request.query_params for name in filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


class StaffViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = StaffCursorPagination
    filter_backends = [ApiFilterBackend, OrderingFilter]
    ordering_fields = ["id"]
    ordering = ["-id"]
    lookup_value_converter = "int"


class PlainListMixin:
    """A list answered from plain values (api.rows). A view with it defines
    `row_values(queryset)`, which selects a page's columns, and `row_data(rows, request)`,
    which makes the serializer's rows of them. The serializer still describes the list in
    the OpenAPI document and answers for a single object."""

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(self.row_values(queryset))
        return self.get_paginated_response(self.row_data(page, request))


class ApiInterviewFilter(InterviewFilter):
    """The interview list's filters; the order is the API's (`ordering`), not the page's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters.pop("sort", None)

    # The hints say what the OpenAPI document shows for `area` and `interviewer`: an id.
    def filter_findings(self, queryset, name, value: int):
        return super().filter_findings(queryset, name, value)

    def filter_interviewer(self, queryset, name, value: int):
        return super().filter_interviewer(queryset, name, value)


@STAFF["interviews"]
class InterviewViewSet(PlainListMixin, StaffViewSet):
    """Interviews with their company and interviewers; the contact persons interviewed only
    for roles that may see contacts. Filters as on the interview list (`q` searches notes,
    findings, quotes and company names)."""

    permission_classes = [capability("interviews.view")]
    serializer_class = serializers_staff.InterviewSerializer
    filterset_class = ApiInterviewFilter
    ordering_fields = ["id", "date"]

    def get_queryset(self):
        if self.action == "list":  # read as plain values (api.rows)
            return rows.interviews_for_list()
        interviews = (
            interview_list_base()
            .prefetch_related(None)
            .prefetch_related("interviewers", "interviewees")
        )
        return interviews

    def row_values(self, queryset):
        return rows.interview_values(queryset)

    def row_data(self, page, request):
        return rows.interview_data(page, user=request.user)


@STAFF["findings"]
class FindingViewSet(PlainListMixin, StaffViewSet):
    """Findings coded against the priority areas. Confidential findings only for business
    developers and administrators; quotes as the caller's role may read them."""

    permission_classes = [capability("findings.view")]
    serializer_class = serializers_staff.FindingSerializer
    filterset_class = FindingFilter

    def get_queryset(self):
        findings = Finding.objects.select_related("interview__company")
        if audience_for(self.request.user) is not Audience.INTERNAL:
            # Business secrets never leave the business developers' pages.
            findings = findings.filter(is_confidential=False)
        return findings

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["audience"] = audience_for(self.request.user)
        return context

    def row_values(self, queryset):
        return rows.finding_values(queryset)

    def row_data(self, page, request):
        return rows.finding_data(page, user=request.user, audience=audience_for(request.user))


@STAFF["followups"]
class FollowUpViewSet(StaffViewSet):
    permission_classes = [capability("followups.view")]
    serializer_class = serializers_staff.FollowUpSerializer
    filterset_class = FollowUpFilter
    ordering_fields = ["id", "due_date"]

    def get_queryset(self):
        return FollowUp.objects.select_related("owner")


@STAFF["workshops"]
class WorkshopViewSet(PlainListMixin, StaffViewSet):
    permission_classes = [capability("workshops.view")]
    serializer_class = serializers_staff.WorkshopSerializer
    filterset_class = WorkshopFilter
    ordering_fields = ["id", "date"]

    def get_queryset(self):
        return Workshop.objects.prefetch_related(
            Prefetch("groups", queryset=WorkshopGroup.objects.order_by("pk"))
        )

    def row_values(self, queryset):
        return rows.workshop_values(queryset)

    def row_data(self, page, request):
        return rows.workshop_data(page)


@STAFF["proposals"]
class ProposalViewSet(PlainListMixin, StaffViewSet):
    permission_classes = [capability("workshops.view")]
    serializer_class = serializers_staff.ProposalSerializer
    filterset_class = ProposalFilter
    ordering_fields = ["id", "votes"]

    def get_queryset(self):
        return Proposal.objects.select_related("group").prefetch_related(
            Prefetch("evidence", queryset=Finding.all_objects.only("pk").order_by("pk"))
        )

    def row_values(self, queryset):
        return rows.proposal_values(queryset)

    def row_data(self, page, request):
        return rows.proposal_data(page, user=request.user)


@STAFF["plans"]
class ActionPlanViewSet(StaffViewSet):
    permission_classes = [capability("actionplan.view")]
    serializer_class = serializers_staff.ActionPlanSerializer

    def get_queryset(self):
        return ActionPlan.objects.all()


@STAFF["goals"]
class GoalViewSet(StaffViewSet):
    permission_classes = [capability("actionplan.view")]
    serializer_class = serializers_staff.GoalSerializer
    filterset_class = GoalFilter

    def get_queryset(self):
        return Goal.objects.prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.only("pk").order_by("pk"))
        )


@STAFF["activities"]
class ActivityViewSet(PlainListMixin, StaffViewSet):
    permission_classes = [capability("actionplan.view")]
    serializer_class = serializers_staff.ActivitySerializer
    filterset_class = PublicActivityFilter
    ordering_fields = ["id", "due_date"]

    def get_queryset(self):
        return Activity.objects.prefetch_related(
            Prefetch("areas", queryset=PriorityArea.objects.only("pk").order_by("pk")),
            Prefetch("proposals", queryset=Proposal.objects.only("pk").order_by("pk")),
        )

    def row_values(self, queryset):
        return rows.activity_values(queryset)

    def row_data(self, page, request):
        return rows.activity_data(page, user=request.user)

    def get_object(self):
        activity = super().get_object()
        activity.progress = activities_progress([activity])[activity.pk]
        return activity


@STAFF["indicators"]
class IndicatorViewSet(StaffViewSet):
    permission_classes = [capability("actionplan.view")]
    serializer_class = serializers_staff.IndicatorSerializer

    def get_queryset(self):
        return Indicator.objects.all()


@STAFF["measurements"]
class MeasurementViewSet(mixins.CreateModelMixin, StaffViewSet):
    """Measurements of the indicators. POST reports a value from another system: allowed to
    those who may add a measurement on the indicator's page (editors of the plan, the
    indicator's owner, contacts of its activities), with a token of a staff role."""

    permission_classes = [capability("actionplan.view")]
    # JSON, or a form post (a spreadsheet's or a simple script's) with the same fields.
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    serializer_class = serializers_staff.MeasurementSerializer
    filterset_class = MeasurementFilter
    ordering_fields = ["id", "date"]

    def get_queryset(self):
        return Measurement.objects.all()

    def perform_create(self, serializer: serializers.Serializer) -> None:
        user = self.request.user
        indicator = serializer.validated_data["indicator"]
        if not (user_roles(user) & STAFF_ROLES and can_add_measurement(user, indicator)):
            raise PermissionDenied(_("You may not report measurements of this indicator."))
        try:
            serializer.instance = measurement_add(
                indicator=indicator,
                value=serializer.validated_data["value"],
                on=serializer.validated_data["date"],
                comment=serializer.validated_data.get("comment", ""),
                user=user,
                source=MeasurementSource.API,
            )
        except DjangoValidationError as error:
            raise ValidationError(_validation_detail(error)) from None


def _validation_detail(error: DjangoValidationError):
    if hasattr(error, "message_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}
