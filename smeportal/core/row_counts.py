"""Exact row counts of large tables without counting them on every page view.

`COUNT(*)` of 100,000 interviews reads the whole primary-key index (3-8 ms at scale, more than
a trivial page). On Postgres, statement-level triggers (after INSERT, DELETE and TRUNCATE, with
transition tables, so a bulk insert of thousands of rows costs one UPDATE) keep each counted
table's number in `core_tablerowcount`; a migration creates them with
`smeportal.core.migration_operations.CountRowsOf`, which writes the starting number. Every
writer is counted, the bulk import, retention and a restored backup among them, because the
database itself counts.

Where no number is kept (SQLite, the embedded default, or a test database emptied by a flush,
which truncates the counts too) `table_row_count` counts the rows, exactly, as before.

The counter row is locked from a writer's insert until its transaction ends, so concurrent
writers of one counted table take turns: fine for interviews, written by people at human
speed and by one import at a time; not for tables written by many at once.
"""

from __future__ import annotations

from django.db import connection, connections, models

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


def restore_missing_row_counts(using: str = "default", **_kwargs) -> None:
    """Give every counted table (one with the triggers) its number again if its row is gone.

    `manage.py flush` empties every table, core_tablerowcount too, while the triggers stay:
    without a row they have nothing to update, and the list would count its rows on every view
    from then on. After a flush (and after every migrate: the post_migrate signal, which a flush
    sends too) a missing row is written with the table's count; an existing one is left alone,
    since the triggers keep it right and a count taken while others write could be wrong.
    """
    db = connections[using]
    if db.vendor != "postgresql":
        return
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = c.relname || '_rows_inserted' AND NOT t.tgisinternal "
            "AND pg_table_is_visible(c.oid) "
            "AND c.relname NOT IN (SELECT table_name FROM core_tablerowcount)"
        )
        missing = [name for (name,) in cursor.fetchall()]
        for table in missing:
            # The table's name comes from the catalogue, quoted as an identifier.
            count_rows = f"SELECT %s, count(*) FROM {db.ops.quote_name(table)}"  # noqa: S608
            cursor.execute(
                "INSERT INTO core_tablerowcount (table_name, rows) "
                f"{count_rows} ON CONFLICT (table_name) DO NOTHING",
                [table],
            )
