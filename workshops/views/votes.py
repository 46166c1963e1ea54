"""Dot votes: one page with a number per live proposal, saved all at once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin

from ..forms import VotesForm
from ..models import Workshop
from ..selectors import live_proposals
from ..services import workshop_votes_save
from .workshops import attach_service_errors


def votes_proposals(workshop: Workshop) -> list:
    return list(
        live_proposals()
        .filter(group__workshop=workshop)
        .select_related("area", "group")
        .order_by("area__order", "area__name", "group__name", "title", "pk")
    )


class VotesView(CapabilityRequiredMixin, View):
    required_capability = "workshops.edit"
    template_name = "workshops/votes.html"

    def get(self, request, pk: int):
        workshop = get_object_or_404(Workshop, pk=pk)
        form = VotesForm(proposals=votes_proposals(workshop))
        return render(request, self.template_name, {"form": form, "workshop": workshop})

    def post(self, request, pk: int):
        workshop = get_object_or_404(Workshop, pk=pk)
        form = VotesForm(request.POST, proposals=votes_proposals(workshop))
        if form.is_valid():
            try:
                changed = workshop_votes_save(workshop=workshop, votes=form.votes())
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The votes were saved; %(count)s proposal got a new count.",
                        "The votes were saved; %(count)s proposals got a new count.",
                        changed,
                    )
                    % {"count": changed},
                )
                return redirect("workshops:workshop_detail", pk=workshop.pk)
        return render(request, self.template_name, {"form": form, "workshop": workshop}, status=400)
