"""The first rows of each group by one compiled union (smeportal/core/slices.py; Postgres)."""

import pytest
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext

from interviews.models import Finding
from smeportal.core.slices import (
    compiled_slice,
    counts_of_slices,
    rows_of_slices,
    union_of_slices,
)
from tests.factories import FindingFactory, InterviewFactory, PriorityAreaFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite cannot slice the parts of a union"
    ),
]


@pytest.fixture
def findings_in_three_areas():
    areas = [PriorityAreaFactory() for _ in range(3)]
    interview = InterviewFactory()
    for count, area in zip((4, 1, 0), areas, strict=True):
        for importance in range(count):
            FindingFactory(interview=interview, area=area, importance=importance + 1)
    return areas


def test_each_key_gets_its_first_rows_in_the_querysets_order(findings_in_three_areas):
    first, second, empty = findings_in_three_areas
    ordered = Finding.objects.order_by("-importance", "pk").values_list("area_id", "importance")

    rows = rows_of_slices(ordered, "area_id", [first.pk, second.pk, empty.pk], 2)

    assert rows == [(first.pk, 4), (first.pk, 3), (second.pk, 1)]


def test_counts_stop_at_the_limit(findings_in_three_areas):
    first, second, empty = findings_in_three_areas

    with CaptureQueriesContext(connection) as queries:
        counts = counts_of_slices(
            Finding.objects.all(), "area_id", [first.pk, second.pk, empty.pk], 3
        )

    assert counts == {first.pk: 3, second.pk: 1}
    assert len(queries) == 1


def test_the_union_fits_a_subquery_and_keeps_the_querysets_own_filters(findings_in_three_areas):
    first, second, _empty = findings_in_three_areas
    important = Finding.objects.filter(importance__gte=2).order_by("pk").values("pk")
    sql, params = union_of_slices(important, "area_id", [first.pk, second.pk], 10)

    chosen = Finding.objects.filter(pk__in=RawSQL(sql, params))  # noqa: S611

    assert sorted(f.importance for f in chosen) == [2, 3, 4]
    assert {f.area_id for f in chosen} == {first.pk}


def test_a_key_already_among_the_parameters_is_refused():
    area = PriorityAreaFactory()
    queryset = Finding.objects.filter(area_id=area.pk).values_list("pk")
    with pytest.raises(ValueError):
        union_of_slices(queryset.filter(interview_id=-2_000_000_017), "area_id", [area.pk], 1)
    with pytest.raises(ValueError):
        union_of_slices(queryset, "area_id", [], 1)


def test_a_compiled_slice_puts_the_key_wherever_the_part_names_it(findings_in_three_areas):
    first, second, _ = findings_in_three_areas
    slice_of = compiled_slice(
        lambda area_id: (
            Finding.objects.filter(area_id=area_id)
            .filter(Q(area_id=area_id) | Q(interview__findings__area_id=area_id))
            .order_by("-importance")
            .values_list("area_id", "importance")
            .distinct()
        ),
        2,
    )
    with connection.cursor() as cursor:
        cursor.execute(*slice_of(first.pk))
        assert cursor.fetchall() == [(first.pk, 4), (first.pk, 3)]
        cursor.execute(*slice_of(second.pk))
        assert cursor.fetchall() == [(second.pk, 1)]
    with pytest.raises(ValueError):
        compiled_slice(lambda area_id: Finding.objects.values_list("pk"), 1)
