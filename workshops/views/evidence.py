"""Linking a proposal to the interview findings it answers (plain forms; no JavaScript needed)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from interviews.consent import Audience, audience_for
from interviews.selectors import finding_list
from smeportal.accounts.permissions import CapabilityRequiredMixin

from ..forms_proposals import EvidenceChangeForm, EvidenceSearchForm
from ..models import Proposal
from ..selectors import (
    EVIDENCE_CAP,
    EVIDENCE_PAGE_SIZE,
    evidence_search_page,
    linked_findings_page,
    proposal_page,
    unlinked_findings_page,
)
from ..services import evidence_link, evidence_unlink
from .proposals import (
    attach_service_errors,
    finding_rows,
    merged_message,
    proposal_for_page,
)

PAGE_SIZE = EVIDENCE_PAGE_SIZE
# The search results are counted and paged up to this many; narrow the search then.
RESULTS_CAP = EVIDENCE_CAP


def with_checkbox_labels(findings: list, label: str) -> list:
    """Set each finding's `check_label`: its checkbox's label, `label` % the start of its text.

    Made here rather than by a {% blocktranslate %} per row in the template, which with the
    truncation was a fifth of the page's rendering.
    """
    for finding in findings:
        finding.check_label = label % {"text": Truncator(finding.text).chars(60)}
    return findings


class EvidenceView(CapabilityRequiredMixin, View):
    required_capability = "proposals.link_evidence"
    template_name = "workshops/evidence.html"

    def get(self, request, pk: int):
        return self.render_page(request, proposal_page(pk), change_form=None)

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
        internal = audience is Audience.INTERNAL
        search = EvidenceSearchForm(request.GET)
        number = request.GET.get("page")
        if not search.is_valid():
            page, status = Paginator([], PAGE_SIZE).get_page(1), 400
        elif text := search.cleaned_data["q"].strip():
            page = evidence_search_page(
                proposal.area_id,
                proposal.pk,
                text,
                number,
                internal=internal,
                finding_type=search.cleaned_data["type"],
            )
        else:
            page = unlinked_findings_page(
                proposal.area_id,
                proposal.pk,
                number,
                internal=internal,
                finding_type=search.cleaned_data["type"],
            )
        page.object_list = with_checkbox_labels(
            finding_rows(page.object_list, audience), _("Link “%(text)s”")
        )
        linked_page = linked_findings_page(
            proposal.pk, request.GET.get("linked_page"), internal=internal
        )
        linked_page.object_list = with_checkbox_labels(
            finding_rows(linked_page.object_list, audience), _("Unlink “%(text)s”")
        )
        query = request.GET.copy()
        query.pop("page", None)
        linked_query = request.GET.copy()
        linked_query.pop("linked_page", None)
        context = {
            "proposal": proposal,
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
