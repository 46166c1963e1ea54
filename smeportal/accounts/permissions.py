"""Permission checks for views: every portal page names the capability it needs."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied

from .roles import has_capability


class CapabilityRequiredMixin:
    """Class-based views: 403 unless the user's role grants `required_capability`.

    Anonymous users never get here: LoginRequiredMiddleware sends them to the login page first.
    """

    required_capability: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not has_capability(request.user, self.required_capability):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def capability_required(capability: str):
    """Function views: the same rule as CapabilityRequiredMixin."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_capability(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
