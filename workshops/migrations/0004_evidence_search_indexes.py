"""Trigram indexes for the evidence search within one area (interviews/area_search.py), on Postgres.

They index findings (an interviews table) for the workshops' own query, so they live here.
"""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL


# The expressions must be, character for character, the ones interviews.area_search writes.
INDEXES = {
    f"finding_area_{column}_trgm": (
        f"interviews_finding USING gin "
        f"(('#' || area_id::text || '# ' || UPPER({column})) gin_trgm_ops) WHERE NOT is_archived"
    )
    for column in ("text", "quote")
}


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0003_text_limits"),
        # pg_trgm is created there.
        ("interviews", "0006_search"),
    ]

    operations = [
        PostgresOnlySQL(
            [f"CREATE INDEX {name} ON {target}" for name, target in INDEXES.items()],
            [f"DROP INDEX {name}" for name in INDEXES],
        ),
    ]
