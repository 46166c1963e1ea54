"""A token's role: the caller's own role, or one that may do less.

A token is given one role. A call made with it may do what that role may do, and never more
than its user may: the user's roles are narrowed to the token's for the call (restrict_to_token),
and grants (the registrar's) do not reach the API.
"""

from __future__ import annotations

from smeportal.accounts.roles import CAPABILITIES, Role, has_capability


def role_capabilities(role: Role) -> frozenset[str]:
    return frozenset(name for name, roles in CAPABILITIES.items() if role in roles)


def token_roles_for(user) -> list[Role]:
    """The roles the user may give a token: those whose capabilities the user has, all of them."""
    return [
        role
        for role in Role
        if all(has_capability(user, capability) for capability in role_capabilities(role))
    ]


def restrict_to_token(user, role: str) -> None:
    """Narrow the user's roles to the token's for this request (roles.user_roles reads the cache
    set here), so that every has_capability() the API and its services ask is the token's. A
    token whose role the user may no longer give (their own role changed) may do nothing."""
    allowed = role in Role.values and Role(role) in token_roles_for(user)
    user._portal_roles = frozenset({Role(role)}) if allowed else frozenset()
    # Grants count for business developers by their groups; a token carries none.
    user._portal_groups = frozenset(r.value for r in user._portal_roles)
