"""Fill the portal with deterministic demo data: users first, then each app's records."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand

from smeportal.accounts.demo import DEMO_USERS, demo_users_ensure


class Command(BaseCommand):
    help = "Create demo users (one per role) and demo data. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the demo users a new password (DEMO_PASSWORD or a generated one).",
        )

    def handle(self, *args, **options):
        result = demo_users_ensure(
            password=os.environ.get("DEMO_PASSWORD") or None,
            reset_passwords=options["reset_passwords"],
        )
        for seeder in self.seeders():
            seeder(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self.stdout.write("Demo users: " + ", ".join(DEMO_USERS))
        if result.password_was_generated:
            self.stdout.write(
                self.style.WARNING(f"Generated demo password (shown once): {result.password}")
            )
        elif result.password:
            self.stdout.write("Demo password: the value of DEMO_PASSWORD.")
        else:
            self.stdout.write(
                "Demo password: as printed when the users were created; "
                "run `manage.py seed_demo --reset-passwords` for a new one."
            )

    def seeders(self):
        """Each app's demo seeder, in the order of the chain interview → action."""
        from actionplan.demo import seed_actionplan
        from interviews.demo import seed_interviews
        from smeportal.reports.demo import seed_report
        from workshops.demo import seed_workshops

        # The report last: it summarises everything seeded before it.
        return [seed_interviews, seed_workshops, seed_actionplan, seed_report]
