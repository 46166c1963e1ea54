"""Each priority area gets trigram indexes of its own on the findings' stored folded text and
quote (interviews.area_search): partial indexes, one area each, so a search within an area reads
only that area's entries. Built here for the areas there are; interviews.signals builds them for
each new area. They replace the area-tagged indexes of workshops migration 0012, which that
app's migration 0013 drops. Postgres only."""

from django.db import migrations

from interviews.area_search import area_indexes_create, area_indexes_drop


def _each_area(action):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        areas = apps.get_model("areas", "PriorityArea").objects.using(schema_editor.connection.alias)
        for area_id in areas.values_list("pk", flat=True):
            action(area_id, using=schema_editor.connection)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0003_text_limits"),
        ("interviews", "0020_finding_folded_columns"),
    ]

    operations = [
        migrations.RunPython(_each_area(area_indexes_create), _each_area(area_indexes_drop)),
    ]
