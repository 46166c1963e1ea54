"""Which capability an endpoint needs: the portal's own table (smeportal.accounts.roles)."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from smeportal.accounts.roles import has_capability


def capability(name: str) -> type[BasePermission]:
    """A permission class granting the endpoint to callers whose role (a token's role, for a
    token) has the capability; anonymous callers are asked to authenticate (401)."""

    class HasCapability(BasePermission):
        required_capability = name

        def has_permission(self, request, view) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and has_capability(user, name))

    HasCapability.__name__ = f"HasCapability[{name}]"
    return HasCapability
