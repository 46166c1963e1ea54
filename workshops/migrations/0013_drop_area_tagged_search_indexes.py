"""The area-tagged trigram indexes of the evidence search (migration 0012) give way to each
area's own trigram indexes (interviews migration 0021, interviews.area_search). Postgres only."""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL

TAGGED = {
    f"finding_area_{column}_folded_trgm": (
        "interviews_finding USING gin "
        f"(('#' || area_id::text || '# ' || {column}_folded) gin_trgm_ops) "
        "WITH (gin_pending_list_limit = 128) WHERE NOT is_archived"
    )
    for column in ("text", "quote")
}


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0021_finding_trigram_indexes_of_each_area"),
        ("workshops", "0012_finding_area_search_on_folded_columns"),
    ]

    operations = [
        PostgresOnlySQL(
            [f"DROP INDEX {name}" for name in TAGGED],
            [f"CREATE INDEX {name} ON {target}" for name, target in TAGGED.items()],
        ),
    ]
