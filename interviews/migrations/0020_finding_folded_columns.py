"""A finding's text and quote folded (smeportal.core.folding), stored beside them, on Postgres
only.

The evidence search of a proposal matches `'#<area># ' || portal_fold(text)` against the
area-tagged trigram indexes (interviews.area_search). Trigrams only preselect: every row the
index returns is checked again, and with the expression that meant folding its text (unaccent
and lower case) once more. A common word absent from the area, whose trigrams still meet in
7,000 findings of it at scale, cost 14,000 such calls a search (20-30 ms). The columns
`text_folded` and `quote_folded` hold the folded text, computed by Postgres when a row is
written (generated columns, so nothing else keeps them); the indexes and the search read them
instead (workshops migration 0012). Nothing changes on SQLite, which folds in the query.
"""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL

COLUMNS = ("text", "quote")

# One statement, so the table is rewritten once for both columns.
ADD = "ALTER TABLE interviews_finding " + ", ".join(
    f"ADD COLUMN {column}_folded text GENERATED ALWAYS AS (portal_fold({column})) STORED"
    for column in COLUMNS
)
DROP = "ALTER TABLE interviews_finding " + ", ".join(
    f"DROP COLUMN {column}_folded" for column in COLUMNS
)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_portal_fold"),
        ("interviews", "0019_company_last_interview"),
    ]

    operations = [PostgresOnlySQL([ADD], [DROP])]
