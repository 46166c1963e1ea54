"""The open, anonymous, read-only API of the published data: /api/v1/public/…

What is published is public_site.published's to say. Each page costs a fixed number of queries
whatever the size of the data (the page's rows, then each kind of related id for the whole
page); answers are cached for a minute and the callers' rate is limited (settings
REST_FRAMEWORK). No personal data and no finding ever appears here.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_page
from django.views.decorators.vary import vary_on_headers
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from actionplan.models import Activity, Goal, Measurement
from actionplan.progress import indicator_state, percent
from interviews.choices import FindingType
from public_site.published import (
    PUBLIC_FIELDS,
    activities_progress,
    published_activities,
    published_activity_links,
    published_area_figures,
    published_areas,
    published_celebrations_with_titles,
    published_goals,
    published_indicators,
    published_proposals,
)

from ..docs_text import PUBLIC
from ..filters import GoalFilter, PublicActivityFilter, PublicProposalFilter
from ..pagination import PublicPagination
from ..serializers import public as serializers
from .base import ApiViewMixin

# Answers are the same for every caller: cached per URL (query string included) and language.
CACHE_SECONDS = 60


class PublicListView(ApiViewMixin, generics.ListAPIView):
    public_data = True
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]
    pagination_class = PublicPagination
    filter_backends = [DjangoFilterBackend]

    @classmethod
    def wrap_view(cls, view):
        return cache_page(CACHE_SECONDS, key_prefix="api-public")(
            # A browser signed in to the portal (a session cookie) is answered apart (no-store).
            vary_on_headers("Accept-Language", "Cookie")(view)
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.attach(page)
        return page

    def attach(self, page: list) -> None:
        """Read what the page's rows need besides their own fields (a fixed number of queries)."""


@method_decorator(PUBLIC["areas"], name="get")
class PublicAreaList(PublicListView):
    """The active priority areas, with the latest summary's figures of each."""

    serializer_class = serializers.PublicAreaSerializer

    def get_queryset(self):
        return published_areas().only("pk", "name", "name_en", "order")

    def attach(self, page):
        _taken_at, figures = published_area_figures()
        for area in page:
            summary = figures.get(area.pk, {})
            by_type = summary.get("findings_by_type") or {}
            area.figures = {
                "interviews": summary.get("interviews", 0),
                "companies": summary.get("companies", 0),
                "challenges": by_type.get(FindingType.CHALLENGE, 0),
                "ideas": by_type.get(FindingType.IDEA, 0),
                "strengths": by_type.get(FindingType.STRENGTH, 0),
            }


@method_decorator(PUBLIC["proposals"], name="get")
class PublicProposalList(PublicListView):
    """Published proposals of the workshops: what the municipality and the business community
    can do, with their status and the published activities that realise them."""

    serializer_class = serializers.PublicProposalSerializer
    filterset_class = PublicProposalFilter

    def get_queryset(self):
        return published_proposals().only("pk", "area_id", "title", "actor", "status", "votes")

    def attach(self, page):
        realised = defaultdict(list)
        for proposal_id, activity_id in (
            Activity.proposals.through.objects.filter(
                proposal_id__in=[proposal.pk for proposal in page], activity__is_public=True
            )
            .order_by("activity_id")
            .values_list("proposal_id", "activity_id")
        ):
            realised[proposal_id].append(activity_id)
        for proposal in page:
            proposal.activity_ids = realised[proposal.pk]


@method_decorator(PUBLIC["activities"], name="get")
class PublicActivityList(PublicListView):
    """Published activities of the action plan, with their progress."""

    serializer_class = serializers.PublicActivitySerializer
    filterset_class = PublicActivityFilter

    def get_queryset(self):
        return published_activities().only(
            "pk", "plan_id", "title", "status", "manual_progress", "start_date", "due_date"
        )

    def attach(self, page):
        progress = activities_progress(page)
        areas, proposals = published_activity_links(activity.pk for activity in page)
        for activity in page:
            activity.progress = progress[activity.pk]
            activity.area_ids = areas[activity.pk]
            activity.proposal_ids = proposals[activity.pk]


@method_decorator(PUBLIC["goals"], name="get")
class PublicGoalList(PublicListView):
    """Published shared goals, each with the indicators that measure it."""

    serializer_class = serializers.PublicGoalSerializer
    filterset_class = GoalFilter

    def get_queryset(self):
        return published_goals().only("pk", "area_id", "title")

    def attach(self, page):
        measured = defaultdict(list)
        for goal_id, indicator_id in (
            Goal.indicators.through.objects.filter(goal_id__in=[goal.pk for goal in page])
            .order_by("indicator_id")
            .values_list("goal_id", "indicator_id")
        ):
            measured[goal_id].append(indicator_id)
        for goal in page:
            goal.indicator_ids = measured[goal.pk]


@method_decorator(PUBLIC["indicators"], name="get")
class PublicIndicatorList(PublicListView):
    """Indicators of the published goals: baseline, target, every measurement, and the status
    and progress the portal derives from them today."""

    serializer_class = serializers.PublicIndicatorSerializer

    def get_queryset(self):
        return published_indicators().only(*PUBLIC_FIELDS["indicator"])

    def attach(self, page):
        points = defaultdict(list)
        for indicator_id, on, value in (
            Measurement.objects.filter(indicator_id__in=[indicator.pk for indicator in page])
            .order_by("date", "pk")
            .values_list("indicator_id", "date", "value")
        ):
            points[indicator_id].append((on, value))
        today = timezone.localdate()
        for indicator in page:
            measured = points[indicator.pk]
            state = indicator_state(
                baseline_value=indicator.baseline_value,
                baseline_date=indicator.baseline_date,
                target_value=indicator.target_value,
                target_date=indicator.target_date,
                measurements=measured,
                reporting_interval=indicator.reporting_interval,
                as_of=today,
            )
            indicator.state = state
            indicator.progress = percent(state.progress)
            indicator.baseline = {
                "date": indicator.baseline_date,
                "value": indicator.baseline_value,
            }
            indicator.target = {"date": indicator.target_date, "value": indicator.target_value}
            indicator.latest = (
                {"date": state.latest_date, "value": state.latest_value}
                if state.latest_date
                else None
            )
            indicator.points = [{"date": on, "value": value} for on, value in measured]


@method_decorator(PUBLIC["celebrations"], name="get")
class PublicCelebrationList(PublicListView):
    """What the plan reached and the municipality celebrated, newest first."""

    serializer_class = serializers.PublicCelebrationSerializer

    def get_queryset(self):
        return published_celebrations_with_titles()
