"""Indexes on the latest interview of each contact and company (migrations 0018 and 0019), on
Postgres only: the retention page counts those not interviewed since a cutoff, which read
every contact (5 ms at 29,000) and every company (the table is wide: up to 16 ms at 20,000);
through the index it reads the few thousand that match (1.4 ms)."""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL

TABLES = ("interviews_contact", "interviews_company")


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0021_finding_trigram_indexes_of_each_area"),
    ]

    operations = [
        PostgresOnlySQL(
            [f"CREATE INDEX {table}_last_interview ON {table} (last_interview_on)" for table in TABLES],
            [f"DROP INDEX {table}_last_interview" for table in TABLES],
        ),
    ]
