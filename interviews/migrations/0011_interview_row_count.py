"""The interview list's total without counting 100,000 interviews on every view: the database
keeps the number of interviews (smeportal.core.row_counts). Postgres only."""

from django.db import migrations

from smeportal.core.migration_operations import CountRowsOf


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_table_row_counts"),
        ("interviews", "0010_drop_unused_finding_trigram_indexes"),
    ]

    operations = [CountRowsOf("interviews_interview")]
