"""What every endpoint of the API shares: the language, the audit log, HTTP caching.

- Language: `?lang=sv|en`, else the caller's Accept-Language, else Swedish. (The portal's pages
  ignore Accept-Language, Swedish first; a program calling the API asks for what it wants.)
- Every call by a signed-in caller (token or session) is logged (api.services.call_log) with its
  path, never its query string.
- Conditional GET: every answer carries an ETag of its body, and a request with a matching
  If-None-Match gets 304 Not Modified without the body, so a BI tool can poll cheaply. Published
  data may be cached by anyone for a minute; staff data only by the token's caller, revalidated
  each time; nothing shown to a browser signed in to the portal is stored (no-store).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.middleware.http import ConditionalGetMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from ..models import ApiToken
from ..services import call_log

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def request_language(request) -> str:
    asked = request.GET.get("lang", "")
    if asked in LANGUAGES:
        return asked
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for language, _quality in translation.trans_real.parse_accept_lang_header(header):
        code = language.split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return settings.LANGUAGE_CODE


def conditional(view):
    """The ETag of the answer's body, and 304 for a matching If-None-Match: Django's
    ConditionalGetMiddleware on this view's rendered answer, also one served from the cache
    (conditional_page would lose its 304 on an answer rendered before)."""
    middleware = ConditionalGetMiddleware(lambda request: None)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        return middleware.process_response(request, response)

    return wrapped


def in_request_language(view):
    """Activate the caller's language before anything else, so that the cache keys answers by
    it (Django's cache adds the active language to its keys)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        # Read before the REST framework replaces request.user with the API's caller (an
        # anonymous one on the open endpoints): a browser signed in to the portal.
        request.signed_in_to_portal = request.user.is_authenticated
        return view(request, *args, **kwargs)

    return wrapped


class ApiViewMixin:
    """Mixed into every API view (before the DRF view class)."""

    # Published data: public caching; staff data: private, revalidated.
    public_data = False

    @classmethod
    def as_view(cls, *args, **initkwargs):
        view = cls.wrap_view(super().as_view(*args, **initkwargs))
        # The API authenticates its callers itself (401 in JSON, not the login page).
        return login_not_required(in_request_language(conditional(view)))

    @classmethod
    def wrap_view(cls, view):
        return view

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ("Accept-Language", "Authorization"))
        by_token = isinstance(request.auth, ApiToken)
        if not by_token and getattr(request._request, "signed_in_to_portal", False):
            # A browser signed in to the portal: nothing it was shown stays in its cache (as on
            # every page), and the cache does not keep it (private).
            patch_cache_control(response, private=True, no_store=True)
        elif by_token or not self.public_data or response.status_code >= 400:
            # A program with its token: kept by that caller only, revalidated with the ETag.
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=60)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            call_log(
                user=user,
                token=request.auth if by_token else None,
                method=request.method,
                path=request.path,
                status_code=response.status_code,
            )
        return response
