"""Short pending lists for the evidence search's trigram indexes (see interviews 0013): after
an import of findings a search reads no long list of pending entries. Postgres only."""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL

INDEXES = ("finding_area_text_trgm", "finding_area_quote_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0005_proposal_company_count"),
    ]

    operations = [
        PostgresOnlySQL(
            [f"ALTER INDEX {name} SET (gin_pending_list_limit = 128)" for name in INDEXES],
            [f"ALTER INDEX {name} RESET (gin_pending_list_limit)" for name in INDEXES],
        ),
    ]
