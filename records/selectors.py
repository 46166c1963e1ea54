"""Reads of requests for public documents: the list, a request's page, what is overdue."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from .models import OPEN_STATUSES, CoveredItem, Mask, RecordRequest, ReleasedDocument


def request_list(
    *,
    status: str = "",
    handler_id: int | None = None,
    overdue: bool = False,
    today: date | None = None,
) -> QuerySet[RecordRequest]:
    """The requests by due date (the one to decide first on top), filtered."""
    requests = RecordRequest.objects.select_related("handler").order_by("due_on", "pk")
    if status:
        requests = requests.filter(status=status)
    if handler_id:
        requests = requests.filter(handler_id=handler_id)
    if overdue:
        requests = requests.filter(status__in=OPEN_STATUSES, due_on__lt=today or date.today())
    return requests


def overdue_requests(*, today: date, handler=None) -> QuerySet[RecordRequest]:
    """Open requests whose decision is past its due date, the oldest first."""
    requests = RecordRequest.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    if handler is not None:
        requests = requests.filter(handler=handler)
    return requests.order_by("due_on", "pk")


def request_items(record_request: RecordRequest) -> QuerySet[CoveredItem]:
    return record_request.items.select_related("added_by").order_by("pk")


def request_documents(record_request: RecordRequest) -> QuerySet[ReleasedDocument]:
    return record_request.documents.select_related("created_by").order_by("-created_at", "-pk")


def request_review_log(record_request: RecordRequest) -> QuerySet[Mask]:
    """Every review decision on the request: who masked or lifted what, when and why."""
    return (
        Mask.objects.filter(item__request=record_request)
        .select_related("item", "ground", "created_by")
        .order_by("item_id", "pk")
    )
