"""Demo: one finished summary report, so the dashboard has figures on the first visit."""

from __future__ import annotations

from .models import ReportRun, SummarySnapshot
from .services import report_run_execute


def seed_report(*, stdout=None) -> None:
    if SummarySnapshot.objects.exists():
        return
    run = report_run_execute(run_id=ReportRun.objects.create().pk)
    if stdout is not None:
        stdout.write(f"Reports: summary report {run.get_status_display().lower()}.")


# Found by `manage.py seed_demo`, which runs the apps' seeders in INSTALLED_APPS order.
DEMO_SEED = seed_report
