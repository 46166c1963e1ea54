"""Swedish first: the interface is Swedish unless the user has chosen English."""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
