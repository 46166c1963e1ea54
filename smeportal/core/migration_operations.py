"""Migration operations the apps share."""

from __future__ import annotations

import re

from django.db import migrations


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases (the embedded SQLite default): search
    documents, trigram and expression indexes exist on Postgres only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


ROW_COUNT_FUNCTIONS = """
CREATE OR REPLACE FUNCTION core_rows_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE core_tablerowcount SET rows = rows + (SELECT count(*) FROM changed_rows)
   WHERE table_name = TG_TABLE_NAME;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION core_rows_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE core_tablerowcount SET rows = rows - (SELECT count(*) FROM changed_rows)
   WHERE table_name = TG_TABLE_NAME;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION core_rows_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE core_tablerowcount SET rows = 0 WHERE table_name = TG_TABLE_NAME;
  RETURN NULL;
END $$;
"""
DROP_ROW_COUNT_FUNCTIONS = (
    "DROP FUNCTION IF EXISTS core_rows_inserted(); DROP FUNCTION IF EXISTS core_rows_deleted(); "
    "DROP FUNCTION IF EXISTS core_rows_truncated();"
)


class CountRowsOf(PostgresOnlySQL):
    """From now on, the database keeps the table's row count in core_tablerowcount
    (smeportal.core.row_counts): the starting number, and statement triggers after every
    INSERT, DELETE and TRUNCATE. The migration depends on core's 0002_table_row_counts."""

    def __init__(self, table: str):
        # A constant of a migration, written into the SQL as an identifier: only a plain one.
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", table):
            raise ValueError(f"not a plain table name: {table!r}")
        self.table = table
        count_rows = (
            f"INSERT INTO core_tablerowcount (table_name, rows) SELECT %s, count(*) FROM {table} "  # noqa: S608 - a checked identifier
            "ON CONFLICT (table_name) DO UPDATE SET rows = EXCLUDED.rows"
        )
        forwards = [
            (count_rows, [table]),
            f"CREATE TRIGGER {table}_rows_inserted AFTER INSERT ON {table} "
            "REFERENCING NEW TABLE AS changed_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION core_rows_inserted()",
            f"CREATE TRIGGER {table}_rows_deleted AFTER DELETE ON {table} "
            "REFERENCING OLD TABLE AS changed_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION core_rows_deleted()",
            f"CREATE TRIGGER {table}_rows_truncated AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION core_rows_truncated()",
        ]
        backwards = [
            f"DROP TRIGGER IF EXISTS {table}_rows_inserted ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_rows_deleted ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_rows_truncated ON {table}",
            ("DELETE FROM core_tablerowcount WHERE table_name = %s", [table]),
        ]
        super().__init__(forwards, backwards)

    def deconstruct(self):
        return self.__class__.__name__, [self.table], {}


class ShortGinPendingLists(PostgresOnlySQL):
    """A GIN index's pending list, which every search reads to its end until it is merged into
    the index, kept at `kilobytes` (Postgres' default is 4 MB): the writer that fills it merges
    it, in small steps, and a search after an import reads a few pages, not thousands."""

    def __init__(self, indexes: tuple[str, ...], kilobytes: int = 128):
        self.indexes = indexes
        self.kilobytes = kilobytes
        super().__init__(
            [
                f"ALTER INDEX {name} SET (gin_pending_list_limit = {int(kilobytes)})"
                for name in indexes
            ],
            [f"ALTER INDEX {name} RESET (gin_pending_list_limit)" for name in indexes],
        )

    def deconstruct(self):
        return self.__class__.__name__, [self.indexes], {"kilobytes": self.kilobytes}
