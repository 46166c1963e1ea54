"""Filters and orderings of the API's lists (django-filter), as the portal's pages offer them.

Every ordering ends with the primary key, so that pages are stable."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from actionplan.choices import ActivityStatus
from actionplan.models import Activity, Goal, Measurement
from interviews.choices import FindingType, Flag, FollowUpStatus
from interviews.models import Finding, FollowUp
from smeportal.areas.models import PriorityArea
from workshops.choices import Actor, ProposalStatus
from workshops.models import Proposal, Workshop


class StableOrderingFilter(django_filters.OrderingFilter):
    """Ordering by the named fields, then by the primary key (a unique, stable tie-break)."""

    def filter(self, queryset, value):
        queryset = super().filter(queryset, value)
        ordering = list(queryset.query.order_by) or ["pk"]
        if not any(field.lstrip("-") in {"pk", "id"} for field in ordering):
            descending = ordering[0].startswith("-")
            ordering.append("-pk" if descending else "pk")
        return queryset.order_by(*ordering)


class PublicProposalFilter(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(queryset=PriorityArea.objects.all(), label=_("area"))
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices, label=_("status"))
    actor = django_filters.ChoiceFilter(choices=Actor.choices, label=_("who acts"))
    ordering = StableOrderingFilter(fields=(("votes", "votes"), ("title", "title"), ("id", "id")))

    class Meta:
        model = Proposal
        fields = ["area", "status", "actor"]


class PublicActivityFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices, label=_("status"))
    area = django_filters.ModelChoiceFilter(
        queryset=PriorityArea.objects.all(), field_name="areas", label=_("area")
    )
    ordering = StableOrderingFilter(
        fields=(("due_date", "due_date"), ("title", "title"), ("id", "id"))
    )

    class Meta:
        model = Activity
        fields = ["status", "area"]


class GoalFilter(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(queryset=PriorityArea.objects.all(), label=_("area"))

    class Meta:
        model = Goal
        fields = ["area"]


class FindingFilter(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(queryset=PriorityArea.objects.all(), label=_("area"))
    type = django_filters.ChoiceFilter(choices=FindingType.choices, label=_("type"))
    interview = django_filters.NumberFilter(field_name="interview_id", label=_("interview"))

    class Meta:
        model = Finding
        fields = ["area", "type", "interview"]


class FollowUpFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=FollowUpStatus.choices, label=_("status"))
    flag = django_filters.ChoiceFilter(choices=Flag.choices, label=_("flag"))
    owner = django_filters.NumberFilter(field_name="owner_id", label=_("owner"))
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("due on or before")
    )

    class Meta:
        model = FollowUp
        fields = ["status", "flag", "owner", "due_before"]


class WorkshopFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("from date")
    )
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to date"))

    class Meta:
        model = Workshop
        fields = ["status", "date_from", "date_to"]


class ProposalFilter(PublicProposalFilter):
    workshop = django_filters.NumberFilter(field_name="group__workshop_id", label=_("workshop"))

    class Meta(PublicProposalFilter.Meta):
        fields = ["area", "status", "actor", "workshop"]


class MeasurementFilter(django_filters.FilterSet):
    indicator = django_filters.NumberFilter(field_name="indicator_id", label=_("indicator"))
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("from date")
    )

    class Meta:
        model = Measurement
        fields = ["indicator", "date_from"]
