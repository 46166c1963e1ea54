"""Fill the portal with deterministic demo data: users first, then each app's records."""

from __future__ import annotations

import os
from importlib import import_module

from django.apps import apps
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
        """Each app's demo seeder (`DEMO_SEED` in its `demo` module), in INSTALLED_APPS order.

        That order is the chain interview → proposal → action, with the report last, which
        summarises everything seeded before it; found by name so that this app, which every
        other stands on, imports none of them.
        """
        seeders = []
        for app in apps.get_app_configs():
            try:
                module = import_module(f"{app.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app.name}.demo":
                    raise
                continue
            if hasattr(module, "DEMO_SEED"):
                seeders.append(module.DEMO_SEED)
        return seeders
