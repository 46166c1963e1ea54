"""Build one summary report synchronously and print the workbook's path."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from reports.models import ReportRun
from reports.services import report_run_execute


class Command(BaseCommand):
    help = "Build the summary report of the six priority areas now and print the file's path."

    def handle(self, *args, **options):
        run = ReportRun.objects.create()
        run = report_run_execute(run_id=run.pk)
        if run.status != ReportRun.Status.DONE:
            raise CommandError(run.error_message or "The report failed.")
        self.stdout.write(run.file.path)
