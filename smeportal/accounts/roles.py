"""Roles and what each may do.

A role is a Django group. Pages and actions ask `has_capability(user, "<capability>")`;
the navigation, the views' permission mixin and the templates all read the same table, so a
page cannot be shown in the menu to a role that would get 403 on it. Later apps add their
capabilities to CAPABILITIES and their model permissions to MODEL_PERMISSIONS.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The value is the group's name in the database (Swedish, as the municipality names them).
    DEVELOPER = "Näringslivsutvecklare", _("Business developer")
    FACILITATOR = "Processledare", _("Workshop facilitator")
    COUNCIL = "Tillväxtrådet", _("Growth council")
    ADMINISTRATOR = "Administratör", _("Administrator")


class Grant(models.TextChoices):
    """A task an administrator gives a business developer on top of the role, as a group of its
    own. It adds the capabilities GRANTED_CAPABILITIES lists, to business developers only: the
    group given to anyone else (a council member, say) adds nothing."""

    REGISTRAR = "Registrator", _("Registrar (public records and e-archive)")


ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.DEVELOPER, Role.FACILITATOR, Role.ADMINISTRATOR})

CAPABILITIES: dict[str, frozenset[Role]] = {
    "portal.view": ALL_ROLES,
    "areas.manage": frozenset({Role.ADMINISTRATOR}),
    "users.manage": frozenset({Role.ADMINISTRATOR}),
    # Interviews: companies, contacts, notes and follow-ups are for business developers only.
    "interviews.view": frozenset({Role.DEVELOPER, Role.ADMINISTRATOR}),
    "interviews.edit": frozenset({Role.DEVELOPER, Role.ADMINISTRATOR}),
    "interviews.import": frozenset({Role.DEVELOPER, Role.ADMINISTRATOR}),
    "interviews.export": frozenset({Role.DEVELOPER, Role.ADMINISTRATOR}),
    "followups.view": frozenset({Role.DEVELOPER, Role.ADMINISTRATOR}),
    # Findings (area, type, text, quotes that consent allows) are workshop raw material.
    "findings.view": frozenset({Role.DEVELOPER, Role.FACILITATOR, Role.ADMINISTRATOR}),
    # Workshops: everyone reads (no personal data on these pages); facilitators run them.
    "workshops.view": ALL_ROLES,
    "workshops.edit": frozenset({Role.FACILITATOR, Role.ADMINISTRATOR}),
    "workshops.export": ALL_ROLES,
    # Linking interview findings to proposals needs the findings: developers and facilitators.
    "proposals.link_evidence": frozenset({Role.DEVELOPER, Role.FACILITATOR, Role.ADMINISTRATOR}),
}

# Action plan: developers and administrators edit; everyone reads (no personal data shown to
# the council). An activity's contact user may update its progress (actionplan.services).
CAPABILITIES.update(
    {
        "actionplan.view": ALL_ROLES,
        "actionplan.edit": frozenset({Role.DEVELOPER, Role.ADMINISTRATOR}),
        "celebrations.mark": frozenset({Role.DEVELOPER, Role.ADMINISTRATOR}),
    }
)

# Reports: everyone reads the dashboard and downloads finished reports; staff build them.
CAPABILITIES.update(
    {
        "reports.view": ALL_ROLES,
        "reports.create": frozenset({Role.DEVELOPER, Role.ADMINISTRATOR}),
        "reports.schedule": frozenset({Role.ADMINISTRATOR}),
    }
)

# Audit and retention (audit): the audit trail and retention decisions
# (gallringsbeslut) are for administrators only.
CAPABILITIES.update(
    {
        "audit.view": frozenset({Role.ADMINISTRATOR}),
        "retention.decide": frozenset({Role.ADMINISTRATOR}),
    }
)

# The outbox (smeportal.outbox): what the portal sent by e-mail, and what failed.
CAPABILITIES["outbox.view"] = frozenset({Role.ADMINISTRATOR})
# "Ni sa – vi gjorde" (letters): business developers draft, approve and send the letters.
CAPABILITIES["letters.send"] = frozenset({Role.DEVELOPER, Role.ADMINISTRATOR})
# When the daily reminders go out (reminders); everyone sets what they receive themselves.
CAPABILITIES["reminders.schedule"] = frozenset({Role.ADMINISTRATOR})

# Public records (records): requests for documents and their secrecy review; the e-archive
# (archive): delivery packages. Administrators, and business developers made registrars.
# The information management plan is kept by administrators.
CAPABILITIES["records.handle"] = frozenset({Role.ADMINISTRATOR})
CAPABILITIES["archive.deliver"] = frozenset({Role.ADMINISTRATOR})
CAPABILITIES["archive.plan"] = frozenset({Role.ADMINISTRATOR})
CAPABILITIES["records.grounds"] = frozenset({Role.ADMINISTRATOR})  # the secrecy grounds
GRANTED_CAPABILITIES: dict[str, Grant] = {
    "records.handle": Grant.REGISTRAR,
    "archive.deliver": Grant.REGISTRAR,
}

# The API (api): everyone signed in may create personal API tokens for their own use;
# administrators see and revoke everyone's. Contact persons reach the API only for these roles.
CAPABILITIES["api.tokens.create"] = ALL_ROLES
CAPABILITIES["api.tokens.manage"] = frozenset({Role.ADMINISTRATOR})
CAPABILITIES["contacts.view"] = frozenset({Role.DEVELOPER, Role.ADMINISTRATOR})

# Open data (opendata): the licence, publisher and contact of the published files.
CAPABILITIES["opendata.manage"] = frozenset({Role.ADMINISTRATOR})

# /healthz/ tells everyone up or down; the version and each service's state only these roles.
CAPABILITIES["system.health_details"] = frozenset({Role.ADMINISTRATOR})

_WORKSHOP_MODELS = ("workshop", "workshopgroup", "proposal")
_PLAN_MODELS = (
    "actionplan",
    "goal",
    "activity",
    "milestone",
    "indicator",
    "measurement",
    "celebration",
)
_PLAN_VIEW = tuple(f"actionplan.view_{model}" for model in _PLAN_MODELS)
_PLAN_EDIT = tuple(
    f"actionplan.{action}_{model}" for model in _PLAN_MODELS for action in ("view", "add", "change")
)
_WORKSHOP_VIEW = tuple(f"workshops.view_{model}" for model in _WORKSHOP_MODELS)
_WORKSHOP_EDIT = tuple(
    f"workshops.{action}_{model}"
    for model in _WORKSHOP_MODELS
    for action in ("view", "add", "change")
)

_INTERVIEW_MODELS = ("company", "contact", "interview", "finding", "followup")
_INTERVIEW_EDIT = tuple(
    f"interviews.{action}_{model}"
    for model in _INTERVIEW_MODELS
    for action in ("view", "add", "change")
)

# Django model permissions given to each role's group, as "app_label.action_model".
# Kept in step with CAPABILITIES so the Django admin and the portal agree.
MODEL_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.DEVELOPER: ("areas.view_priorityarea", *_INTERVIEW_EDIT, *_WORKSHOP_VIEW, *_PLAN_EDIT),
    Role.FACILITATOR: (
        "areas.view_priorityarea",
        "interviews.view_finding",
        *_WORKSHOP_EDIT,
        *_PLAN_VIEW,
    ),
    Role.COUNCIL: ("areas.view_priorityarea", *_WORKSHOP_VIEW, *_PLAN_VIEW),
    Role.ADMINISTRATOR: (
        "areas.view_priorityarea",
        "areas.add_priorityarea",
        "areas.change_priorityarea",
        "areas.delete_priorityarea",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "auth.view_group",
        *_INTERVIEW_EDIT,
        *_WORKSHOP_EDIT,
        *_PLAN_EDIT,
    ),
}


def _group_names(user) -> frozenset[str]:
    """The names of the user's groups, read once and cached on the user object for the request."""
    cached = getattr(user, "_portal_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._portal_groups = cached
    return cached


def user_roles(user) -> frozenset[Role]:
    """The roles a user holds, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        names = _group_names(user)
        cached = frozenset(role for role in Role if role.value in names)
        if user.is_superuser:
            cached = cached | {Role.ADMINISTRATOR}
        user._portal_roles = cached
    return cached


def user_grants(user) -> frozenset[Grant]:
    """The grants that count for this user: those of a business developer (none otherwise)."""
    if Role.DEVELOPER not in user_roles(user):
        return frozenset()
    names = _group_names(user)
    return frozenset(grant for grant in Grant if grant.value in names)


def has_capability(user, capability: str) -> bool:
    """True when one of the user's roles, or a grant they hold, gives the capability. Unknown
    capabilities deny."""
    allowed = CAPABILITIES.get(capability)
    if allowed is None:
        return False
    if user_roles(user) & allowed:
        return True
    grant = GRANTED_CAPABILITIES.get(capability)
    return grant is not None and grant in user_grants(user)


def role_holders(roles: Iterable[Role]):
    """Active users holding one of the roles, and superusers (who may act in every role), by name.

    The choices of the forms that name a person: interviewers, a follow-up's owner, an
    activity's contact, a workshop's facilitators. The roles are matched by a semi-join on the
    group memberships, so no DISTINCT over the users is needed.
    """
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    holders = user_model.groups.through.objects.filter(
        group__name__in=[role.value for role in roles]
    ).values("user_id")
    return user_model.objects.filter(
        models.Q(pk__in=holders) | models.Q(is_superuser=True), is_active=True
    ).order_by("first_name", "last_name", "username")


def primary_role(user) -> Role | None:
    """The role that decides the start page; administrators first, council last."""
    roles = user_roles(user)
    for role in (Role.ADMINISTRATOR, Role.DEVELOPER, Role.FACILITATOR, Role.COUNCIL):
        if role in roles:
            return role
    return None


def sync_role_permissions(groups_model, permission_model, roles: Iterable[Role] = tuple(Role)):
    """Create the role groups and give each exactly its declared model permissions."""
    for role in roles:
        group, _created = groups_model.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in MODEL_PERMISSIONS.get(role, ()):
            app_label, codename = dotted.split(".", 1)
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)


def sync_role_permissions_after_migrate(sender, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    sync_role_permissions(Group, Permission)
    for grant in Grant:  # a grant's group holds no model permissions: the portal checks it
        Group.objects.get_or_create(name=grant.value)
