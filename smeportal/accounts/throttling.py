"""Login throttling rules on top of django-axes.

Failures are counted per user name *and* address, so that five wrong passwords typed at
`admin` from one machine lock `admin` only on that machine: an attacker elsewhere cannot lock
a colleague out (lockout as a weapon). On its own that would let one address try five
passwords for every user name, so each address also has a looser budget across all user
names; once it is used up, that address may not try any user name until the cool-off ends.

A wrong current password on the password-change page counts as a failed login of that user
from that address, so the same limits and the same cool-off apply there.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_credentials
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import render


def address_failures(request) -> int:
    """Failed logins from the request's address within the cool-off, whatever the user name."""
    AxesProxyHandler.update_request(request)
    if not request.axes_ip_address:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,
        attempt_time__gte=get_cool_off_threshold(request),
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


def failure_limit(request, credentials=None) -> int:
    """AXES_FAILURE_LIMIT: how many failures this user name may have from this address.

    django-axes compares the failures of the user name at this address (its lockout
    parameters) with this number. An address that has used up its own budget gets 0, which
    axes reads as "locked" for every user name tried from there.
    """
    if address_failures(request) >= settings.LOGIN_FAILURES_PER_ADDRESS:
        return 0
    return settings.LOGIN_FAILURES_PER_USER_AND_ADDRESS


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the Swedish 429 page, worded for the form that was locked."""
    match = getattr(request, "resolver_match", None)
    template = (
        "registration/password_change_locked.html"
        if match is not None and match.view_name == "password_change"
        else "registration/locked_out.html"
    )
    return render(
        request,
        template,
        {"cooloff_timedelta": get_cool_off(request)},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def password_guess_allowed(request) -> bool:
    """Whether the signed-in user may try the current password again from this address."""
    return AxesProxyHandler.is_allowed(request, get_credentials(request.user.get_username()))


def password_guess_failed(request) -> None:
    """Count a wrong current password like a failed login of that user from that address.

    One count for both forms: a session left open on a shared machine must not give an
    unlimited number of guesses at the password through the password-change page.
    """
    user_login_failed.send(
        sender=__name__,
        credentials=get_credentials(request.user.get_username()),
        request=request,
    )


def password_guess_succeeded(request) -> None:
    """A right current password clears the count for this user at this address, as a login does."""
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.reset_attempts(
        ip_address=request.axes_ip_address, username=request.user.get_username()
    )
