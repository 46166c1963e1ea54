"""Indexes for the audit trail filtered by user.

The trail lists the history records of nine models newest first (audit.selectors). Filtered by a
user who made 200,000 changes, Postgres fetched all of them from each table's history_user index
and sorted them to show 50 (0.8 s at 100,000 interviews). With (history_user_id, history_date)
each table's records of a user come in date order and the page is a merge of the newest ones.
The history tables belong to the apps whose models they record; the audit app, which is the one
reading them this way, adds the indexes.
"""

from django.db import migrations

TABLES = (
    "interviews_historicalcompany",
    "interviews_historicalcontact",
    "interviews_historicalinterview",
    "interviews_historicalfinding",
    "interviews_historicalfollowup",
    "workshops_historicalproposal",
    "actionplan_historicalactivity",
    "actionplan_historicalindicator",
    "actionplan_historicalmeasurement",
)


def _name(table: str) -> str:
    return f"{table}_user_date"


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_file_removed_label"),
        ("interviews", "0001_initial"),
        ("workshops", "0001_initial"),
        ("actionplan", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX {_name(table)} ON {table} (history_user_id, history_date)",
            reverse_sql=f"DROP INDEX {_name(table)}",
        )
        for table in TABLES
    ]
