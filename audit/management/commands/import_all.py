"""Restore a file written by export_all into an empty, freshly migrated database."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from audit.backup import BackupError, backup_import


class Command(BaseCommand):
    help = (
        "Restore a backup written by export_all into an empty, freshly migrated database, "
        "in one transaction. Refuses a database that already holds data."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file written by export_all.")

    def handle(self, *args, path: str, **options):
        started = time.monotonic()
        try:
            counts = backup_import(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(counts.values())} rows of {len(counts)} tables from {path} "
                f"in {seconds:.1f} s; every count matches the file."
            )
        )
