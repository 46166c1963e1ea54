"""portal_fold(text): lower case without diacritics, for search that ignores both
(smeportal.core.folding). Immutable, so that indexes can be built on it; Postgres only (SQLite
gets the Python function on every connection)."""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL

FOLD = """
CREATE OR REPLACE FUNCTION portal_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$
"""


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_table_row_counts"),
    ]

    operations = [
        PostgresOnlySQL(
            ["CREATE EXTENSION IF NOT EXISTS unaccent", FOLD],
            ["DROP FUNCTION portal_fold(text)"],
        ),
    ]
