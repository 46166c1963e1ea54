"""Fast entry of a group's proposals during the session, one after another on a tablet.

With htmx the form posts in place and the answer is a fragment of the same template: a fresh
form plus the updated list. Without JavaScript the same form posts normally and the page
redirects back to itself (Post/Redirect/Get).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.core.form_tokens import FormAlreadySubmitted, submission_once

from ..forms import FastEntryForm
from ..models import Proposal, WorkshopGroup
from ..services import proposal_create
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


class FastEntryView(CapabilityRequiredMixin, View):
    # The page exists to add proposals, so readers do not get it at all.
    required_capability = "workshops.edit"

    def get(self, request, pk: int):
        group = group_for_entry(pk)
        return render(request, TEMPLATE, entry_context(group, FastEntryForm(group=group)))

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
                messages.success(
                    request, _("The proposal “%(title)s” was added.") % {"title": proposal.title}
                )
                return redirect("workshops:fast_entry", pk=group.pk)
        context = entry_context(group, form)
        if request.htmx:
            # 200, not 400: htmx does not swap error responses by default, and the fragment
            # with the errors is what the facilitator needs to see.
            return render(request, f"{TEMPLATE}#fast-entry-form", context)
        return render(request, TEMPLATE, context, status=400)
