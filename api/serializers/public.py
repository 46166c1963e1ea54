"""The published data as the open API returns it (public_site.published says what is public).

The views hand these serializers objects whose related ids and derived figures they read for
the whole page in a fixed number of queries (views/public.py); nothing here queries.
"""

from __future__ import annotations

from rest_framework import serializers

from actionplan.choices import (
    ActivityStatus,
    CelebrationKind,
    Direction,
    IndicatorSource,
    IndicatorStatus,
)
from workshops.choices import Actor, ProposalStatus

from .fields import Coded, coded


class AreaFiguresSerializer(serializers.Serializer):
    interviews = serializers.IntegerField()
    companies = serializers.IntegerField()
    challenges = serializers.IntegerField()
    ideas = serializers.IntegerField()
    strengths = serializers.IntegerField()


class PublicAreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    order = serializers.IntegerField()
    figures = AreaFiguresSerializer(
        help_text="From the latest summary of the whole period (aggregates only).",
    )


class PublicProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    area = serializers.IntegerField(source="area_id")
    title = serializers.CharField()
    actor = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    votes = serializers.IntegerField()
    activities = serializers.ListField(child=serializers.IntegerField(), source="activity_ids")

    def get_actor(self, proposal) -> Coded:
        return coded(Actor, proposal.actor)

    def get_status(self, proposal) -> Coded:
        return coded(ProposalStatus, proposal.status)


class PublicActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.SerializerMethodField()
    progress = serializers.IntegerField(help_text="Percent done, rolled up from milestones.")
    start_date = serializers.DateField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    areas = serializers.ListField(child=serializers.IntegerField(), source="area_ids")
    proposals = serializers.ListField(child=serializers.IntegerField(), source="proposal_ids")

    def get_status(self, activity) -> Coded:
        return coded(ActivityStatus, activity.status)


class PublicGoalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    area = serializers.IntegerField(source="area_id")
    title = serializers.CharField()
    indicators = serializers.ListField(child=serializers.IntegerField(), source="indicator_ids")


class PointSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = serializers.DecimalField(max_digits=12, decimal_places=2)


class PublicIndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()
    baseline = PointSerializer()
    target = PointSerializer()
    latest = PointSerializer(allow_null=True)
    status = serializers.SerializerMethodField()
    progress = serializers.IntegerField(
        allow_null=True, help_text="Percent of the way from the baseline to the target."
    )
    measurements = PointSerializer(many=True, source="points")

    def get_direction(self, indicator) -> Coded:
        return coded(Direction, indicator.direction)

    def get_source(self, indicator) -> Coded:
        return coded(IndicatorSource, indicator.source)

    def get_status(self, indicator) -> Coded:
        return coded(IndicatorStatus, indicator.state.status)


class PublicCelebrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.SerializerMethodField()
    title = serializers.CharField(source="display_title")
    occurred_on = serializers.DateField()

    def get_kind(self, celebration) -> Coded:
        return coded(CelebrationKind, celebration.kind)
