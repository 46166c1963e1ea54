"""Merging duplicate proposals of a workshop: the duplicates live on in the one kept."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.core.form_token_views import Confirmation, render_confirmation
from smeportal.core.form_tokens import confirmed

from ..choices import ProposalStatus
from ..forms_proposals import MergeForm
from ..models import Proposal, ProposalMerge, Workshop
from ..selectors import mergeable_proposals, workshop_page
from ..services import merge_undo_refusal, proposal_merge_undo, proposals_merge
from .proposals import attach_service_errors
from .workshops import with_labels


class MergeView(CapabilityRequiredMixin, View):
    required_capability = "workshops.edit"
    template_name = "workshops/merge.html"

    def get(self, request, pk: int):
        workshop = workshop_page(pk)
        return self.render_page(request, workshop, MergeForm(workshop=workshop))

    def post(self, request, pk: int):
        workshop = get_object_or_404(Workshop, pk=pk)
        form = MergeForm(request.POST, workshop=workshop)
        if form.is_valid():
            duplicates = form.duplicates()
            confirmation = merge_confirmation(workshop, form.cleaned_data["survivor"], duplicates)
            try:
                with confirmed(
                    request, action=confirmation.action, params=confirmation.params
                ) as ok:
                    if ok:
                        survivor = proposals_merge(
                            survivor=form.cleaned_data["survivor"],
                            duplicates=duplicates,
                            user=request.user,
                        )
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                if not ok:
                    return render_confirmation(request, confirmation)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s proposal was merged into “%(title)s”, which now has "
                        "%(votes)s votes.",
                        "%(count)s proposals were merged into “%(title)s”, which now has "
                        "%(votes)s votes.",
                        len(duplicates),
                    )
                    % {"count": len(duplicates), "title": survivor.title, "votes": survivor.votes},
                )
                return redirect("workshops:proposal_detail", pk=survivor.pk)
        return self.render_page(request, workshop, form, status=400)

    def render_page(self, request, workshop: Workshop, form: MergeForm, status: int = 200):
        proposals = with_labels(mergeable_proposals(workshop))
        chosen, survivor = set(), ""
        if form.is_bound:
            chosen = set(form.data.getlist("proposals"))
            survivor = form.data.get("survivor", "")
        context = {
            "workshop": workshop,
            "form": form,
            "proposals": proposals,
            "chosen": chosen,
            "survivor": survivor,
        }
        return render(request, self.template_name, context, status=status)


def merge_confirmation(
    workshop: Workshop, survivor: Proposal, duplicates: list[Proposal]
) -> Confirmation:
    """What merging does, for the facilitator to confirm; bound to exactly these proposals."""
    votes = survivor.votes + sum(proposal.votes for proposal in duplicates)
    consequences = [
        _("“%(title)s” (%(area)s, %(votes)s votes) is merged into the one kept.")
        % {"title": proposal.title, "area": proposal.area, "votes": proposal.votes}
        for proposal in duplicates
    ]
    consequences.append(
        _("“%(title)s” is kept and gets %(votes)s votes and all the evidence.")
        % {"title": survivor.title, "votes": votes}
    )
    if any(proposal.area_id != survivor.area_id for proposal in duplicates):
        consequences.append(_("Warning: the proposals belong to different priority areas."))
    if any(proposal.status == ProposalStatus.IN_PLAN for proposal in duplicates):
        consequences.append(_("Warning: a merged proposal is already in the action plan."))
    return Confirmation(
        action="workshops.merge",
        params={
            "workshop": workshop.pk,
            "survivor": survivor.pk,
            "duplicates": sorted(proposal.pk for proposal in duplicates),
        },
        title=_("Merge proposals"),
        question=_("Do you want to merge these proposals?"),
        consequences=consequences,
        confirm_label=_("Merge"),
        cancel_url=reverse("workshops:merge", args=[workshop.pk]),
        danger=False,
    )


class MergeUndoView(CapabilityRequiredMixin, View):
    """Undo a merge, after a confirmation, as long as nothing was built on its result."""

    required_capability = "workshops.edit"

    def post(self, request, pk: int):
        merge = get_object_or_404(ProposalMerge.objects.select_related("survivor"), pk=pk)
        confirmation = undo_confirmation(merge)
        try:
            with confirmed(request, action=confirmation.action, params=confirmation.params) as ok:
                if ok:
                    survivor = proposal_merge_undo(merge=merge, user=request.user)
        except ValidationError as error:
            context = {"merge": merge, "reasons": error.messages}
            return render(request, "workshops/merge_undo_refused.html", context, status=409)
        if not ok:
            refusal = merge_undo_refusal(merge)
            if refusal:
                context = {"merge": merge, "reasons": [refusal]}
                return render(request, "workshops/merge_undo_refused.html", context, status=409)
            return render_confirmation(request, confirmation)
        count = len(merge.duplicate_ids)
        messages.success(
            request,
            ngettext(
                "The merge was undone: %(count)s proposal is on its own again, and “%(title)s” "
                "has %(votes)s votes again.",
                "The merge was undone: %(count)s proposals are on their own again, and "
                "“%(title)s” has %(votes)s votes again.",
                count,
            )
            % {"count": count, "title": survivor.title, "votes": survivor.votes},
        )
        return redirect("workshops:proposal_detail", pk=survivor.pk)


def undo_confirmation(merge: ProposalMerge) -> Confirmation:
    duplicates = list(Proposal.objects.filter(pk__in=merge.duplicate_ids).order_by("title", "pk"))
    details = merge.details
    consequences = [
        _("“%(title)s” is on its own again, as it was before the merge.") % {"title": p.title}
        for p in duplicates
    ]
    consequences.append(
        _("“%(title)s” goes back to %(votes)s votes and the findings it had before.")
        % {"title": merge.survivor.title, "votes": details["votes_before"]}
    )
    if details.get("moved_links"):
        consequences.append(
            _("The activities of the action plan that had the merged proposals get them back.")
        )
    return Confirmation(
        action="workshops.merge_undo",
        params={"merge": merge.pk},
        title=_("Undo the merge"),
        question=_("Do you want to undo this merge?"),
        consequences=consequences,
        confirm_label=_("Undo the merge"),
        cancel_url=reverse("workshops:proposal_detail", args=[merge.survivor_id]),
        danger=False,
    )
