from __future__ import annotations

from .navigation import navigation_for
from .roles import primary_role, user_roles


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_role_labels": []}
    return {
        "nav_items": navigation_for(user, request.path),
        "user_role_labels": [role.label for role in sorted(user_roles(user))],
        "primary_role": primary_role(user),
    }
