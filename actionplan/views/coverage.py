"""Coverage: what the interviews and the dialogue raised that the plan does not answer yet."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.shortcuts import render
from django.views import View

from interviews.consent import Audience, audience_for, visible_quote
from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.accounts.roles import has_capability
from smeportal.areas.models import PriorityArea
from smeportal.areas.selectors import area_list

from ..forms import AreaFilterForm
from ..selectors import proposals_not_in_plan, unanswered_challenges


@dataclass
class AreaCoverage:
    area: PriorityArea
    challenges: list = field(default_factory=list)
    proposals: list = field(default_factory=list)


class CoverageView(CapabilityRequiredMixin, View):
    required_capability = "actionplan.view"

    def get(self, request):
        audience = audience_for(request.user)
        internal = audience is Audience.INTERNAL
        form = AreaFilterForm(request.GET if request.GET.get("area") else None)
        status = 200
        areas = list(area_list())
        challenges = unanswered_challenges(internal=internal)
        proposals = proposals_not_in_plan()
        if form.is_bound:
            if form.is_valid():
                chosen = form.cleaned_data["area"]
                areas = [area for area in areas if area.pk == chosen.pk]
                challenges = challenges.filter(area=chosen)
                proposals = proposals.filter(area=chosen)
            else:
                areas, challenges, proposals, status = [], [], [], 400
        sections = {area.pk: AreaCoverage(area) for area in areas}
        for finding in challenges:
            if finding.area_id in sections:
                finding.visible_quote = visible_quote(finding, audience)
                sections[finding.area_id].challenges.append(finding)
        for proposal in proposals:
            if proposal.area_id in sections:
                sections[proposal.area_id].proposals.append(proposal)
        context = {
            "form": form,
            "sections": list(sections.values()),
            "is_internal": internal,
            "can_edit": has_capability(request.user, "actionplan.edit"),
            "challenge_total": sum(len(section.challenges) for section in sections.values()),
            "proposal_total": sum(len(section.proposals) for section in sections.values()),
        }
        return render(request, "actionplan/coverage.html", context, status=status)
