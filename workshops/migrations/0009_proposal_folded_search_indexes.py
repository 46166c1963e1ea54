"""Trigram indexes on a proposal's folded title and description, for the portal's one search
box (search.selectors: case and accents ignored, smeportal.core.folding). Postgres only."""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL, ShortGinPendingLists

INDEXES = {
    "workshops_proposal_title_fold_trgm": "portal_fold(title)",
    "workshops_proposal_description_fold_trgm": "portal_fold(description)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_portal_fold"),
        ("workshops", "0008_proposal_merge"),
    ]

    operations = [
        PostgresOnlySQL(
            [
                f"CREATE INDEX {name} ON workshops_proposal USING gin ({expression} gin_trgm_ops)"
                for name, expression in INDEXES.items()
            ],
            [f"DROP INDEX {name}" for name in INDEXES],
        ),
        ShortGinPendingLists(tuple(INDEXES)),
    ]
