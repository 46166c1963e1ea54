"""Produce or verify a delivery package for the e-archive from the command line.

    manage.py archive_package create --year 2025
    manage.py archive_package create --workshop 3
    manage.py archive_package verify 12                  # a package's id
    manage.py archive_package verify /path/to/package.zip

`create` produces the package here and now (not through the job queue) and prints its id and
file; `verify` checks a package (every file listed in mets.xml and no other, sizes and SHA-256
checksums, mets.xml valid METS) and exits with status 1 when it fails.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from archive.models import DeliveryPackage
from archive.package import package_verify_file
from archive.services import (
    delivery_package_produce,
    delivery_package_verify,
    package_description,
)
from workshops.models import Workshop


class Command(BaseCommand):
    help = "Produce (create) or check (verify) a delivery package for the e-archive (FGS)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser("create", help="Produce a package now.")
        what = create.add_mutually_exclusive_group(required=True)
        what.add_argument("--year", type=int, help="A closed year's interviews.")
        what.add_argument("--workshop", type=int, help="A dialogue round: the workshop's id.")
        verify = commands.add_parser("verify", help="Check a package.")
        verify.add_argument("package", help="A package's id, or the path of a ZIP file.")

    def handle(self, *args, **options):
        if options["action"] == "create":
            return self.create(year=options["year"], workshop_id=options["workshop"])
        return self.verify(options["package"])

    def create(self, *, year: int | None, workshop_id: int | None) -> None:
        workshop = None
        if workshop_id is not None:
            workshop = Workshop.objects.filter(pk=workshop_id).first()
            if workshop is None:
                raise CommandError(f"No workshop with id {workshop_id}.")
        kind = DeliveryPackage.Kind.INTERVIEW_YEAR if year else DeliveryPackage.Kind.DIALOGUE_ROUND
        package = DeliveryPackage(kind=kind, year=year, workshop=workshop)
        try:
            package.full_clean()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        with transaction.atomic():
            package.description = package_description(package)
            package.save()
        package = delivery_package_produce(package_id=package.pk)
        if package.status != DeliveryPackage.Status.DONE:
            raise CommandError(f"Package {package.pk} failed: {package.error_message}")
        self.stdout.write(
            f"Package {package.pk}: {package.record_count} records, {package.size} bytes, "
            f"SHA-256 {package.sha256}\n{package.file.path}"
        )

    def verify(self, target: str) -> None:
        if target.isdigit():
            package = delivery_package_verify(package_id=int(target))
            if package is None:
                raise CommandError(f"No package with id {target}.")
            report = package.verification_report
            passed = package.verification == DeliveryPackage.Verification.PASSED
        else:
            path = Path(target)
            if not path.is_file():
                raise CommandError(f"No such file: {target}")
            with path.open("rb") as handle:
                result = package_verify_file(handle)
            report, passed = result.report(), result.passed
        self.stdout.write(report)
        if not passed:
            raise CommandError("The package failed verification.")
