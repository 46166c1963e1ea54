"""The portal's own middleware: Swedish first, the 503 page, no caching of signed-in pages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control

from .errors import database_unavailable, database_unreachable

logger = logging.getLogger(__name__)


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Like LocaleMiddleware, but ignores the browser's Accept-Language header.

    A municipal service in Sweden answers in Swedish; the language switch (a cookie) is the
    only way to English, so an English-language browser does not surprise a Swedish user.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class DatabaseUnavailableMiddleware:
    """Answers with the Swedish 503 page when the database cannot be reached during a view.

    Django turns an exception into a response at every middleware layer, so a wrapping
    try/except would never see one; exceptions from views arrive here via process_exception.
    Failures in other middleware (the session or user look-up) reach handler500, which
    `smeportal.core.errors.server_error` turns into the same 503 page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unreachable(exception):
            return None
        logger.error(
            "Database unavailable during %s %s", request.method, request.path, exc_info=exception
        )
        return database_unavailable()


class NoStoreForSignedInUsersMiddleware:
    """Tells browsers and proxies not to keep pages shown to a signed-in user.

    Those pages hold personal data (contacts, notes); without `Cache-Control: no-store` they
    stay in the browser's cache and back/forward history of a shared computer after logout.
    A view that set its own caching keeps it. Static files never get here: whitenoise answers
    them earlier, with their long-lived caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and _signed_in(request):
            patch_cache_control(response, no_store=True, private=True)
        return response


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    if user is None:
        return False
    try:
        return user.is_authenticated
    except DatabaseError:
        # The session cannot be read: not caching is the safe answer.
        return True


def client_ip_address(request) -> str | None:
    """The client's address for login throttling (AXES_CLIENT_IP_CALLABLE).

    X-Forwarded-For is trusted only as far as settings.TRUSTED_PROXY_COUNT proxies of our own
    appended to it; anything further left may be forged by the client.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            address.strip()
            for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if address.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
