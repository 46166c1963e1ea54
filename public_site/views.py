"""The public page of what the dialogue led to, and its feed: anonymous, cached, rate-limited.

The page's body depends only on the latest whole-period summary, what staff published and the
language, so the template draws it once per language and keeps it in the cache (`{% cache %}`)
for settings.PUBLIC_PAGE_CACHE_SECONDS under the summary's id: a visitor costs one query (which summary is
the latest) and a cache read. What staff publish shows within that time. The page takes no
query parameters; any are ignored.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from .feeds import PublicResultsFeed
from .ratelimit import rate_limited
from .selectors import latest_whole_snapshot_id, public_results

# What the feed's answer carries besides its body (django.contrib.syndication).
FEED_HEADERS = ("Content-Type", "Last-Modified")


def public_caching(view):
    """Anonymous visitors' answers may be kept by browsers and proxies for the cache's time;
    signed-in users get no-store from NoStoreForSignedInUsersMiddleware as on every page. The
    language comes from a cookie, so the answer varies with it."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not request.user.is_authenticated:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_CACHE_SECONDS)
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapper


@login_not_required
@require_safe
@rate_limited
@public_caching
def results(request):
    """The six areas, what the companies said in aggregate, the published proposals,
    activities, goals and celebrations (public_site/selectors.py)."""

    snapshot_id = latest_whole_snapshot_id()
    return render(
        request,
        "public/results.html",
        {
            # Read only when the template's cached fragment is drawn anew.
            "results": SimpleLazyObject(
                lambda: public_results(today=timezone.localdate(), snapshot_id=snapshot_id)
            ),
            "snapshot_id": snapshot_id or 0,
            "cache_seconds": settings.PUBLIC_PAGE_CACHE_SECONDS,
        },
    )


@login_not_required
@require_safe
@rate_limited
@public_caching
def feed(request):
    """The Atom feed of published celebrations and completed public activities.

    Like the page's body, it is drawn once per language, and per address (its links are
    absolute), and kept in the cache for settings.PUBLIC_PAGE_CACHE_SECONDS, the time browsers
    and proxies may keep it too: what staff publish shows within that time."""
    key = f"public:feed:{translation.get_language()}:{request.scheme}:{request.get_host()}"
    kept = cache.get(key)
    if kept is not None:
        content, headers = kept
        return HttpResponse(content, headers=headers)
    response = PublicResultsFeed()(request)
    headers = {name: response[name] for name in FEED_HEADERS if name in response}
    cache.set(key, (response.content, headers), settings.PUBLIC_PAGE_CACHE_SECONDS)
    return response
