"""Write every record of the portal to one JSON file (see audit.backup)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from audit.backup import backup_export


class Command(BaseCommand):
    help = "Write every record (users, domain data, history, audit) to one JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to write, e.g. backup.json.")

    def handle(self, *args, path: str, **options):
        started = time.monotonic()
        counts = backup_export(path)
        seconds = time.monotonic() - started
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {total} rows of {len(counts)} tables to {path} in {seconds:.1f} s."
            )
        )
