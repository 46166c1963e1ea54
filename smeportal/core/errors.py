"""Error pages in Swedish (or English) without internal detail."""

from __future__ import annotations

import sys

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

RETRY_AFTER_SECONDS = 60


def database_unreachable(exception: BaseException | None) -> bool:
    """Whether `exception` means the database could not be reached, rather than a bad query.

    A refused or lost connection raises OperationalError or InterfaceError, but SQLite also
    raises OperationalError for faults in a query ("LIKE or GLOB pattern too complex"), so the
    connection itself decides: never opened, or no longer answering.
    """
    if not isinstance(exception, (OperationalError, InterfaceError)):
        return False
    connection = connections[DEFAULT_DB_ALIAS]
    return connection.connection is None or not connection.is_usable()


def _error(request, status: int):
    return render(request, f"errors/{status}.html", status=status)


def bad_request(request, exception=None):
    return _error(request, 400)


def permission_denied(request, exception=None):
    return _error(request, 403)


def page_not_found(request, exception=None):
    return _error(request, 404)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: an expired or missing form token, explained without the reason."""
    return render(request, "errors/403_csrf.html", status=403)


def database_unavailable() -> HttpResponse:
    """The 503 page; rendered without a request so no context processor touches the database."""
    template = loader.get_template("errors/503.html")
    response = HttpResponse(template.render({}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    # handler500 runs inside Django's `except` block, so the exception is still at hand: a
    # database that went away (in session or user middleware too) is a 503, not a 500.
    if database_unreachable(sys.exc_info()[1]):
        return database_unavailable()
    # No context processors that touch the database: the error may be the database itself.
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({}))
