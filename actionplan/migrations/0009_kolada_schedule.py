from django.db import migrations

MONTHLY = "Hämta mätetal från Kolada (varje månad)"


def create_kolada_schedule(apps, schema_editor):
    """Fetch every Kolada indicator's values on the 3rd of each month at 05:30 Swedish time.

    Kolada publishes yearly figures, a few at a time through the year; once a month finds them
    soon enough. Administrators can change or pause it in the admin (django-celery-beat).
    """
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    monthly, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="5",
        day_of_week="*",
        day_of_month="3",
        month_of_year="*",
        timezone="Europe/Stockholm",
    )
    PeriodicTask.objects.get_or_create(
        name=MONTHLY,
        defaults={
            "task": "actionplan.tasks.fetch_kolada_indicators",
            "crontab": monthly,
            "enabled": True,
        },
    )


def remove_kolada_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=MONTHLY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0008_kolada"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_kolada_schedule, remove_kolada_schedule)]
