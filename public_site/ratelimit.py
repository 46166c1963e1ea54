"""A per-address rate limit for the public pages, kept in the cache (issue 14).

The public page is open to the internet: one address may make settings.
PUBLIC_RATE_LIMIT_PER_MINUTE requests a minute (fixed one-minute windows, counted in the
cache, so every worker shares the count when the cache is Redis); the next ones are answered
429 with a page in the reader's language (Swedish first) and Retry-After. Signed-in staff are
not limited. The address is the one login throttling uses (smeportal.core.middleware.
client_ip_address), so a proxy's X-Forwarded-For is trusted only as far as configured.
"""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from smeportal.core.middleware import client_ip_address

WINDOW_SECONDS = 60


def _key(address: str, window: int) -> str:
    return f"public:rate:{address}:{window}"


def over_limit(request) -> int:
    """0 when the request may go ahead; otherwise the seconds until it may try again."""
    limit = settings.PUBLIC_RATE_LIMIT_PER_MINUTE
    if limit <= 0:
        return 0
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = _key(client_ip_address(request) or "unknown", window)
    # add() starts the window's count only if it is not there yet: two workers cannot both
    # start it; incr() is atomic in Redis and in the local-memory cache.
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # the count expired between the two calls
        cache.add(key, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * WINDOW_SECONDS - now + 0.999))


def rate_limited(view):
    """Answers 429 to an anonymous visitor over the limit (see the module's docstring)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            retry_after = over_limit(request)
            if retry_after:
                response = render(
                    request,
                    "public/rate_limited.html",
                    {"retry_after": retry_after},
                    status=429,
                )
                response["Retry-After"] = str(retry_after)
                add_never_cache_headers(response)
                return response
        return view(request, *args, **kwargs)

    return wrapper
