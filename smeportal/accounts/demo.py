"""Demo users, one per role, for `manage.py seed_demo`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from .models import User
from .roles import Grant, Role

DEMO_USERS: dict[str, tuple[Role, str, str]] = {
    "utvecklare": (Role.DEVELOPER, "Ulrika", "Utvecklare"),
    "processledare": (Role.FACILITATOR, "Per", "Processledare"),
    "radsmedlem": (Role.COUNCIL, "Rasmus", "Rådsmedlem"),
    "admin": (Role.ADMINISTRATOR, "Anna", "Administratör"),
}
# The demo's business developer is also its registrar (public records and the e-archive).
DEMO_GRANTS: dict[str, tuple[Grant, ...]] = {"utvecklare": (Grant.REGISTRAR,)}


@dataclass
class DemoUsersResult:
    created: list[str]
    password: str | None
    password_was_generated: bool


@transaction.atomic
def demo_users_ensure(*, password: str | None, reset_passwords: bool = False) -> DemoUsersResult:
    """Create the demo users that are missing; idempotent.

    Existing users keep their password unless one is given or a reset is asked for, so running
    the command twice never locks anyone out. A generated password is returned once, to print.
    """
    generated = False
    if not password and reset_passwords:
        password, generated = secrets.token_urlsafe(12), True
    created = []
    for username, (role, first_name, last_name) in DEMO_USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            if not password:
                password, generated = secrets.token_urlsafe(12), True
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@example.invalid",
            )
            user.set_password(password)
            user.is_staff = role == Role.ADMINISTRATOR
            user.save()
            created.append(username)
        elif password:
            user.set_password(password)
            user.save(update_fields=["password"])
        names = [role.value, *(grant.value for grant in DEMO_GRANTS.get(username, ()))]
        user.groups.set(Group.objects.filter(name__in=names))
    return DemoUsersResult(created=created, password=password, password_was_generated=generated)
