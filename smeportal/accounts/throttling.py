"""Login throttling rules on top of django-axes.

Failures are counted per user name *and* address, so that five wrong passwords typed at
`admin` from one machine lock `admin` only on that machine: an attacker elsewhere cannot lock
a colleague out (lockout as a weapon). On its own that would let one address try five
passwords for every user name, so each address also has a looser budget across all user
names; once it is used up, that address may not try any user name until the cool-off ends.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


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
