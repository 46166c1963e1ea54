"""Register a request, say what it covers, review it, release it and decide it."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from smeportal.accounts.roles import has_capability
from smeportal.core.queueing import enqueue_fail_fast

from .content import FieldText
from .models import CoveredItem, Mask, RecordRequest, ReleasedDocument, SecrecyGround
from .workdays import decision_due

logger = logging.getLogger(__name__)

NUMBER_PREFIX = "AH"
_NUMBER_ATTEMPTS = 5


def request_number(year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX} {year}/{sequence:04d}"


def _check_handler(handler) -> None:
    if handler is None or not handler.is_active or not has_capability(handler, "records.handle"):
        raise ValidationError(
            {"handler": _("The handler must be a registrar or an administrator.")}
        )


def record_request_create(
    *,
    received_on: date,
    channel: str,
    description: str,
    handler,
    user,
    requester_name: str = "",
    requester_contact: str = "",
) -> RecordRequest:
    """Register a request with the year's next reference number and its due date.

    Two requests registered at the same moment may read the same highest number: the unique
    constraint refuses the second, which takes the next number in a fresh savepoint.
    """
    _check_handler(handler)
    year = received_on.year
    for _attempt in range(_NUMBER_ATTEMPTS):
        last = RecordRequest.objects.filter(year=year).aggregate(last=Max("sequence"))["last"]
        sequence = (last or 0) + 1
        record_request = RecordRequest(
            year=year,
            sequence=sequence,
            number=request_number(year, sequence),
            received_on=received_on,
            channel=channel,
            description=description.strip(),
            requester_name=requester_name.strip(),
            requester_contact=requester_contact.strip(),
            handler=handler,
            due_on=decision_due(received_on),
            created_by=user,
        )
        record_request.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                record_request.save()
        except IntegrityError:
            continue
        return record_request
    raise ValidationError(_("No reference number could be assigned. Try again."))


def _check_open(record_request: RecordRequest) -> None:
    if not record_request.is_open:
        raise ValidationError(_("The request has been decided; it can no longer be changed."))


@transaction.atomic
def covered_item_add(
    *,
    record_request: RecordRequest,
    kind: str,
    target_id: int,
    label: str,
    user,
    date_from: date | None = None,
    date_to: date | None = None,
) -> CoveredItem:
    """Add what the request covers; the request is then under review."""
    record_request = RecordRequest.objects.select_for_update().get(pk=record_request.pk)
    _check_open(record_request)
    if date_from and date_to and date_to < date_from:
        raise ValidationError({"date_to": _("The end cannot be before the start.")})
    item = CoveredItem(
        request=record_request,
        kind=kind,
        target_id=target_id,
        label=label[:300],
        date_from=date_from,
        date_to=date_to,
        added_by=user,
    )
    item.full_clean()
    item.save()
    if record_request.status == RecordRequest.Status.RECEIVED:
        record_request.status = RecordRequest.Status.IN_REVIEW
        record_request.save(update_fields=["status"])
    return item


@transaction.atomic
def covered_item_remove(*, item: CoveredItem) -> None:
    _check_open(RecordRequest.objects.select_for_update().get(pk=item.request_id))
    item.delete()


@transaction.atomic
def mask_add(
    *, item: CoveredItem, field: FieldText, passage: str, ground: SecrecyGround, reason: str, user
) -> Mask:
    """Mask a passage of a field (every place it occurs in that field)."""
    _check_open(RecordRequest.objects.select_for_update().get(pk=item.request_id))
    if not ground.is_active:
        raise ValidationError({"ground": _("Choose a ground from the list.")})
    if not passage or passage not in field.text:
        raise ValidationError(
            {
                "passage": _(
                    "The passage is not in the chosen field. Copy it exactly as it is written."
                )
            }
        )
    mask = Mask(
        item=item,
        action=Mask.Action.MASK,
        source=field.source,
        source_id=field.source_id,
        field=field.field,
        passage=passage,
        ground=ground,
        reason=reason.strip(),
        created_by=user,
    )
    mask.full_clean()
    mask.save()
    return mask


@transaction.atomic
def mask_lift(*, item: CoveredItem, field: FieldText, reason: str, user) -> Mask:
    """Lift a default mask: the field is released as it is, for the reason given."""
    _check_open(RecordRequest.objects.select_for_update().get(pk=item.request_id))
    if not field.default_ground:
        raise ValidationError({"field": _("This field is not masked by default.")})
    if Mask.objects.filter(
        item=item,
        action=Mask.Action.UNMASK,
        source=field.source,
        source_id=field.source_id,
        field=field.field,
    ).exists():
        raise ValidationError({"field": _("The mask has already been lifted.")})
    mask = Mask(
        item=item,
        action=Mask.Action.UNMASK,
        source=field.source,
        source_id=field.source_id,
        field=field.field,
        reason=reason.strip(),
        created_by=user,
    )
    mask.full_clean()
    mask.save()
    return mask


@transaction.atomic
def mask_remove(*, mask: Mask) -> None:
    """Undo a review decision (a mask, or the lifting of a default mask)."""
    _check_open(RecordRequest.objects.select_for_update().get(pk=mask.item.request_id))
    mask.delete()


@transaction.atomic
def request_release(*, record_request: RecordRequest, user, with_workbook: bool) -> list:
    """Produce the released documents (PDF, and the workbook when asked for) in a worker once
    this commits. Returns the documents, still being produced."""
    record_request = RecordRequest.objects.select_for_update().get(pk=record_request.pk)
    if not record_request.items.exists():
        raise ValidationError(_("Say what the request covers before releasing it."))
    if record_request.status == RecordRequest.Status.WITHDRAWN:
        raise ValidationError(_("The request has been withdrawn."))
    kinds = [ReleasedDocument.Kind.RELEASE_PDF]
    if with_workbook:
        kinds.append(ReleasedDocument.Kind.RELEASE_XLSX)
    documents = [
        ReleasedDocument.objects.create(request=record_request, kind=kind, created_by=user)
        for kind in kinds
    ]
    ids = [document.pk for document in documents]
    transaction.on_commit(lambda: _enqueue(ids))
    return documents


def _enqueue(ids: list[int]) -> None:
    from .tasks import build_released_document

    for document_id in ids:
        if not enqueue_fail_fast(build_released_document, args=[document_id]):
            ReleasedDocument.objects.filter(pk=document_id).update(
                status=ReleasedDocument.Status.FAILED,
                error_message=_("The document could not be queued. Try again."),
            )


def released_document_build(*, document_id: int) -> ReleasedDocument:
    """Write a released document's file from the redacted content; safe to run twice."""
    from .documents import release_pdf, release_workbook

    document = ReleasedDocument.objects.select_related("request", "created_by").get(pk=document_id)
    if document.status == ReleasedDocument.Status.DONE:
        return document
    try:
        # The files are the municipality's documents: in its language, whoever asked for them.
        with translation.override(settings.LANGUAGE_CODE):
            if document.kind == ReleasedDocument.Kind.RELEASE_XLSX:
                content, extension = release_workbook(document), "xlsx"
            else:
                content, extension = release_pdf(document), "pdf"
    except Exception as error:
        logger.exception("Released document %s failed", document_id)
        document.status = ReleasedDocument.Status.FAILED
        document.error_message = str(error)[:500]
        document.save(update_fields=["status", "error_message"])
        return document
    name = (
        f"{document.request.number.replace(' ', '-').replace('/', '-')}-{document.pk}.{extension}"
    )
    document.file.save(name, ContentFile(content), save=False)
    document.status = ReleasedDocument.Status.DONE
    document.save(update_fields=["file", "status"])
    return document


@transaction.atomic
def request_decide(
    *,
    record_request: RecordRequest,
    outcome: str,
    grounds: list[SecrecyGround],
    reasoning: str,
    user,
    today: date | None = None,
) -> RecordRequest:
    """Decide the request. A refusal, in whole or in part, gets a decision document with its
    grounds and the instructions for appeal, kept with the request."""
    from .documents import decision_pdf

    record_request = RecordRequest.objects.select_for_update().get(pk=record_request.pk)
    _check_open(record_request)
    refused = outcome in (RecordRequest.Outcome.PARTIAL, RecordRequest.Outcome.REFUSED)
    if refused and not grounds:
        raise ValidationError({"grounds": _("Give the grounds for refusing.")})
    if outcome == RecordRequest.Outcome.REFUSED and not reasoning.strip():
        raise ValidationError({"reasoning": _("Say why the documents are not released.")})
    record_request.outcome = outcome
    record_request.status = RecordRequest.Status.DECIDED
    record_request.decided_on = today or timezone.localdate()
    record_request.decided_by = user
    record_request.decision_reasoning = reasoning.strip()
    record_request.full_clean()
    record_request.save()
    record_request.decision_grounds.set(grounds if refused else [])
    if refused:
        document = ReleasedDocument(
            request=record_request, kind=ReleasedDocument.Kind.DECISION, created_by=user
        )
        document.save()
        with translation.override(settings.LANGUAGE_CODE):
            content = decision_pdf(record_request, grounds)
        name = f"beslut-{record_request.number.replace(' ', '-').replace('/', '-')}.pdf"
        document.file.save(name, ContentFile(content), save=False)
        document.status = ReleasedDocument.Status.DONE
        document.save(update_fields=["file", "status"])
    return record_request


@transaction.atomic
def request_withdraw(*, record_request: RecordRequest) -> RecordRequest:
    """The requester withdrew the request: it is closed without a decision."""
    record_request = RecordRequest.objects.select_for_update().get(pk=record_request.pk)
    _check_open(record_request)
    record_request.status = RecordRequest.Status.WITHDRAWN
    record_request.save(update_fields=["status"])
    return record_request


@transaction.atomic
def secrecy_ground_save(*, ground: SecrecyGround) -> SecrecyGround:
    ground.full_clean()
    ground.save()
    return ground
