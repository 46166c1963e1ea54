from django.db import migrations

ROLE_NAMES = ["Näringslivsutvecklare", "Processledare", "Tillväxtrådet", "Administratör"]


def create_role_groups(apps, schema_editor):
    """Create the four role groups; their model permissions are synced after every migrate."""
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
