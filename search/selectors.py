"""One search box for everything a role may see: companies, interviews, findings, proposals and
activities, grouped by kind, a few of each with a link to the full, filtered list.

Each kind is searched the way its own list searches it, through that list's indexes
(interviews.selectors, interviews.area_search), and only when the user's role may open that
list (smeportal.accounts.roles): the council gets proposals and activities, never companies,
interviews or findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from actionplan.models import Activity
from interviews.choices import QuoteConsent
from interviews.consent import Audience, audience_for
from interviews.models import Interview
from interviews.selectors import (
    company_list,
    finding_list,
    interview_list_filtered,
    interview_list_rows,
    interview_text_search,
)
from smeportal.accounts.roles import has_capability
from workshops.selectors import live_proposals

# Results shown per kind; the group links to its list for the rest.
PER_KIND = 5
# Findings are looked for in the latest interviews that hold the words (search._findings).
CANDIDATE_INTERVIEWS = 50


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    detail: str = ""


@dataclass
class HitGroup:
    kind: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    more_url: str = ""  # the full list, filtered by the same words (when there is one)
    has_more: bool = False


def _first(queryset, shape) -> tuple[list[Hit], bool]:
    found = list(queryset[: PER_KIND + 1])
    return [shape(item) for item in found[:PER_KIND]], len(found) > PER_KIND


def _findings(text: str, *, internal: bool):
    """A few findings holding the words, from the latest interviews that do: the interviews'
    search (a GIN index on Postgres) finds those fast for a rare word and a common one alike,
    where findings searched area by area had to sort every match of a common word. The
    finding list (linked) searches them all."""
    candidates = list(
        interview_text_search(Interview.objects.all(), text)
        .order_by("-date", "-pk")
        .values_list("pk", flat=True)[:CANDIDATE_INTERVIEWS]
    )
    quote = Q(quote__folded_contains=text)
    if not internal:
        # A quote the reader may not see is not found by its words (interviews.consent).
        quote &= ~Q(interview__consent=QuoteConsent.INTERNAL_ONLY)
    return (
        finding_list(audience_is_internal=internal)
        .filter(interview_id__in=candidates)
        .filter(Q(text__folded_contains=text) | quote)
        .order_by("-interview__date", "-pk")
    )


def _list_url(name: str, text: str) -> str:
    return f"{reverse(name)}?{urlencode({'q': text})}"


def global_search(text: str, user) -> list[HitGroup]:
    """The groups this user may see that have a hit, in a fixed order."""
    text = text.strip()
    if not text:
        return []
    groups: list[HitGroup] = []
    if has_capability(user, "interviews.view"):
        hits, more = _first(
            company_list(text),
            lambda company: Hit(
                company.name,
                reverse("interviews:company_detail", args=[company.pk]),
                company.organisation_number,
            ),
        )
        groups.append(
            HitGroup(
                "companies", _("Companies"), hits, _list_url("interviews:company_list", text), more
            )
        )
        ids = list(
            interview_list_filtered({"q": text}, user=user)
            .order_by("-date", "-pk")
            .values_list("pk", flat=True)[: PER_KIND + 1]
        )
        rows = interview_list_rows(ids[:PER_KIND])
        groups.append(
            HitGroup(
                "interviews",
                _("Interviews"),
                [
                    Hit(
                        f"{row.company_name} {row.date:%Y-%m-%d}",
                        reverse("interviews:interview_detail", args=[row.pk]),
                        ", ".join(row.interviewers),
                    )
                    for row in rows
                ],
                _list_url("interviews:interview_list", text),
                len(ids) > PER_KIND,
            )
        )
    if has_capability(user, "findings.view"):
        hits, more = _first(
            _findings(text, internal=audience_for(user) is Audience.INTERNAL).select_related(
                "area"
            ),
            lambda finding: Hit(
                finding.text,
                _list_url("interviews:finding_list", text),
                f"{finding.area.order}. {finding.area.display_name}",
            ),
        )
        groups.append(
            HitGroup(
                "findings", _("Findings"), hits, _list_url("interviews:finding_list", text), more
            )
        )
    if has_capability(user, "workshops.view"):
        hits, more = _first(
            live_proposals()
            .filter(Q(title__folded_contains=text) | Q(description__folded_contains=text))
            .select_related("group__workshop")
            .order_by("-votes", "title", "pk"),
            lambda proposal: Hit(
                proposal.title,
                reverse("workshops:proposal_detail", args=[proposal.pk]),
                proposal.group.workshop.title,
            ),
        )
        groups.append(HitGroup("proposals", _("Proposals"), hits, "", more))
    if has_capability(user, "actionplan.view"):
        hits, more = _first(
            Activity.objects.filter(
                Q(title__folded_contains=text) | Q(description__folded_contains=text)
            )
            .select_related("plan")
            .order_by("due_date", "pk"),
            lambda activity: Hit(
                activity.title,
                reverse("actionplan:activity_detail", args=[activity.pk]),
                f"{activity.plan.start_year}–{activity.plan.end_year}",
            ),
        )
        groups.append(HitGroup("activities", _("Activities"), hits, "", more))
    return [group for group in groups if group.hits]
