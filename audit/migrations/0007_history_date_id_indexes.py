"""Indexes that hand the audit trail's pages over in order from the index alone.

Each page of the trail (audit.selectors.audit_trail_keys) takes from every history table its
records newest first by (history_date, history_id), up to the page's end: 10,000 per table for
the last page. With only the date indexed (or the user and the date, 0005), Postgres fetched each
record's row for its id and sorted the records of one date by it: 15 to 45 ms for the last page
at 100,000 interviews, the whole page's budget. With the id in the index it reads them in order
from the index alone (5 to 10 ms). (history_user_id, history_date, history_id) replaces 0005's
(history_user_id, history_date), which it serves as well.
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


def _operations(table: str) -> list:
    return [
        migrations.RunSQL(
            sql=f"CREATE INDEX {table}_date_id ON {table} (history_date, history_id)",
            reverse_sql=f"DROP INDEX {table}_date_id",
        ),
        migrations.RunSQL(
            sql=(
                f"CREATE INDEX {table}_user_date_id "
                f"ON {table} (history_user_id, history_date, history_id)"
            ),
            reverse_sql=f"DROP INDEX {table}_user_date_id",
        ),
        migrations.RunSQL(
            # IF EXISTS: on SQLite, a later migration that rebuilt the table dropped it.
            sql=f"DROP INDEX IF EXISTS {table}_user_date",
            reverse_sql=f"CREATE INDEX {table}_user_date ON {table} (history_user_id, history_date)",
        ),
    ]


class Migration(migrations.Migration):
    # After the apps' migrations so far: on SQLite, altering a table rebuilds it without the
    # indexes made by SQL.
    dependencies = [
        ("audit", "0006_company_name_order_index"),
        ("interviews", "0010_drop_unused_finding_trigram_indexes"),
        ("workshops", "0005_proposal_company_count"),
        ("actionplan", "0004_text_limits"),
    ]

    operations = [operation for table in TABLES for operation in _operations(table)]
