"""Fill the database with the scale data set of issue 12 (100,000 interviews by default)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from smeportal.accounts.demo import DEMO_USERS, demo_users_ensure
from smeportal.core.scale import REFERENCE_INTERVIEWS, ScaleContext, scale_modules


class Command(BaseCommand):
    help = (
        "Add the scale data set: per 100,000 interviews 20,000 companies, 600,000 findings, "
        "5,000 follow-ups, 200 workshops, 5,000 proposals, 500 activities, 50 indicators, with "
        "history. Deterministic; refuses a database holding more than the demo data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interviews",
            type=int,
            default=REFERENCE_INTERVIEWS,
            help="Number of interviews; everything else scales with it (default 100,000).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the data set even when the database already holds more than the demo.",
        )

    def handle(self, *args, **options):
        size = options["interviews"]
        if size < 1:
            raise CommandError("--interviews must be at least 1.")
        modules = scale_modules()
        if not options["force"]:
            # Each app says whether its tables hold more than the demo data (a real portal, or
            # a scale set already written); adding 1.5 million rows there would be a mistake.
            reasons = [
                reason
                for module in modules
                if (guard := getattr(module, "SCALE_GUARD", None)) and (reason := guard())
            ]
            if reasons:
                raise CommandError(
                    "This database already holds more than the demo data: "
                    + "; ".join(reasons)
                    + ". Use an empty (or demo) database, or --force to add to it anyway."
                )
        ctx = ScaleContext(interviews=size, today=timezone.localdate(), stdout=self.stdout)
        # The bench logs in as each role, so the demo users must exist (password unchanged).
        users = demo_users_ensure(password=os.environ.get("DEMO_PASSWORD") or None)
        ctx.say(f"Scale data set for {size:,} interviews; demo users: {', '.join(DEMO_USERS)}.")
        if users.password_was_generated:
            self.stdout.write(
                self.style.WARNING(f"Generated demo password (shown once): {users.password}")
            )
        # One transaction: a run that fails half-way leaves nothing behind to refuse the next.
        with transaction.atomic():
            for module in modules:
                module.SCALE_SEED(ctx)
        if connection.vendor == "postgresql":
            # Fresh statistics for every table (without them the planner takes the freshly
            # loaded tables for empty and reads them whole) and a visibility map (without it
            # an index-only scan, such as a list's COUNT, visits every row).
            # VACUUM cannot run inside a transaction (a test's, or a caller's atomic block):
            # there the statistics alone are refreshed.
            vacuum = not connection.in_atomic_block
            ctx.say(
                "Vacuuming and analysing the tables ..." if vacuum else "Analysing the tables ..."
            )
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        total = sum(ctx.counts.values())
        ctx.say(f"Done: {total:,} rows.")
        for label, count in sorted(ctx.counts.items()):
            self.stdout.write(f"  {label:<45} {count:>10,}")
        self.stdout.write(self.style.SUCCESS("The scale data set is in place."))
