"""Coverage: what the interviews and the dialogue raised that the plan does not answer yet."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import View

from interviews.consent import Audience, audience_for, visible_quote
from interviews.models import Company, Finding
from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.accounts.roles import has_capability
from smeportal.areas.models import PriorityArea
from smeportal.core.choices import choice_labels
from smeportal.core.pagination import COUNT_CAP, CappedPaginator
from workshops.models import Proposal

from ..forms import AreaFilterForm
from ..selectors_coverage import (
    area_challenge_count,
    area_challenges,
    challenges_overview,
)
from ..selectors_plan import active_areas
from ..selectors_proposals import (
    AreaProposals,
    first_proposals_per_area,
    proposal_counts_by_area,
)

# Without a chosen area the page is an overview: the first five of each kind per area (the
# most important challenges, the proposals most companies stand behind), with the counts and a
# link to the area; an area's own page lists everything a page at a time.
FIRST_PER_AREA = 5
PAGE_SIZE = 25
# Challenges are counted up to this many per area (600,000 findings at scale): past it the
# page says "more than".
CHALLENGE_CAP = COUNT_CAP
# The overview of all areas counts up to this many per area; an area's own page counts on.
OVERVIEW_CAP = 100


@dataclass
class AreaCoverage:
    area: PriorityArea
    challenges: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    challenge_count: int = 0
    challenges_capped: bool = False
    proposal_count: int = 0
    challenge_page: Page | None = None
    proposal_page: Page | None = None
    # The pages' navigation (includes/pagination.html), drawn by the view: the sections are
    # drawn by Jinja2 (coverage_sections.html).
    challenge_pagination: str = ""
    proposal_pagination: str = ""

    @property
    def shows_all(self) -> bool:
        """Every challenge and proposal of the area is listed (or reachable by its pages)."""
        if self.challenge_page is not None:
            return True
        return (
            len(self.challenges) >= self.challenge_count
            and len(self.proposals) >= self.proposal_count
        )


class CoverageView(CapabilityRequiredMixin, View):
    required_capability = "actionplan.view"

    def get(self, request):
        audience = audience_for(request.user)
        internal = audience is Audience.INTERNAL
        areas = active_areas()
        form = AreaFilterForm(request.GET if request.GET.get("area") else None, areas=areas)
        status = 200
        sections: list[AreaCoverage] = []
        if form.is_bound and not form.is_valid():
            status = 400
        elif form.is_bound:
            sections = [self.area_section(request, form.cleaned_data["area"], internal=internal)]
        else:
            sections = self.overview(areas, internal=internal)
        # The labels of choices once per page, not get_FOO_display() per row (choice_labels).
        importance = choice_labels(Finding, "importance")
        industry = choice_labels(Company, "industry")
        size_class = choice_labels(Company, "size_class")
        proposal_status = choice_labels(Proposal, "status")
        for section in sections:
            for finding in section.challenges:
                finding.visible_quote = visible_quote(finding, audience)
                company = finding.interview.company
                finding.importance_label = importance.get(finding.importance, finding.importance)
                finding.company_label = (
                    f"{industry.get(company.industry, company.industry)}; "
                    f"{size_class.get(company.size_class, company.size_class)}"
                )
            for proposal in section.proposals:
                proposal.status_label = proposal_status.get(proposal.status, proposal.status)
        query = request.GET.copy()
        query.pop("page", None)
        proposal_query = request.GET.copy()
        proposal_query.pop("proposal_page", None)
        for section in sections:
            if section.challenge_page is not None:
                section.challenge_pagination = render_to_string(
                    "includes/pagination.html",
                    {
                        "page_obj": section.challenge_page,
                        "query_string": query.urlencode(),
                        "label": _("Pages of challenges"),
                    },
                )
            if section.proposal_page is not None:
                section.proposal_pagination = render_to_string(
                    "includes/pagination.html",
                    {
                        "page_obj": section.proposal_page,
                        "query_string": proposal_query.urlencode(),
                        "page_param": "proposal_page",
                        "label": _("Pages of proposals"),
                    },
                )
        context = {
            "form": form,
            "sections": sections,
            "is_internal": internal,
            "can_edit": has_capability(request.user, "actionplan.edit"),
            "challenge_total": sum(section.challenge_count for section in sections),
            "challenges_capped": any(section.challenges_capped for section in sections),
            "proposal_total": sum(section.proposal_count for section in sections),
            "query_string": query.urlencode(),
            "proposal_query_string": proposal_query.urlencode(),
        }
        return render(request, "actionplan/coverage.html", context, status=status)

    @staticmethod
    def overview(areas, *, internal: bool) -> list[AreaCoverage]:
        """Per area: its counts and the first few challenges and proposals (four queries, each
        compiled once: selectors_coverage, selectors_proposals)."""
        area_ids = [area.pk for area in areas]
        challenges = challenges_overview(
            internal=internal, area_ids=area_ids, cap=OVERVIEW_CAP + 1, per_area=FIRST_PER_AREA
        )
        counts = challenges.counts
        proposal_counts = proposal_counts_by_area()
        sections = {
            area.pk: AreaCoverage(
                area,
                challenges=challenges.first.get(area.pk, []),
                challenge_count=min(counts.get(area.pk, 0), OVERVIEW_CAP),
                challenges_capped=counts.get(area.pk, 0) > OVERVIEW_CAP,
                proposal_count=proposal_counts.get(area.pk, 0),
            )
            for area in areas
        }
        for proposal in first_proposals_per_area(area_ids=area_ids, per_area=FIRST_PER_AREA):
            if proposal.area_id in sections:
                sections[proposal.area_id].proposals.append(proposal)
        return list(sections.values())

    @staticmethod
    def area_section(request, area, *, internal: bool) -> AreaCoverage:
        """One area's challenges and proposals, each list a page at a time."""
        challenge_page = CappedPaginator(
            None,
            PAGE_SIZE,
            cap=CHALLENGE_CAP,
            rows=lambda start, stop: area_challenges(
                internal=internal, area_id=area.pk, start=start, stop=stop
            ),
            counted=lambda limit: area_challenge_count(
                internal=internal, area_id=area.pk, limit=limit
            ),
        ).get_page(request.GET.get("page"))
        proposal_page = Paginator(AreaProposals(area.pk), PAGE_SIZE).get_page(
            request.GET.get("proposal_page")
        )
        return AreaCoverage(
            area,
            challenges=list(challenge_page.object_list),
            proposals=list(proposal_page.object_list),
            challenge_count=challenge_page.paginator.count,
            challenges_capped=challenge_page.paginator.is_capped,
            proposal_count=proposal_page.paginator.count,
            challenge_page=challenge_page,
            proposal_page=proposal_page,
        )
