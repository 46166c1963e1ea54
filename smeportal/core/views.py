from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.db.models import QuerySet
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from smeportal.accounts.roles import has_capability, primary_role
from smeportal.areas.selectors import area_list

from .health import health_report
from .history import history_page
from .start_page import start_panels


@require_GET
def home(request):
    """The start page: the six areas and the next steps for the user's role."""
    return render(
        request,
        "core/home.html",
        {
            "areas": area_list(),
            "role": primary_role(request.user),
            "panels": start_panels(request),
        },
    )


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """Up or down for monitoring (the status code says it too); details for administrators.

    Details go by role, not by address: behind a reverse proxy on the same host every request
    comes from 127.0.0.1, so "loopback" would mean "everyone". The database is checked first
    and the user (whose session is in that database) only when it answers; a down database
    gives every caller the short answer.
    """
    report = health_report(details=False)
    if report["status"] == "ok" and has_capability(request.user, "system.health_details"):
        report = health_report(details=True)
    # Only the database makes the portal unusable; a down broker only stops reports.
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


@login_not_required
@require_GET
def accessibility_statement(request):
    return render(request, "core/accessibility_statement.html")


@dataclass(frozen=True)
class HistorySubject:
    """What a history page is about: its heading, the way back, and the history querysets
    of the object and its parts (an interview's own records and its findings')."""

    title: str
    back_url: str
    sources: Sequence[QuerySet]


def history_response(request, subject: HistorySubject):
    """Who changed what and when for one object, 25 changes a page (its own page: the detail
    page of an object edited for years would otherwise grow with every save). The apps' views
    check access and name the subject."""
    page, entries = history_page(subject.sources, request.GET.get("page"))
    context = {"subject": subject, "page_obj": page, "entries": entries}
    return render(request, "core/history.html", context)
