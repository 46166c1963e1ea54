"""A finding's text and quote are searched within their area ignoring case and accents, as
everywhere else (smeportal.core.folding): the area-tagged trigram indexes (migration 0004) are
rebuilt on portal_fold(<column>) instead of UPPER(<column>), which no search uses any more.
Postgres only; with a short pending list, as before (migration 0006)."""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL, ShortGinPendingLists

COLUMNS = ("text", "quote")


def _index(column: str, function: str) -> str:
    # Character for character the expression interviews.area_search writes.
    return (
        "interviews_finding USING gin "
        f"(('#' || area_id::text || '# ' || {function}({column})) gin_trgm_ops) "
        "WHERE NOT is_archived"
    )


FOLDED = {f"finding_area_{column}_fold_trgm": _index(column, "portal_fold") for column in COLUMNS}
UPPER = {f"finding_area_{column}_trgm": _index(column, "UPPER") for column in COLUMNS}


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_portal_fold"),
        ("workshops", "0009_proposal_folded_search_indexes"),
    ]

    operations = [
        PostgresOnlySQL(
            [f"CREATE INDEX {name} ON {target}" for name, target in FOLDED.items()]
            + [f"DROP INDEX {name}" for name in UPPER],
            [f"CREATE INDEX {name} ON {target}" for name, target in UPPER.items()]
            + [f"DROP INDEX {name}" for name in FOLDED],
        ),
        ShortGinPendingLists(tuple(FOLDED)),
    ]
