"""Scale data set: the staff who own the interviews, follow-ups and activities.

Twenty staff in all: the demo users of `seed_demo` (who must find their own follow-ups and
activities at scale) and invented colleagues, most of them business developers. They cannot log
in (no usable password); the bench logs in as the demo users.
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from smeportal.core.scale import ScaleContext, bulk_insert

from .demo import DEMO_USERS
from .models import User
from .roles import Role

DEVELOPERS = 15
FACILITATORS = 3

FIRST_NAMES = [
    "Astrid", "Bertil", "Cecilia", "David", "Ebba", "Filip", "Greta", "Hugo", "Ingrid", "Jakob",
    "Klara", "Ludvig", "Moa", "Nils", "Olivia", "Pontus", "Ronja", "Sigrid",
]  # fmt: skip
LAST_NAMES = [
    "Almqvist", "Bergström", "Claesson", "Dahl", "Eklund", "Falk", "Göransson", "Hallberg",
    "Isaksson", "Jansson", "Knutsson", "Lind", "Molin", "Norén", "Olofsson", "Palm", "Rask",
    "Strand",
]  # fmt: skip


def seed_staff(ctx: ScaleContext) -> None:
    """The invented colleagues (once), then `ctx.shared["developers"]` and `["facilitators"]`.

    Shared as user ids, the demo developer first among the developers and the demo
    facilitator first among the facilitators, so the seeders above give them a large share.
    """
    groups = {group.name: group for group in Group.objects.all()}
    wanted = [(f"skala-utvecklare-{n:02d}", Role.DEVELOPER) for n in range(1, DEVELOPERS + 1)]
    wanted += [(f"skala-processledare-{n}", Role.FACILITATOR) for n in range(1, FACILITATORS + 1)]
    existing = set(
        User.objects.filter(username__in=[u for u, _ in wanted]).values_list("username", flat=True)
    )
    new = []
    for index, (username, _role) in enumerate(wanted):
        if username in existing:
            continue
        user = User(
            username=username,
            first_name=FIRST_NAMES[index],
            last_name=LAST_NAMES[index],
            email=f"{username}@example.invalid",
        )
        user.set_unusable_password()
        new.append(user)
    bulk_insert(ctx, User, new)
    users = {
        user.username: user for user in User.objects.filter(username__in=[u for u, _ in wanted])
    }
    memberships = [
        User.groups.through(user_id=users[username].pk, group_id=groups[role.value].pk)
        for username, role in wanted
        if username not in existing
    ]
    bulk_insert(ctx, User.groups.through, memberships)

    demo = {user.username: user.pk for user in User.objects.filter(username__in=DEMO_USERS)}
    by_role = {role: [] for role in Role}
    for username, (role, _first, _last) in DEMO_USERS.items():
        by_role[role].append(demo[username])
    for username, role in wanted:
        by_role[role].append(users[username].pk)
    # The administrator interviews and runs workshops too, as in the demo.
    ctx.shared["developers"] = by_role[Role.DEVELOPER] + by_role[Role.ADMINISTRATOR]
    ctx.shared["facilitators"] = by_role[Role.FACILITATOR] + by_role[Role.ADMINISTRATOR]
    ctx.shared["administrator"] = by_role[Role.ADMINISTRATOR][0]
    ctx.say(f"Staff: {len(new)} colleagues added ({len(ctx.shared['developers'])} developers).")


# Found by `manage.py seed_scale`, which runs the apps' scale seeders in INSTALLED_APPS order.
SCALE_SEED = seed_staff
