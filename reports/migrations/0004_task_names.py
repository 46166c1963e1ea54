"""The report tasks moved with the app from smeportal.reports to reports: rename the schedules.

Celery names a task after its module, and django-celery-beat keeps that name in each periodic
task; without this, beat would keep sending the old names, which no worker knows any more.
"""

from django.db import migrations

OLD_PREFIX = "smeportal.reports.tasks."
NEW_PREFIX = "reports.tasks."


def rename(apps, schema_editor, old=OLD_PREFIX, new=NEW_PREFIX):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for task in PeriodicTask.objects.filter(task__startswith=old):
        task.task = new + task.task[len(old) :]
        task.save(update_fields=["task"])


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEW_PREFIX, new=OLD_PREFIX)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_run_removed_by_retention"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
