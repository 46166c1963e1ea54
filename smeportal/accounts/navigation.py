"""The main navigation: each entry is shown only to roles with its capability."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .roles import has_capability


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    capability: str
    # URL prefix that marks the entry as the current page (aria-current).
    section: str = ""


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(_("Start"), "core:home", "portal.view"),
    NavItem(_("Dashboard"), "reports:dashboard", "portal.view", "/oversikt/"),
    NavItem(_("Companies"), "interviews:company_list", "interviews.view", "/foretag/"),
    NavItem(_("Interviews"), "interviews:interview_list", "interviews.view", "/intervjuer/"),
    NavItem(_("Findings"), "interviews:finding_list", "findings.view", "/synpunkter/"),
    NavItem(_("My follow-ups"), "interviews:followup_list", "followups.view", "/uppfoljningar/"),
    NavItem(_("Workshops"), "workshops:workshop_list", "workshops.view", "/workshoppar/"),
    NavItem(_("Action plan"), "actionplan:plan_overview", "actionplan.view", "/handlingsplan/"),
    NavItem(_("Reports"), "reports:run_list", "reports.view", "/rapporter/"),
    NavItem(_("You said – we did"), "letters:round_list", "letters.send", "/ni-sa-vi-gjorde/"),
    NavItem(_("Public records"), "records:request_list", "records.handle", "/allmanna-handlingar/"),
    NavItem(_("E-archive"), "archive:package_list", "archive.deliver", "/arkiv/"),
    NavItem(_("Priority areas"), "areas:list", "areas.manage", "/omraden/"),
    NavItem(_("Users"), "admin:accounts_user_changelist", "users.manage", "/admin/"),
    NavItem(_("Audit trail"), "audit:audit_list", "audit.view", "/granskning/"),
    NavItem(_("E-mail"), "outbox:message_list", "outbox.view", "/e-post/"),
    NavItem(_("Open data"), "opendata:settings", "opendata.manage", "/oppna-data/installningar/"),
)


def navigation_for(user, path: str = "") -> list[dict]:
    """The entries this user may use, with the one for the current page marked."""
    entries = []
    for item in NAV_ITEMS:
        if not has_capability(user, item.capability):
            continue
        url = reverse(item.url_name)
        current = path == url if not item.section else path.startswith(item.section)
        entries.append({"label": item.label, "url": url, "current": current})
    return entries
