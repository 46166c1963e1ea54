"""Drop the trigram indexes on a finding's text and quote (migration 0006).

No Postgres query uses them any more: the interview search reads the stored search document
(0006), and a proposal's evidence search the area-tagged trigram indexes of workshops
migration 0004. The two GIN indexes over 600,000 findings at scale were still updated by every
finding written, an import of 5,000 findings among them. The embedded SQLite default never had
them.
"""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL


UNUSED = {
    "interviews_finding_text_trgm": "interviews_finding USING gin (UPPER(text) gin_trgm_ops)",
    "interviews_finding_quote_trgm": "interviews_finding USING gin (UPPER(quote) gin_trgm_ops)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0009_list_indexes"),
    ]

    operations = [
        PostgresOnlySQL(
            [f"DROP INDEX IF EXISTS {name}" for name in UNUSED],
            [f"CREATE INDEX {name} ON {target}" for name, target in UNUSED.items()],
        ),
    ]
