"""Linking a proposal to the interview findings it answers (plain forms; no JavaScript needed)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from interviews.area_search import area_substring
from interviews.choices import QuoteConsent
from interviews.consent import Audience, audience_for
from interviews.selectors import FINDING_ORDER, finding_list
from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.core.pagination import COUNT_CAP, CappedPaginator

from ..forms_proposals import EvidenceChangeForm, EvidenceSearchForm
from ..models import Proposal
from ..services import evidence_link, evidence_unlink
from .proposals import (
    attach_service_errors,
    findings_with_quotes,
    merged_message,
    proposal_for_page,
)

PAGE_SIZE = 25
# The search results are counted and paged up to this many; narrow the search then.
RESULTS_CAP = COUNT_CAP


def with_checkbox_labels(findings: list, attribute: str, label: str) -> list:
    """Set each finding's checkbox label (`label` % the start of its text) as `attribute`.

    Made here rather than by a {% blocktranslate %} per row in the template, which with the
    truncation was a fifth of the page's rendering.
    """
    for finding in findings:
        setattr(finding, attribute, label % {"text": Truncator(finding.text).chars(60)})
    return findings


class EvidenceView(CapabilityRequiredMixin, View):
    required_capability = "proposals.link_evidence"
    template_name = "workshops/evidence.html"

    def get(self, request, pk: int):
        proposal = proposal_for_page(pk)
        return self.render_page(request, proposal, change_form=None)

    def post(self, request, pk: int):
        proposal = proposal_for_page(pk)
        if proposal.is_merged:
            messages.error(request, merged_message(proposal))
            return self.render_page(request, proposal, change_form=None, status=409)
        linked, linkable = self.findings(request, proposal)
        form = EvidenceChangeForm(request.POST, linked=linked, linkable=linkable)
        if form.is_valid():
            findings = list(form.cleaned_data["findings"])
            try:
                if form.cleaned_data["action"] == EvidenceChangeForm.LINK:
                    evidence_link(proposal=proposal, findings=findings)
                    text = ngettext(
                        "%(count)s finding was linked to the proposal.",
                        "%(count)s findings were linked to the proposal.",
                        len(findings),
                    )
                else:
                    evidence_unlink(proposal=proposal, findings=findings)
                    text = ngettext(
                        "%(count)s finding was unlinked from the proposal.",
                        "%(count)s findings were unlinked from the proposal.",
                        len(findings),
                    )
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(request, text % {"count": len(findings)})
                # Back to the same search and page, so several can be linked in a row.
                return redirect(request.get_full_path())
        return self.render_page(request, proposal, change_form=form, status=400)

    def findings(self, request, proposal: Proposal):
        """(linked, linkable): what this user may unlink and link for the proposal."""
        internal = audience_for(request.user) is Audience.INTERNAL
        visible = finding_list(audience_is_internal=internal)
        return visible.filter(proposals=proposal), visible.filter(area=proposal.area_id)

    def render_page(self, request, proposal: Proposal, change_form, status: int = 200):
        audience = audience_for(request.user)
        linked, linkable = self.findings(request, proposal)
        search = EvidenceSearchForm(request.GET)
        # All of one area: the index on (area, importance, interview, id) gives this order.
        results = linkable.exclude(proposals=proposal).order_by(*FINDING_ORDER)
        text_searched = False
        if search.is_valid():
            text = search.cleaned_data["q"].strip()
            text_searched = bool(text)
            if text:
                # Within the proposal's area, which the indexes of interviews.area_search know.
                quote_match = area_substring("quote", proposal.area_id, text)
                if audience is not Audience.INTERNAL:
                    # A quote the user may not read must not be found by guessing its words.
                    quote_match &= ~Q(interview__consent=QuoteConsent.INTERNAL_ONLY)
                results = results.filter(
                    area_substring("text", proposal.area_id, text) | quote_match
                )
            if search.cleaned_data["type"]:
                results = results.filter(type=search.cleaned_data["type"])
        else:
            results, status = results.none(), 400
        if text_searched:
            # Answered from the area's trigram indexes on text and quote (interviews.area_search): an
            # ordering the area's index cannot give, and an exact count, keep the planner
            # from walking the whole area in index order hoping to meet a rare word early.
            results = results.order_by(Coalesce("importance", 0).desc(), *FINDING_ORDER[1:])
            paginator = Paginator(results, PAGE_SIZE)
        else:
            paginator = CappedPaginator(results, PAGE_SIZE, cap=RESULTS_CAP)
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = with_checkbox_labels(
            findings_with_quotes(page.object_list, audience), "link_label", _("Link “%(text)s”")
        )
        linked_page = Paginator(linked, PAGE_SIZE).get_page(request.GET.get("linked_page"))
        linked_page.object_list = with_checkbox_labels(
            findings_with_quotes(linked_page.object_list, audience),
            "unlink_label",
            _("Unlink “%(text)s”"),
        )
        query = request.GET.copy()
        query.pop("page", None)
        linked_query = request.GET.copy()
        linked_query.pop("linked_page", None)
        context = {
            "proposal": proposal,
            "workshop": proposal.group.workshop,
            "linked": linked_page.object_list,
            "linked_page": linked_page,
            "linked_query_string": linked_query.urlencode(),
            "search": search,
            "page_obj": page,
            "query_string": query.urlencode(),
            "form": change_form,
            "action": change_form.data.get("action") if change_form is not None else "",
            "is_internal": audience is Audience.INTERNAL,
        }
        return render(request, self.template_name, context, status=status)
