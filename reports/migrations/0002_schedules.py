from django.db import migrations

WEEKLY = "Veckorapport: sammanställning av de sex områdena"
SWEEP = "Städa rapportjobb som har stannat"


def create_schedules(apps, schema_editor):
    """The weekly report (Monday 06:00 Swedish time) and the sweep of stuck runs (every 5 min).

    Administrators change or pause them on the report page or in the admin (django-celery-beat).
    """
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    weekly, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="6", day_of_week="1", day_of_month="*", month_of_year="*",
        timezone="Europe/Stockholm",
    )
    PeriodicTask.objects.get_or_create(
        name=WEEKLY, defaults={"task": "reports.tasks.build_scheduled_report",
                               "crontab": weekly, "enabled": True},
    )
    five_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SWEEP, defaults={"task": "reports.tasks.sweep_stale_report_runs",
                              "interval": five_minutes, "enabled": True},
    )


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[WEEKLY, SWEEP]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedules, remove_schedules)]
