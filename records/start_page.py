"""The handler's start page: their requests whose decision is overdue (at most START_ITEMS)."""

from __future__ import annotations

from django.utils import timezone

from smeportal.accounts.roles import has_capability

from .selectors import overdue_requests

START_ITEMS = 10


def overdue_panel(request) -> dict | None:
    """Two queries at most, however many requests there are."""
    if not has_capability(request.user, "records.handle"):
        return None
    overdue = list(
        overdue_requests(today=timezone.localdate(), handler=request.user)[: START_ITEMS + 1]
    )
    if not overdue:
        return None
    return {
        "template": "records/start_panel.html",
        "requests": overdue[:START_ITEMS],
        "more": len(overdue) > START_ITEMS,
    }
