"""Exact row counts of large tables without counting them on every page view.

`COUNT(*)` of 100,000 interviews reads the whole primary-key index (3-8 ms at scale, more than
a trivial page). On Postgres, statement-level triggers (after INSERT, DELETE and TRUNCATE, with
transition tables, so a bulk insert of thousands of rows costs one UPDATE) keep each counted
table's number in `core_tablerowcount`; a migration creates them with
`smeportal.core.migration_operations.CountRowsOf`, which writes the starting number. Every writer is counted, the bulk import, retention and a restored
backup among them, because the database itself counts.

Where no number is kept (SQLite, the embedded default, or a test database emptied by a flush,
which truncates the counts too) `table_row_count` counts the rows, exactly, as before.

The counter row is locked from a writer's insert until its transaction ends, so concurrent
writers of one counted table take turns: fine for interviews, written by people at human
speed and by one import at a time; not for tables written by many at once.
"""

from __future__ import annotations

from django.db import connection, models

from .models import TableRowCount


def table_row_count(model: type[models.Model]) -> int:
    """The number of rows of the model's table (every row, whatever its default manager)."""
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        kept = TableRowCount.objects.filter(table_name=table).values_list("rows", flat=True)
        rows = next(iter(kept), None)
        if rows is not None:
            return rows
    return model._base_manager.count()
