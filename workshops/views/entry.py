"""Fast entry of a group's proposals during the session, one after another on a tablet.

With htmx the form posts in place and the answer is a fragment of the same template: a fresh
form plus the updated list. Without JavaScript the same form posts normally and the page
redirects back to itself (Post/Redirect/Get).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.core.form_tokens import FormAlreadySubmitted, submission_once

from ..forms import FastEntryForm
from ..models import Proposal, WorkshopGroup
from ..services import proposal_create, proposal_undo_add, proposal_undo_refusal
from .workshops import attach_service_errors

TEMPLATE = "workshops/fast_entry.html"


def group_for_entry(pk: int) -> WorkshopGroup:
    return get_object_or_404(WorkshopGroup.objects.select_related("workshop", "area"), pk=pk)


def entry_context(group: WorkshopGroup, form: FastEntryForm, added: Proposal | None = None):
    proposals = group.proposals.select_related("area").order_by("-created_at", "-pk")
    return {
        "group": group,
        "workshop": group.workshop,
        "form": form,
        "proposals": proposals,
        "added": added,
    }


def _just_added(request, group: WorkshopGroup) -> Proposal | None:
    """The proposal named by ?tillagt= (after an add without JavaScript), if this user added it
    to this group last and may still take it back."""
    value = request.GET.get("tillagt", "")
    if not value.isdecimal() or len(value) > 18:
        return None
    proposal = group.proposals.filter(pk=int(value)).first()
    if proposal is None or proposal_undo_refusal(proposal, request.user):
        return None
    return proposal


class FastEntryView(CapabilityRequiredMixin, View):
    # The page exists to add proposals, so readers do not get it at all.
    required_capability = "workshops.edit"

    def get(self, request, pk: int):
        group = group_for_entry(pk)
        return render(
            request,
            TEMPLATE,
            entry_context(group, FastEntryForm(group=group), added=_just_added(request, group)),
        )

    def post(self, request, pk: int):
        group = group_for_entry(pk)
        form = FastEntryForm(request.POST, group=group)
        if form.is_valid():
            try:
                with submission_once(request):
                    proposal = proposal_create(
                        group=group, proposal=form.instance, user=request.user
                    )
            except ValidationError as error:
                attach_service_errors(form, error)
            except FormAlreadySubmitted:
                # A double tap on "Add": the first one added the proposal.
                if request.htmx:
                    context = entry_context(group, FastEntryForm(group=group))
                    return render(request, f"{TEMPLATE}#fast-entry-form", context)
                return redirect("workshops:fast_entry", pk=group.pk)
            else:
                if request.htmx:
                    context = entry_context(group, FastEntryForm(group=group), added=proposal)
                    return render(request, f"{TEMPLATE}#fast-entry-added", context)
                # Without JavaScript: back to the page, which says what was added (and offers to
                # take it back) as the htmx answer does.
                url = reverse("workshops:fast_entry", args=[group.pk])
                return redirect(f"{url}?{urlencode({'tillagt': proposal.pk})}")
        context = entry_context(group, form)
        if request.htmx:
            # 200, not 400: htmx does not swap error responses by default, and the fragment
            # with the errors is what the facilitator needs to see.
            return render(request, f"{TEMPLATE}#fast-entry-form", context)
        return render(request, TEMPLATE, context, status=400)


class ProposalUndoAddView(CapabilityRequiredMixin, View):
    """Take back the proposal just added on the fast-entry page ("Ångra")."""

    required_capability = "workshops.edit"

    def post(self, request, pk: int):
        proposal = get_object_or_404(Proposal.objects.select_related("group"), pk=pk)
        group = proposal.group
        try:
            proposal_undo_add(proposal=proposal, user=request.user)
        except ValidationError as error:
            context = entry_context(group_for_entry(group.pk), FastEntryForm(group=group))
            context["undo_refused"] = " ".join(error.messages)
            return render(request, TEMPLATE, context, status=409)
        messages.success(
            request, _("The proposal “%(title)s” was taken back.") % {"title": proposal.title}
        )
        return redirect("workshops:fast_entry", pk=group.pk)
