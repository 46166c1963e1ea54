"""The interview list's filters (django-filter); the export uses the same ones."""

from __future__ import annotations

import django_filters
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from smeportal.areas.models import PriorityArea
from smeportal.core.collation import swedish
from smeportal.core.dates import PlausibleDateFilter
from smeportal.core.model_choices import ChoicesInOneQuery, object_for_value

from .choices import District, FindingType, FollowUpStatus, Industry, InterviewStatus, SizeClass
from .models import Finding, FollowUp, Interview
from .selectors import interview_text_search, interviewer_choices

OPEN_FLAG_CHOICES = [
    ("alla", _("Any open flag")),
    ("rod", _("Open red flag")),
    ("gul", _("Open yellow flag")),
]
GRADE_CHOICES = [(grade, str(grade)) for grade in range(1, 7)]


def _areas(request):
    return PriorityArea.objects.order_by("order")


def _interviewers(request):
    return interviewer_choices()


class ShortModelChoiceFilterField(ModelChoiceField):
    """The choices of a short list (areas, interviewers) read by one plain query, which also
    checks the chosen value."""

    iterator = ChoicesInOneQuery

    def to_python(self, value):
        if self.null_label is not None and value == self.null_value:
            return value
        return object_for_value(self, value)


class ShortModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ShortModelChoiceFilterField


class SwedishOrderingFilter(django_filters.OrderingFilter):
    """Sorts company names in Swedish alphabetical order, and names its choices in the
    reader's language: django-filter's "%s (descending)" has no Swedish translation, and it is
    formatted once, when the filter class is built ("Datum (descending)" in both languages)."""

    def build_choices(self, fields, labels):
        ascending = [
            (param, labels.get(field, capfirst(field.replace("__", " "))))
            for field, param in fields.items()
        ]
        descending = [
            (f"-{param}", format_lazy(_("{label} (descending)"), label=label))
            for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = self.param_map[param[1:] if descending else param]
        if field == "company__name":
            expression = swedish(field)
            return expression.desc() if descending else expression.asc()
        return f"-{field}" if descending else field

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "-pk")


class InterviewFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text",
        # SQLite refuses LIKE patterns over 50,000 bytes; a search is a few words.
        max_length=200,
        label=_("Search"),
        help_text=_("Searches notes, findings, quotes and company names."),
    )
    area = ShortModelChoiceFilter(
        queryset=_areas,
        method="filter_findings",
        label=_("Priority area"),
        empty_label=_("All areas"),
    )
    finding_type = django_filters.ChoiceFilter(
        choices=FindingType.choices,
        method="filter_findings",
        label=_("Finding type"),
        empty_label=_("All types"),
    )
    industry = django_filters.ChoiceFilter(
        field_name="company__industry",
        choices=Industry.choices,
        label=_("Industry"),
        empty_label=_("All industries"),
    )
    size_class = django_filters.ChoiceFilter(
        field_name="company__size_class",
        choices=SizeClass.choices,
        label=_("Size class"),
        empty_label=_("All sizes"),
    )
    district = django_filters.ChoiceFilter(
        field_name="company__district",
        choices=District.choices,
        label=_("District"),
        empty_label=_("All districts"),
    )
    date_from = PlausibleDateFilter(
        field_name="date",
        lookup_expr="gte",
        label=_("From date"),
    )
    date_to = PlausibleDateFilter(
        field_name="date",
        lookup_expr="lte",
        label=_("To date"),
    )
    interviewer = ShortModelChoiceFilter(
        queryset=_interviewers,
        method="filter_interviewer",
        label=_("Interviewer"),
        empty_label=_("All interviewers"),
    )
    grade = django_filters.ChoiceFilter(
        choices=GRADE_CHOICES, label=_("Grade"), empty_label=_("All grades")
    )
    status = django_filters.ChoiceFilter(
        choices=InterviewStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    open_flags = django_filters.ChoiceFilter(
        choices=OPEN_FLAG_CHOICES,
        method="filter_flags",
        label=_("Open flags"),
        empty_label=_("Any or none"),
    )
    sort = SwedishOrderingFilter(
        fields=(
            ("date", "date"),
            ("company__name", "company"),
            ("grade", "grade"),
            ("status", "status"),
        ),
        field_labels={
            "date": _("Date"),
            "company__name": _("Company"),
            "grade": _("Grade"),
            "status": _("Status"),
        },
        label=_("Sort by"),
        empty_label=_("Newest first"),
    )

    def get_form_class(self):
        """The form class, built once per process rather than on every page view: its fields
        hold nothing of a request (lazy labels; querysets that each form's copy of a field
        reads afresh, if at all)."""
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class

    def filter_text(self, queryset, name, value):
        return interview_text_search(queryset, value)

    def filter_findings(self, queryset, name, value):
        # Area and type are applied together in filter_queryset (one finding must match both).
        return queryset

    def filter_flags(self, queryset, name, value):
        open_follow_ups = FollowUp.objects.exclude(status=FollowUpStatus.DONE)
        if value in {"rod", "gul"}:
            open_follow_ups = open_follow_ups.filter(flag=value)
        return queryset.filter(pk__in=open_follow_ups.values("interview_id"))

    def filter_interviewer(self, queryset, name, value):
        # A semi-join rather than a join: no duplicate rows, so no DISTINCT over the whole list.
        conducted = Interview.interviewers.through.objects.filter(user=value)
        return queryset.filter(pk__in=conducted.values("interview_id"))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        area = self.form.cleaned_data.get("area")
        finding_type = self.form.cleaned_data.get("finding_type")
        if area or finding_type:
            findings = Finding.objects.all()
            if area:
                findings = findings.filter(area=area)
            if finding_type:
                findings = findings.filter(type=finding_type)
            queryset = queryset.filter(pk__in=findings.values("interview_id"))
        return queryset
