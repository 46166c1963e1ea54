"""Which quotes a reader may see, and with what attribution.

The interviewee chose a consent level for quotes; confidential findings (business secrets) are
never shown outside the business developers' own pages. Council members never see a person's
name: a named quote reaches them with the company's name, unless the company is a sole trader
(whose name is personal data), in which case it is anonymous. The public sees the quotes the
council may see, always anonymously.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.utils.translation import gettext as _

from smeportal.accounts.roles import has_capability

from .choices import QuoteConsent


class Audience(enum.Enum):
    INTERNAL = "internal"  # business developers and administrators
    WORKSHOP = "workshop"  # facilitators
    COUNCIL = "council"  # Tillväxtrådet, reports and dashboards
    # Anyone, on the public page: quotes with consent to quote (anonymously or with a name),
    # never internal-only ones, never of a confidential finding, and always anonymous.
    PUBLIC = "public"


@dataclass(frozen=True)
class VisibleQuote:
    text: str
    attribution: str  # never empty: "anonymous company" when consent does not allow a name


def audience_for(user) -> Audience:
    if has_capability(user, "interviews.view"):
        return Audience.INTERNAL
    if has_capability(user, "findings.view"):
        return Audience.WORKSHOP
    return Audience.COUNCIL


def visible_quote(finding, audience: Audience, interviewee_names: str = "") -> VisibleQuote | None:
    """The finding's quote as this audience may see it, or None.

    Needs `finding.interview.company` loaded (select_related) to avoid extra queries.
    """
    if not finding.quote:
        return None
    interview = finding.interview
    company = interview.company
    if audience is Audience.INTERNAL:
        names = f"{interviewee_names}, {company.name}" if interviewee_names else company.name
        return VisibleQuote(finding.quote, names)
    if finding.is_confidential or interview.consent == QuoteConsent.INTERNAL_ONLY:
        return None
    anonymous = _("a company in %(industry)s") % {"industry": company.get_industry_display()}
    if (
        audience is Audience.PUBLIC
        or interview.consent == QuoteConsent.ANONYMOUS
        or company.is_personal_data
    ):
        return VisibleQuote(finding.quote, anonymous)
    if audience is Audience.WORKSHOP and interviewee_names:
        return VisibleQuote(finding.quote, f"{interviewee_names}, {company.name}")
    return VisibleQuote(finding.quote, company.name)
