"""An index for the retention page's sole traders, listed and counted by company name.

Sole traders (their name and number are personal data) are about one company in twelve.
Without an index of their own Postgres read all 20,000 companies to find them, for the page
(the first 50 by name) and for its count (12 ms at 100,000 interviews). The partial index
holds only theirs, in the list's order. As with 0006, the audit app, which reads the table
this way, adds it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0010_retention_of_api_calls"),
        ("interviews", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX interviews_company_sole_trader_name ON interviews_company "
                "(name, id) WHERE is_personal_data"
            ),
            reverse_sql="DROP INDEX interviews_company_sole_trader_name",
        )
    ]
