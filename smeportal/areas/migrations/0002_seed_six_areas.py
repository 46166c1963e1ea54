from django.db import migrations

from smeportal.areas.seed import SIX_AREAS, areas_seed


def seed_areas(apps, schema_editor):
    areas_seed(apps.get_model("areas", "PriorityArea"))


def unseed_areas(apps, schema_editor):
    apps.get_model("areas", "PriorityArea").objects.filter(
        slug__in=[slug for slug, *_rest in SIX_AREAS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(seed_areas, unseed_areas)]
