"""The company name is searched ignoring case and accents (smeportal.core.folding): its
trigram index is on portal_fold(name) instead of UPPER(name), which no search uses any more.
Postgres only; with a short pending list, as the other search indexes (migration 0013)."""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL, ShortGinPendingLists


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_portal_fold"),
        ("interviews", "0013_short_gin_pending_lists"),
    ]

    operations = [
        PostgresOnlySQL(
            [
                "CREATE INDEX interviews_company_name_fold_trgm ON interviews_company "
                "USING gin (portal_fold(name) gin_trgm_ops)",
                "DROP INDEX interviews_company_name_trgm",
            ],
            [
                "CREATE INDEX interviews_company_name_trgm ON interviews_company "
                "USING gin (UPPER(name::text) gin_trgm_ops)",
                "DROP INDEX interviews_company_name_fold_trgm",
            ],
        ),
        ShortGinPendingLists(("interviews_company_name_fold_trgm",)),
    ]
