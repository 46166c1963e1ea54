"""The row counts the database keeps (smeportal/core/row_counts.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interviews.models import Interview
from smeportal.core.models import TableRowCount
from smeportal.core.row_counts import table_row_count
from tests.factories import CompanyFactory, InterviewFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers exist on Postgres only"
)


def _kept() -> int | None:
    row = TableRowCount.objects.filter(table_name=Interview._meta.db_table).first()
    return None if row is None else row.rows


@pytest.fixture
def counted():
    """The interviews' count kept from the true number (a flush of an earlier test may have
    emptied the counts table, as it empties every table)."""
    TableRowCount.objects.update_or_create(
        table_name=Interview._meta.db_table, defaults={"rows": Interview.objects.count()}
    )


@on_postgres
def test_every_insert_and_delete_is_counted_by_the_database(counted):
    before = Interview.objects.count()
    company = CompanyFactory()
    first = InterviewFactory(company=company)
    Interview.objects.bulk_create(
        Interview(company=company, date=first.date, status=first.status) for _ in range(7)
    )
    assert _kept() == before + 8

    Interview.objects.filter(pk=first.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM interviews_interview WHERE company_id = %s", [company.pk])
    assert _kept() == before == Interview.objects.count()


@on_postgres
def test_a_truncated_table_counts_zero(counted):
    # (Postgres refuses to truncate a table with writes pending in the same transaction.)
    TableRowCount.objects.filter(table_name=Interview._meta.db_table).update(rows=42)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE interviews_interview CASCADE")
    assert _kept() == 0


@on_postgres
def test_the_kept_number_is_read_instead_of_counting(counted):
    InterviewFactory.create_batch(3)

    with CaptureQueriesContext(connection) as queries:
        total = table_row_count(Interview)

    assert total == Interview.objects.count()
    assert len(queries) == 1
    assert "core_tablerowcount" in queries[0]["sql"]
    assert "COUNT(" not in queries[0]["sql"].upper()


def test_without_a_kept_number_the_rows_are_counted():
    TableRowCount.objects.filter(table_name=Interview._meta.db_table).delete()
    InterviewFactory.create_batch(2)

    assert table_row_count(Interview) == Interview.objects.count()


@on_postgres
def test_a_count_emptied_by_a_flush_is_written_again_after_it():
    """manage.py flush empties core_tablerowcount too (and then sends post_migrate): the
    missing row is written again with the table's count; a kept row is left as it is."""
    from smeportal.core.row_counts import restore_missing_row_counts

    InterviewFactory.create_batch(2)
    TableRowCount.objects.filter(table_name=Interview._meta.db_table).delete()

    restore_missing_row_counts()
    assert _kept() == Interview.objects.count()

    TableRowCount.objects.filter(table_name=Interview._meta.db_table).update(rows=7)
    restore_missing_row_counts()
    assert _kept() == 7
