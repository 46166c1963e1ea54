from django.db import migrations

DIGEST = "Dagliga påminnelser till personalen"


def create_schedule(apps, schema_editor):
    """The daily reminders at 07:00 Swedish time on workdays (django-celery-beat; administrators
    change or pause it on the e-mail settings page)."""
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    mornings, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="7",
        day_of_week="1-5",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Stockholm",
    )
    PeriodicTask.objects.get_or_create(
        name=DIGEST,
        defaults={
            "task": "reminders.tasks.send_daily_digests",
            "crontab": mornings,
            "enabled": True,
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=DIGEST).delete()


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create_schedule, remove_schedule)]
