"""Reads compiled once (smeportal.core.compiled): the same rows as the ORM's, one query each, the
SQL compiled once per shape, on Postgres and SQLite alike."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.db.models import Count, Exists, OuterRef, Q, Value
from django.db.models.sql.compiler import SQLCompiler

from actionplan.models import Activity, KoladaFetch, Measurement
from interviews.models import Interview
from smeportal.areas.models import PriorityArea
from smeportal.core.compiled import CompiledRead, columns, instance, prefetched, related
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    InterviewFactory,
    MeasurementFactory,
    MilestoneFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _measurements(indicator_id):
    return (
        Measurement.objects.filter(indicator_id=indicator_id)
        .order_by("-date", "-pk")
        .values_list("pk", "value", "date", "comment", "indicator__name")
    )


def test_a_read_gives_the_orms_rows_with_values_converted_in_one_query(
    django_assert_num_queries,
):
    indicator = IndicatorFactory(name="Nöjd kund-index")
    MeasurementFactory(indicator=indicator, value=Decimal("12.50"), date=date(2024, 12, 31))
    MeasurementFactory(indicator=indicator, value=Decimal("3"), date=date(2025, 12, 31))
    read = CompiledRead(_measurements)
    with django_assert_num_queries(1):
        rows = read.rows(indicator.pk)
    assert rows == list(_measurements(indicator.pk))
    assert rows[0][1:3] == (Decimal("3"), date(2025, 12, 31))
    # Another id, the same compiled SQL.
    other = IndicatorFactory()
    MeasurementFactory(indicator=other)
    assert read.rows(other.pk) == list(_measurements(other.pk))


def test_the_sql_is_compiled_once_per_shape():
    plan_activities = [ActivityFactory() for _ in range(3)]
    read = CompiledRead(
        lambda ids: Activity.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "title")
    )
    ids = [activity.pk for activity in plan_activities]
    expected = list(
        Activity.objects.filter(pk__in=ids[1:]).order_by("pk").values_list("pk", "title")
    )
    with mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    ) as as_sql:
        read.rows(ids[:2])
        compiled = as_sql.call_count
        assert read.rows(ids[1:]) == expected
        assert as_sql.call_count == compiled  # two ids again: no compiling
        read.rows(ids)
        assert as_sql.call_count > compiled  # three ids: another shape


def test_annotations_come_in_the_order_asked_for():
    activity = ActivityFactory(title="Lots")
    MilestoneFactory(activity=activity, is_done=True)
    MilestoneFactory(activity=activity)

    def build(pk):
        return (
            Activity.objects.filter(pk=pk)
            .annotate(done=Count("milestones", filter=Q(milestones__is_done=True)))
            .values_list("pk", "done", "title")
        )

    assert CompiledRead(build).rows(activity.pk) == [(activity.pk, 1, "Lots")]


def test_an_id_used_twice_and_a_json_column():
    indicator = IndicatorFactory()
    KoladaFetch.objects.create(indicator=indicator, status="ok", conflicts=[{"date": "2024"}])
    read = CompiledRead(
        lambda pk: KoladaFetch.objects.filter(
            Q(indicator_id=pk) | Q(indicator__goals__indicators=pk)
        ).values_list("indicator_id", "conflicts")
    )
    assert read.rows(indicator.pk) == [(indicator.pk, [{"date": "2024"}])]


def test_a_distinct_read_ordered_by_other_columns_gives_only_its_own():
    activity = ActivityFactory()
    read = CompiledRead(
        lambda ids: Activity.objects.filter(pk__in=ids).values_list("pk").distinct()
    )
    assert read.rows([activity.pk]) == [(activity.pk,)]


def test_ids_no_row_has_and_no_ids_are_the_orms_answer(django_assert_num_queries):
    read = CompiledRead(lambda ids: Activity.objects.filter(pk__in=ids).values_list("pk"))
    with django_assert_num_queries(0):
        assert read.rows([]) == []
    assert read.rows([2**70]) == []
    assert CompiledRead(lambda pk: Activity.objects.filter(pk=pk).values_list("pk")).rows(0) == []


def test_sql_of_the_pages_own_runs_with_the_ids():
    first, second = ActivityFactory(), ActivityFactory()

    def build(pk):
        sql, params = Activity.objects.filter(pk=pk).values_list("pk").query.sql_with_params()
        return f"SELECT COUNT(*) FROM ({sql}) AS counted", params  # noqa: S608

    read = CompiledRead(build)
    assert read.rows(first.pk) == [(1,)]
    assert read.rows(second.pk) == [(1,)]


def test_a_build_without_the_id_as_a_parameter_is_refused():
    with pytest.raises(ValueError, match="parameters"):
        CompiledRead(lambda pk: Activity.objects.values_list("pk")).rows(1)


def test_instances_of_some_columns_and_prefetched_relations(django_assert_num_queries):
    assert columns(PriorityArea, "order", "name") == ["id", "name", "order"]
    with pytest.raises(ValueError):
        columns(PriorityArea, "no_such_column")
    assert related("goal__area", ["id", "name"]) == ["goal__area__name"]
    activity = ActivityFactory()
    area = PriorityArea.objects.order_by("pk").first()
    fields = columns(PriorityArea, "name")
    with django_assert_num_queries(0):
        built = instance(PriorityArea, fields, [area.pk, area.name])
        assert (built.pk, built.name) == (area.pk, area.name)
        prefetched(activity, "areas", [built])
        assert list(activity.areas.all()) == [built]
    activity.areas.set([])  # a change drops what was handed over, as it drops prefetched rows
    assert list(activity.areas.all()) == []


def _interviews(ids):
    return (
        Interview.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "date", "company__name")
    )


def test_rows_are_the_querysets_for_each_set_of_ids(django_assert_num_queries):
    read = CompiledRead(_interviews)
    first, second, third = InterviewFactory(), InterviewFactory(), InterviewFactory()
    for ids in ([first.pk, second.pk], [second.pk, third.pk], [third.pk], [first.pk, second.pk]):
        with django_assert_num_queries(1):
            rows = read.rows(ids)
        assert rows == list(_interviews(ids))
    # Dates come back as dates (the ORM's converters), on SQLite too.
    assert rows[0][1] == first.date


def test_several_keys_and_annotations_keep_the_values_list_order():
    interviewer = UserFactory()
    interview = InterviewFactory(interviewers=[interviewer])
    other = InterviewFactory()

    def build(interview_id, user_id):
        links = Interview.interviewers.through.objects.filter(
            interview_id=OuterRef("pk"), user_id=user_id
        )
        return (
            Interview.objects.filter(pk=interview_id)
            .annotate(conducted=Exists(links), label=Value("x"))
            .values_list("label", "pk", "conducted")
        )

    read = CompiledRead(build)
    assert read.rows(interview.pk, interviewer.pk) == [("x", interview.pk, True)]
    assert read.rows(other.pk, interviewer.pk) == [("x", other.pk, False)]


def test_a_list_holding_an_id_no_row_has_reads_through_the_orm():
    activity = ActivityFactory()
    read = CompiledRead(lambda ids: Activity.objects.filter(pk__in=ids).values_list("pk"))
    assert read.rows([activity.pk, 0]) == [(activity.pk,)]


def test_a_read_needs_named_fields():
    with pytest.raises(ValueError, match="named fields"):
        CompiledRead(lambda pk: Interview.objects.filter(pk=pk).values_list()).rows(1)
