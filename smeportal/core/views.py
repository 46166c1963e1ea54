from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from smeportal.accounts.roles import primary_role
from smeportal.areas.selectors import area_list

from .health import health_report


@require_GET
def home(request):
    """The start page: the six areas and the next steps for the user's role."""
    return render(
        request,
        "core/home.html",
        {"areas": area_list(), "role": primary_role(request.user)},
    )


@login_not_required
@require_GET
@never_cache
def healthz(request):
    report = health_report()
    # Only the database makes the portal unusable; a down broker only stops reports.
    status = 200 if report["database"] == "ok" else 503
    return JsonResponse(report, status=status)


@login_not_required
@require_GET
def accessibility_statement(request):
    return render(request, "core/accessibility_statement.html")
