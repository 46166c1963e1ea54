"""Each priority area's own trigram indexes (interviews.area_search): built with the area,
dropped with it, and the ones a search within the area reads (Postgres only)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from interviews.area_search import (
    area_index_name,
    area_index_statements,
    area_indexes_drop,
    area_substring,
)
from interviews.models import Finding
from interviews.selectors import finding_list
from smeportal.areas.models import PriorityArea
from smeportal.areas.services import area_delete
from tests.factories import FindingFactory, InterviewFactory, PriorityAreaFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="Postgres only: pg_trgm indexes"),
    pytest.mark.django_db,
]


def index_definitions(area_id: int) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'interviews_finding' AND indexname = ANY(%s)",
            [[area_index_name(column, area_id) for column in ("text", "quote")]],
        )
        return dict(cursor.fetchall())


def test_every_area_of_the_migrations_has_its_indexes():
    for area_id in PriorityArea.objects.values_list("pk", flat=True):
        assert len(index_definitions(area_id)) == 2, area_id


def test_a_new_area_gets_its_indexes_and_a_deleted_one_loses_them(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        area = PriorityAreaFactory()
        assert index_definitions(area.pk) == {}  # built once the area is committed
    definitions = index_definitions(area.pk)
    assert set(definitions) == {area_index_name("text", area.pk), area_index_name("quote", area.pk)}
    text = definitions[area_index_name("text", area.pk)]
    assert "gin_trgm_ops" in text and "text_folded" in text, text
    assert f"(area_id = {area.pk})" in text and "NOT is_archived" in text, text
    assert "gin_pending_list_limit='128'" in text, text

    area_id = area.pk
    with django_capture_on_commit_callbacks(execute=True):
        area_delete(area=area)
    assert index_definitions(area_id) == {}


@pytest.mark.django_db(transaction=True)
def test_an_area_created_after_findings_in_one_transaction_gets_its_indexes_on_commit():
    """Postgres builds no index on a table with checks pending in the transaction (the
    findings' deferred foreign keys): the indexes wait for the commit, and are then built
    without holding up other writers (CONCURRENTLY)."""
    earlier = PriorityAreaFactory()
    with transaction.atomic():
        FindingFactory(area=earlier)
        area = PriorityAreaFactory()
    try:
        assert len(index_definitions(earlier.pk)) == 2
        assert len(index_definitions(area.pk)) == 2
    finally:
        area_indexes_drop(earlier.pk)
        area_indexes_drop(area.pk)


def test_outside_a_transaction_the_indexes_are_built_concurrently():
    statements = area_index_statements(7, concurrently=True)
    assert all(
        statement.startswith("CREATE INDEX CONCURRENTLY IF NOT EXISTS") for statement in statements
    )


def plan(area_id: int, *, by_index: bool) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return (
        finding_list(audience_is_internal=True)
        .filter(
            area_substring("text", area_id, "bygglov", by_index=by_index)
            | area_substring("quote", area_id, "kötiden", by_index=by_index)
        )
        .order_by()
        .explain()
    )


def test_a_search_within_an_area_reads_that_areas_indexes_only():
    areas = PriorityArea.objects.order_by("pk")[:2]
    # Enough findings of the area that walking it costs more than asking its indexes.
    interview = InterviewFactory()
    Finding.objects.bulk_create(
        Finding(interview=interview, area=areas[0], type="utmaning", text=f"Ärende {number}")
        for number in range(3000)
    )
    FindingFactory.create_batch(3, area=areas[0], text="Bygglovet dröjde")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE interviews_finding")
    searched = plan(areas[0].pk, by_index=True)
    assert area_index_name("text", areas[0].pk) in searched, searched
    assert area_index_name("quote", areas[0].pk) in searched, searched
    assert area_index_name("text", areas[1].pk) not in searched, searched


def test_the_walk_of_an_area_asks_no_trigram_index():
    area = PriorityArea.objects.order_by("pk").first()
    walked = plan(area.pk, by_index=False)
    assert "trgm" not in walked, walked
    assert "strpos" in walked, walked


def test_both_forms_find_the_same_findings_ignoring_case_and_accents():
    area = PriorityArea.objects.order_by("pk").first()
    other = PriorityArea.objects.order_by("pk").last()
    found = FindingFactory(area=area, text="Väntan på BYGGLOV i Hällby")
    quoted = FindingFactory(area=area, text="Annat", quote="Vi 100 % nöjda_kunder")
    FindingFactory(area=other, text="Bygglov i ett annat område")
    FindingFactory(area=area, text="Inget om det")
    for by_index in (True, False):
        findings = finding_list(audience_is_internal=True)

        def matching(column, text, findings=findings, by_index=by_index):
            condition = area_substring(column, area.pk, text, by_index=by_index)
            return set(findings.filter(condition).values_list("pk", flat=True))

        assert matching("text", "bygglov") == {found.pk}, by_index
        assert matching("text", "hallby") == {found.pk}, by_index
        assert matching("quote", "100 %") == {quoted.pk}, by_index
        assert matching("quote", "nöjda_k") == {quoted.pk}, by_index
        assert matching("quote", "%") == {quoted.pk}, by_index
        assert matching("quote", "_") == {quoted.pk}, by_index
        assert matching("text", "nöjda") == set(), by_index


def test_a_search_of_one_type_reads_the_type_through_the_index():
    area = PriorityArea.objects.order_by("pk").first()
    interview = InterviewFactory()
    Finding.objects.bulk_create(
        Finding(interview=interview, area=area, type=kind, text=f"Ärende {number}")
        for number in range(1000)
        for kind in ("utmaning", "ide", "styrka")
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE interviews_finding")
        cursor.execute("SET LOCAL enable_seqscan = off")
    searched = (
        finding_list(audience_is_internal=True)
        .filter(area_substring("text", area.pk, "bygglov", finding_type="ide"))
        .order_by()
        .explain()
    )
    assert area_index_name("text", area.pk) in searched, searched
    assert "'#ide# %bygglov%'" in searched, searched


def test_the_type_is_searched_as_a_type_never_as_a_word():
    area = PriorityArea.objects.order_by("pk").first()
    challenge = FindingFactory(area=area, type="utmaning", text="Bygglovet dröjde")
    idea = FindingFactory(area=area, type="ide", text="En utmaning för bygglovet")
    for by_index in (True, False):

        def matching(text, finding_type="", by_index=by_index):
            condition = area_substring(
                "text", area.pk, text, finding_type=finding_type, by_index=by_index
            )
            return set(
                finding_list(audience_is_internal=True)
                .filter(condition)
                .values_list("pk", flat=True)
            )

        assert matching("bygglov") == {challenge.pk, idea.pk}, by_index
        assert matching("bygglov", "utmaning") == {challenge.pk}, by_index
        assert matching("bygglov", "styrka") == set(), by_index
        # Only the idea says "utmaning"; the challenge is one by its type, not its words.
        assert matching("utmaning") == {idea.pk}, by_index
        assert matching("#") == set(), by_index
        assert matching("utmaning# ") == set(), by_index


def test_an_unknown_type_is_refused():
    with pytest.raises(ValueError):
        area_substring("text", 1, "bygglov", finding_type="x' OR '1'='1")
