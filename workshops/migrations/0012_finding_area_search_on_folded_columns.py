"""The area-tagged trigram indexes of the evidence search (migration 0010) are rebuilt on the
stored folded columns (interviews migration 0020) instead of portal_fold(<column>): a row the
index preselects is checked against the stored column, without folding its text again.
Postgres only; with a short pending list, as before (migration 0006)."""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL, ShortGinPendingLists

COLUMNS = ("text", "quote")


def _index(expression: str) -> str:
    # Character for character the expression interviews.area_search writes.
    return (
        "interviews_finding USING gin "
        f"(('#' || area_id::text || '# ' || {expression}) gin_trgm_ops) "
        "WHERE NOT is_archived"
    )


STORED = {f"finding_area_{column}_folded_trgm": _index(f"{column}_folded") for column in COLUMNS}
COMPUTED = {
    f"finding_area_{column}_fold_trgm": _index(f"portal_fold({column})") for column in COLUMNS
}


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0020_finding_folded_columns"),
        ("workshops", "0011_public_marks"),
    ]

    operations = [
        PostgresOnlySQL(
            [f"CREATE INDEX {name} ON {target}" for name, target in STORED.items()]
            + [f"DROP INDEX {name}" for name in COMPUTED],
            [f"CREATE INDEX {name} ON {target}" for name, target in COMPUTED.items()]
            + [f"DROP INDEX {name}" for name in STORED],
        ),
        ShortGinPendingLists(tuple(STORED)),
    ]
