"""An index for the retention page's lists ordered by company name.

The contacts a retention decision may cover are listed by company name, then name (audit.
selectors.retention_candidates), 200 at a time; sole traders and other companies by name. The
only index on the name was the Swedish-collated one the company list sorts by, which these
orders (the column's own collation) cannot use: Postgres joined and sorted all 29,000 contacts
to show 200 (80 ms at 100,000 interviews). With (name, id) it walks companies in name order and
stops after the page (1 ms). As with 0005, the audit app, which reads the table this way, adds it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_history_user_date_indexes"),
        ("interviews", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql="CREATE INDEX interviews_company_name_id ON interviews_company (name, id)",
            reverse_sql="DROP INDEX interviews_company_name_id",
        )
    ]
