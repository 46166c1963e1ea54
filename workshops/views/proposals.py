"""A proposal's page (with its lineage and the evidence behind it) and its edit form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from interviews.choices import FindingType, Industry, SizeClass
from interviews.consent import Audience, VisibleQuote, audience_for, visible_quote
from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.accounts.roles import has_capability
from smeportal.areas.models import PriorityArea
from smeportal.core.chain import with_progress

from ..forms_proposals import ProposalForm
from ..models import Proposal
from ..selectors import (
    evidence_summary,
    findings_by_id,
    latest_merge_into,
    proposal_activities,
    proposal_lineage,
    proposal_page,
)
from ..services import merge_undo_refusal, proposal_update

# The findings behind a proposal are listed this many a page.
FINDINGS_PAGE_SIZE = 25


def proposal_for_page(pk: int) -> Proposal:
    """The proposal with its group, workshop, area and survivor loaded (404 if unknown)."""
    return get_object_or_404(
        Proposal.objects.select_related("group__workshop", "area", "merged_into"), pk=pk
    )


def merged_message(proposal: Proposal) -> str:
    return _("This proposal has been merged into “%(survivor)s” and can no longer be changed.") % {
        "survivor": proposal.merged_into.title
    }


def attach_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field where there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@dataclass(slots=True)
class ShownCompany:
    """What a finding's row and its quote (interviews.consent.visible_quote) read of its
    company."""

    name: str
    industry: str
    size_class: str
    is_personal_data: bool
    industry_label: str

    def get_industry_display(self) -> str:
        return self.industry_label


@dataclass(slots=True)
class ShownInterview:
    date: date
    consent: str
    company: ShownCompany


@dataclass(slots=True)
class ShownFinding:
    """A finding as a proposal's pages list it (finding_rows.html), with the quote this
    audience may see, its labels and, on the evidence page, its checkbox's label."""

    pk: int
    type: str
    text: str
    importance: int | None
    quote: str
    is_confidential: bool
    interview_id: int
    interview: ShownInterview
    area: PriorityArea | None
    type_label: str
    industry_label: str
    size_label: str
    visible_quote: VisibleQuote | None = None
    check_label: str = ""


def finding_rows(rows, audience: Audience) -> list[ShownFinding]:
    """The values read by finding_values(), each with the quote this audience may see (or None) and
    the labels of its type, industry and size.

    The labels come from one lookup table per request: `get_FOO_display()` rebuilds and
    translates a field's whole list of choices on every call. A table's areas are the same
    few, each made once.
    """
    types, industries, sizes = (
        {value: str(label) for value, label in choices}
        for choices in (FindingType.choices, Industry.choices, SizeClass.choices)
    )
    areas: dict[int, PriorityArea] = {}
    findings = []
    for row in rows:
        industry, size = row["interview__company__industry"], row["interview__company__size_class"]
        industry_label = industries.get(industry, industry)
        company = ShownCompany(
            name=row["interview__company__name"],
            industry=industry,
            size_class=size,
            is_personal_data=row["interview__company__is_personal_data"],
            industry_label=industry_label,
        )
        area = None
        if "area_id" in row:
            area = areas.get(row["area_id"])
            if area is None:
                area = areas[row["area_id"]] = PriorityArea(
                    pk=row["area_id"],
                    order=row["area__order"],
                    name=row["area__name"],
                    name_en=row["area__name_en"],
                )
        finding = ShownFinding(
            pk=row["pk"],
            type=row["type"],
            text=row["text"],
            importance=row["importance"],
            quote=row["quote"],
            is_confidential=row["is_confidential"],
            interview_id=row["interview_id"],
            interview=ShownInterview(row["interview__date"], row["interview__consent"], company),
            area=area,
            type_label=types.get(row["type"], row["type"]),
            industry_label=industry_label,
            size_label=sizes.get(size, size),
        )
        finding.visible_quote = visible_quote(finding, audience)
        findings.append(finding)
    return findings


class ProposalDetailView(CapabilityRequiredMixin, View):
    """Everything about a proposal: where it came from and which findings stand behind it."""

    required_capability = "workshops.view"

    def get(self, request, pk: int):
        proposal = proposal_page(pk)
        audience = audience_for(request.user)
        internal = audience is Audience.INTERNAL
        summary = evidence_summary(proposal)
        # Confidential findings are counted in the summary but shown only internally. The
        # summary has their ids in the list's order: a page is read by its ids.
        shown = summary.finding_ids(internal=internal)
        page = Paginator(shown, FINDINGS_PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = findings_by_id(page.object_list, internal=internal)
        lineage = proposal_lineage(proposal)
        context = {
            "proposal": proposal,
            "workshop": proposal.group.workshop,
            "lineage": lineage,
            "summary": summary,
            "findings": finding_rows(page.object_list, audience),
            "page_obj": page,
            "hidden_finding_count": summary.finding_count - len(shown),
            "is_internal": internal,
            "activities": with_progress(proposal_activities(proposal)),
            # The undo is offered beside the lineage: without one there is nothing to undo.
            **(_undo_context(request, proposal) if lineage else {}),
        }
        return render(request, "workshops/proposal_detail.html", context)


def _undo_context(request, proposal: Proposal) -> dict:
    """For those who merge: the latest merge into this proposal, and why it cannot be undone
    (if it cannot)."""
    if not has_capability(request.user, "workshops.edit"):
        return {}
    merge = latest_merge_into(proposal)
    if merge is None:
        return {}
    merge.survivor = proposal
    return {"last_merge": merge, "undo_refusal": merge_undo_refusal(merge)}


class ProposalUpdateView(CapabilityRequiredMixin, View):
    """Edit a proposal's text, area, assessment and status. A merged proposal is read-only."""

    required_capability = "workshops.edit"
    template_name = "workshops/proposal_form.html"

    def get(self, request, pk: int):
        proposal = proposal_for_page(pk)
        if proposal.is_merged:
            messages.warning(request, merged_message(proposal))
            return redirect("workshops:proposal_detail", pk=proposal.pk)
        return self.render_form(request, proposal, ProposalForm(instance=proposal))

    def post(self, request, pk: int):
        proposal = proposal_for_page(pk)
        if proposal.is_merged:
            # Nothing is read from the request: the proposal lives on in its survivor.
            context = {"proposal": proposal, "locked_message": merged_message(proposal)}
            return render(request, self.template_name, context, status=409)
        # The form edits its own copy, so the page keeps showing the saved title on errors.
        form = ProposalForm(request.POST, instance=proposal_for_page(pk))
        if form.is_valid():
            try:
                proposal_update(proposal=form.instance)
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(request, _("The proposal was saved."))
                return redirect("workshops:proposal_detail", pk=proposal.pk)
        return self.render_form(request, proposal, form, status=400)

    def render_form(self, request, proposal: Proposal, form: ProposalForm, status: int = 200):
        return render(
            request, self.template_name, {"proposal": proposal, "form": form}, status=status
        )
