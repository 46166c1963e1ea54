"""Run the summary report's floor once and print its figures as JSON (see reports/floor.py)."""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand

from reports.floor import report_floor


class Command(BaseCommand):
    help = (
        "The least this machine can do for the summary report: the same aggregates by plain "
        "SQL GROUP BY and the same cells written by openpyxl in write-only mode. Prints seconds, "
        "rows and cells as JSON; run it in a subprocess to read its peak memory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=date.fromisoformat, default=None)
        parser.add_argument("--to", dest="end", type=date.fromisoformat, default=None)

    def handle(self, *args, **options):
        figures = report_floor(period_start=options["start"], period_end=options["end"])
        self.stdout.write(json.dumps(figures))
