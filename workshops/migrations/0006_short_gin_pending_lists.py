"""Short pending lists for the evidence search's trigram indexes (see interviews 0013): after
an import of findings a search reads no long list of pending entries. Postgres only."""

from django.db import migrations

from smeportal.core.migration_operations import ShortGinPendingLists

INDEXES = ("finding_area_text_trgm", "finding_area_quote_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0005_proposal_company_count"),
    ]

    operations = [ShortGinPendingLists(INDEXES)]
