"""Demo: two requests for public documents on a company's interviews. One came in a week ago
and is still open, past its due date; one was decided last month with a partial release (the
confidential finding and the contact persons masked) and its decision."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from interviews.models import Company, Finding

from .models import CoveredItem, RecordRequest, SecrecyGround
from .services import (
    covered_item_add,
    record_request_create,
    released_document_build,
    request_decide,
    request_release,
)

DEMO_HANDLER = "utvecklare"


def _company():
    """A company with a confidential finding (the default mask shows), else any with one."""
    confidential = Finding.objects.filter(is_confidential=True).order_by("pk").first()
    if confidential is not None:
        return confidential.interview.company
    return Company.objects.filter(interviews__isnull=False).order_by("pk").first()


def _ensure_grounds() -> None:
    """The grounds the data migration seeds, again if a test database was flushed since."""
    from importlib import import_module

    from django.apps import apps

    import_module("records.migrations.0002_secrecy_grounds").seed(apps, None)


def seed_records(*, stdout=None) -> None:
    if RecordRequest.objects.exists():
        return
    _ensure_grounds()
    handler = get_user_model().objects.filter(username=DEMO_HANDLER).first()
    company = _company()
    if handler is None or company is None:
        return
    today = timezone.localdate()
    label = f"Alla intervjuer med {company.name}"

    decided = record_request_create(
        received_on=today - timedelta(days=35),
        channel=RecordRequest.Channel.EMAIL,
        description=f"Jag vill ta del av era anteckningar från intervjuerna med {company.name}.",
        requester_contact="journalist@example.invalid",
        handler=handler,
        user=handler,
    )
    covered_item_add(
        record_request=decided,
        kind=CoveredItem.Kind.COMPANY_INTERVIEWS,
        target_id=company.pk,
        label=label,
        user=handler,
    )
    # Built here, not queued: the demo is seeded before any worker runs.
    for document in request_release(record_request=decided, user=handler, with_workbook=False):
        released_document_build(document_id=document.pk)
    request_decide(
        record_request=decided,
        outcome=RecordRequest.Outcome.PARTIAL,
        grounds=list(
            SecrecyGround.objects.filter(reference__in=["31 kap. 16 § OSL", "21 kap. 7 § OSL"])
        ),
        reasoning="Uppgifter om företagets affärsförhållanden och om kontaktpersonerna maskeras.",
        user=handler,
        today=today - timedelta(days=33),
    )

    open_request = record_request_create(
        received_on=today - timedelta(days=7),
        channel=RecordRequest.Channel.PHONE,
        description=f"Alla handlingar om {company.name} från företagsdialogen.",
        handler=handler,
        user=handler,
    )
    covered_item_add(
        record_request=open_request,
        kind=CoveredItem.Kind.COMPANY_INTERVIEWS,
        target_id=company.pk,
        label=label,
        user=handler,
    )
    if stdout is not None:
        stdout.write(
            f"Public records: requests {decided.number} (decided) and {open_request.number} (overdue)."
        )


# Found by `manage.py seed_demo`, which runs the apps' seeders in INSTALLED_APPS order.
DEMO_SEED = seed_records
