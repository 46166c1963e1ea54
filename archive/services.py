"""Writes of the archive app: the plan's rules, and producing and verifying delivery packages."""

from __future__ import annotations

import hashlib
import logging
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from smeportal.accounts.roles import has_capability
from smeportal.core.queueing import enqueue_fail_fast

from .contents import package_contents
from .mets import PackageHeader
from .models import DeliveredRecord, DeliveryPackage, InformationRule
from .package import PackageDocument, PackageWriter, Verification, package_verify_file

logger = logging.getLogger(__name__)

# Delivered records are written in batches of this many while a table is streamed.
RECORD_BATCH = 1000


def information_rule_save(*, rule: InformationRule, user) -> InformationRule:
    """Validate and save a rule of the plan (its history records who changed it)."""
    if not has_capability(user, "archive.plan"):
        raise PermissionDenied
    rule.full_clean()
    rule._history_user = user
    rule.save()
    return rule


# --- Delivery packages -----------------------------------------------------------------------


def package_description(package: DeliveryPackage) -> str:
    if package.kind == DeliveryPackage.Kind.INTERVIEW_YEAR:
        return _("Interviews of %(year)s") % {"year": package.year}
    return _("Dialogue round: %(workshop)s (%(date)s)") % {
        "workshop": package.workshop.title,
        "date": package.workshop.date.isoformat(),
    }


def _enqueue(package_id: int) -> None:
    from .tasks import produce_delivery_package

    if not enqueue_fail_fast(produce_delivery_package, args=[package_id]):
        DeliveryPackage.objects.filter(pk=package_id).update(
            status=DeliveryPackage.Status.FAILED,
            error_message=_(
                "The package could not be started because the job queue (Redis) cannot be "
                "reached. Nothing else is affected; try again in a while."
            ),
        )


@transaction.atomic
def delivery_package_request(
    *, user, kind: str, year: int | None = None, workshop=None
) -> DeliveryPackage:
    """Order a package; a worker produces it once the order is committed."""
    if user is not None and not has_capability(user, "archive.deliver"):
        raise PermissionDenied
    package = DeliveryPackage(kind=kind, year=year, workshop=workshop, produced_by=user)
    package.full_clean()
    package.description = package_description(package)
    package._history_user = user
    package.save()
    transaction.on_commit(lambda: _enqueue(package.pk))
    return package


def _header(package: DeliveryPackage) -> PackageHeader:
    return PackageHeader(
        object_id=f"UUID:{uuid.uuid4()}",
        label=package.description,
        created=timezone.now(),
        archivist=settings.ARCHIVE_ARCHIVIST,
        archivist_id=settings.ARCHIVE_ARCHIVIST_ID,
        creator=settings.ARCHIVE_CREATOR,
        software=_("Företagsdialog (the SME-dialog portal)"),
        software_version=settings.VERSION,
        submission_agreement=settings.ARCHIVE_SUBMISSION_AGREEMENT,
    )


def _package_text(package: DeliveryPackage, tables: list[tuple[str, str, int]], documents) -> bytes:
    lines = [
        package.description,
        "",
        f"Arkivbildare: {settings.ARCHIVE_ARCHIVIST}",
        f"Leveransöverenskommelse: {settings.ARCHIVE_SUBMISSION_AGREEMENT}",
        f"Skapat: {timezone.localtime():%Y-%m-%d %H:%M}",
        "",
        "Poster (content/, CSV och JSON; scheman i schema/):",
        *(f"- {name}: {title}, {count} st." for name, title, count in tables),
        "",
        "Dokument (documents/, PDF/A-2a):",
        *(f"- {document.path}: {document.title}" for document in documents),
    ]
    if not documents:
        lines.append(
            "- Inga: ingen färdig sammanställning gjordes efter periodens början, "
            "eller så togs dess filer bort genom ett gallringsbeslut."
        )
    lines += [
        "",
        "Sammanställningarna ritas på nytt som PDF/A-2a ur rapportens sparade siffror; "
        "portalens egen PDF av rapporten är PDF/UA-1.",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def _write_package(package: DeliveryPackage, handle, delivered) -> int:
    """Write the ZIP to `handle`; the (model label, id) of every record it holds go to the
    text file `delivered`, one a line, to be recorded once the package is stored."""

    def on_record(label: str, pk: int) -> None:
        delivered.write(f"{label}\t{pk}\n")

    writer = PackageWriter(handle, on_record=on_record)
    tables, documents = [], []
    try:
        for content in package_contents(package):
            if isinstance(content, PackageDocument):
                writer.add_document(content)
                documents.append(content)
            else:
                tables.append((content.name, content.title, writer.add_table(content)))
            # Outside any transaction, so that the package's page shows it.
            DeliveryPackage.objects.filter(pk=package.pk).update(
                progress=min(90, 10 + 8 * (len(tables) + len(documents)))
            )
        writer.add_bytes("package.txt", "text/plain", _package_text(package, tables, documents))
        writer.close(_header(package))
    except BaseException:
        writer.discard()
        raise
    return writer.record_count


def _record_delivered(package: DeliveryPackage, delivered) -> None:
    """Mark the package's records as delivered, in batches (bounded memory)."""
    delivered.seek(0)
    batch: list[DeliveredRecord] = []
    for line in delivered:
        label, pk = line.rstrip("\n").split("\t")
        batch.append(DeliveredRecord(package=package, model_label=label, object_id=int(pk)))
        if len(batch) >= RECORD_BATCH:
            DeliveredRecord.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    DeliveredRecord.objects.bulk_create(batch, ignore_conflicts=True)


def delivery_package_produce(*, package_id: int) -> DeliveryPackage:
    """Produce an ordered package: write the ZIP, store it, mark the records delivered.

    Safe to run twice: a package that is done or failed is left as it is. The ZIP is written
    to a temporary file first (progress shows on the package's page); storing it, marking its
    records delivered and marking it done happen in one transaction, so a failure leaves no
    delivered records and no stored file.
    """
    with transaction.atomic():
        package = DeliveryPackage.objects.select_for_update().filter(pk=package_id).first()
        if package is None or package.status != DeliveryPackage.Status.QUEUED:
            return package
        package.status = DeliveryPackage.Status.RUNNING
        package.progress = 5
        package.started_at = timezone.now()
        package.save(update_fields=["status", "progress", "started_at"])
    stored = ""
    try:
        with (
            tempfile.TemporaryFile() as handle,
            tempfile.TemporaryFile("w+", encoding="utf-8") as delivered,
        ):
            package = DeliveryPackage.objects.select_related("workshop").get(pk=package_id)
            record_count = _write_package(package, handle, delivered)
            handle.seek(0)
            digest = hashlib.sha256()
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
            handle.seek(0)
            with transaction.atomic():
                still_running = DeliveryPackage.objects.select_for_update().filter(
                    pk=package_id, status=DeliveryPackage.Status.RUNNING
                )
                if not still_running.exists():  # failed by the sweep meanwhile: keep that
                    return DeliveryPackage.objects.get(pk=package_id)
                _record_delivered(package, delivered)
                now = timezone.now()
                package.file.save(
                    f"leverans-{package.pk}-{now:%Y%m%d-%H%M%S}.zip", File(handle), save=False
                )
                stored = package.file.name
                package.size = package.file.size
                package.sha256 = digest.hexdigest()
                package.record_count = record_count
                package.produced_at = now
                package.status = DeliveryPackage.Status.DONE
                package.progress = 100
                package._history_user = package.produced_by
                package.save()
    except Exception as error:  # the worker must record any failure where the user sees it
        logger.exception("Delivery package %s failed", package_id)
        if stored:
            package.file.storage.delete(stored)
        DeliveryPackage.objects.filter(pk=package_id).update(
            status=DeliveryPackage.Status.FAILED,
            file="",
            error_message=_("The package could not be produced: %(error)s")
            % {"error": type(error).__name__},
        )
    return DeliveryPackage.objects.get(pk=package_id)


# A running package is failed once its task's hard time limit (archive.tasks) has certainly
# passed; a queued one once no worker has taken it for an hour.
RUNNING_TIMEOUT = timedelta(minutes=40)
QUEUED_TIMEOUT = timedelta(hours=1)


def delivery_packages_sweep(*, now=None) -> int:
    """Fail the packages that cannot finish any more (their worker stopped, or none took them),
    so that their page says so instead of "being produced" for ever, and end verifications that
    stopped the same way. Returns how many."""
    now = now or timezone.now()
    status = DeliveryPackage.Status
    swept = 0
    stuck = [
        (
            Q(status=status.RUNNING, started_at__lt=now - RUNNING_TIMEOUT),
            _(
                "The package stopped without finishing (the time limit was exceeded or the "
                "worker stopped). Order a new package."
            ),
        ),
        (
            Q(status=status.QUEUED, requested_at__lt=now - QUEUED_TIMEOUT),
            _(
                "No worker took the package within an hour. Order a new package; if it happens "
                "again, contact the administrator."
            ),
        ),
    ]
    with transaction.atomic():
        for condition, message in stuck:
            for package in DeliveryPackage.objects.select_for_update(skip_locked=True).filter(
                condition
            ):
                package.status = status.FAILED
                package.error_message = message
                package.save(update_fields=["status", "error_message"])
                swept += 1
        # A verification whose worker stopped (or that none took) is no longer "under way":
        # the package is as it was, and the button is offered again.
        for package in DeliveryPackage.objects.select_for_update(skip_locked=True).filter(
            verification=DeliveryPackage.Verification.RUNNING,
            verification_requested_at__lt=now - RUNNING_TIMEOUT,
        ):
            package.verification = DeliveryPackage.Verification.NOT_VERIFIED
            package.verification_report = _(
                "The verification stopped without finishing (the time limit was exceeded or "
                "the worker stopped). Start it again."
            )
            package.save(update_fields=["verification", "verification_report"])
            swept += 1
    return swept


def _enqueue_verification(package_id: int) -> None:
    from .tasks import verify_delivery_package

    if not enqueue_fail_fast(verify_delivery_package, args=[package_id]):
        DeliveryPackage.objects.filter(
            pk=package_id, verification=DeliveryPackage.Verification.RUNNING
        ).update(
            verification=DeliveryPackage.Verification.NOT_VERIFIED,
            verification_report=_(
                "The verification could not be started because the job queue (Redis) cannot "
                "be reached. Try again in a while."
            ),
        )


@transaction.atomic
def delivery_package_verification_request(*, package: DeliveryPackage, user) -> DeliveryPackage:
    """Start checking a finished package's file in the background (a worker reads and hashes
    every byte of it). A check already under way is not started twice."""
    if user is not None and not has_capability(user, "archive.deliver"):
        raise PermissionDenied
    package = DeliveryPackage.objects.select_for_update().get(pk=package.pk)
    if package.status != DeliveryPackage.Status.DONE:
        raise ValidationError(_("Only a finished package can be verified."))
    if package.is_being_verified:
        return package
    package.verification = DeliveryPackage.Verification.RUNNING
    package.verification_requested_at = timezone.now()
    package.verification_report = ""
    package._history_user = user
    package.save(update_fields=["verification", "verification_requested_at", "verification_report"])
    transaction.on_commit(lambda: _enqueue_verification(package.pk))
    return package


def delivery_package_verify(*, package_id: int) -> DeliveryPackage | None:
    """Check a produced package's file and record when and with what result (None when the
    package is gone)."""
    package = DeliveryPackage.objects.filter(pk=package_id).first()
    if package is None:
        return None
    if not package.file:
        result = Verification(problems=[_("The package has no file.")])
    else:
        try:
            with package.file.open("rb") as handle:
                result = package_verify_file(handle)
        except FileNotFoundError:
            result = Verification(problems=[_("The package's file is missing from the server.")])
    package.verified_at = timezone.now()
    package.verification = (
        DeliveryPackage.Verification.PASSED
        if result.passed
        else DeliveryPackage.Verification.FAILED
    )
    package.verification_report = result.report()
    package.save(update_fields=["verified_at", "verification", "verification_report"])
    return package


def package_file_path(package: DeliveryPackage) -> Path:
    return Path(package.file.path)
