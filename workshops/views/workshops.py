"""The workshop list, the workshop form and the workshop page with its results."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.areas.models import PriorityArea
from smeportal.areas.selectors import area_list
from smeportal.core.form_token_views import SubmitOnceMixin
from smeportal.core.form_tokens import submission_once

from ..choices import Actor
from ..forms import WorkshopForm
from ..models import Proposal, Workshop
from ..selectors import workshop_detail, workshop_list, workshop_proposals
from ..services import workshop_save

PAGE_SIZE = 25


def attach_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where it names one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class WorkshopListView(CapabilityRequiredMixin, View):
    required_capability = "workshops.view"

    def get(self, request):
        page = Paginator(workshop_list(), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "workshops/workshop_list.html", {"page_obj": page})


class WorkshopCreateView(SubmitOnceMixin, CapabilityRequiredMixin, View):
    required_capability = "workshops.edit"
    template_name = "workshops/workshop_form.html"

    def get(self, request):
        # Whoever sets up the workshop usually runs it too.
        form = WorkshopForm(initial={"facilitators": [request.user.pk]})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = WorkshopForm(request.POST)
        return self.save(request, form)

    def save(self, request, form: WorkshopForm, workshop: Workshop | None = None):
        if form.is_valid():
            try:
                with submission_once(request) as submission:
                    saved = workshop_save(
                        workshop=form.instance, facilitators=form.cleaned_data["facilitators"]
                    )
                    submission.lead_to(reverse("workshops:workshop_detail", args=[saved.pk]))
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(request, _("The workshop was saved."))
                return redirect("workshops:workshop_detail", pk=saved.pk)
        context = {"form": form, "workshop": workshop}
        return render(request, self.template_name, context, status=400)


class WorkshopUpdateView(WorkshopCreateView):
    def get(self, request, pk: int):
        workshop = get_object_or_404(Workshop, pk=pk)
        context = {"form": WorkshopForm(instance=workshop), "workshop": workshop}
        return render(request, self.template_name, context)

    def post(self, request, pk: int):
        workshop = get_object_or_404(Workshop, pk=pk)
        form = WorkshopForm(request.POST, instance=workshop)
        return self.save(request, form, workshop)


@dataclass
class AreaActorRow:
    """One row of the table of proposals by area and by who acts."""

    area: PriorityArea | None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Actor.values, 0))

    @property
    def cells(self) -> list[int]:
        return [self.counts[actor] for actor in Actor.values]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def proposals_by_area_and_actor(
    proposals: list[Proposal], areas: list[PriorityArea]
) -> tuple[list[AreaActorRow], AreaActorRow]:
    """Count live proposals per area and actor; every active area gets a row, even at zero.

    Computed from the proposals already loaded for the page, so it costs no query per area.
    """
    rows = {area.pk: AreaActorRow(area) for area in areas}
    totals = AreaActorRow(None)
    for proposal in proposals:
        row = rows.get(proposal.area_id)
        if row is None:  # an archived area that still has proposals
            row = rows[proposal.area_id] = AreaActorRow(proposal.area)
        row.counts[proposal.actor] += 1
        totals.counts[proposal.actor] += 1
    ordered = sorted(rows.values(), key=lambda row: (row.area.order, row.area.name))
    return ordered, totals


def rank_by_votes(proposals: list[Proposal]) -> list[Proposal]:
    """Set `rank` on each proposal (already ordered by votes); equal votes share a rank."""
    previous_votes, rank = None, 0
    for position, proposal in enumerate(proposals, start=1):
        if proposal.votes != previous_votes:
            rank, previous_votes = position, proposal.votes
        proposal.rank = rank
    return proposals


def share(part: int, total: int) -> int | None:
    return round(100 * part / total) if total else None


class WorkshopDetailView(CapabilityRequiredMixin, View):
    required_capability = "workshops.view"

    def get(self, request, pk: int):
        workshop = workshop_detail(pk)
        live = [proposal for proposal in workshop_proposals(workshop) if not proposal.is_merged]
        groups = list(workshop.groups.all())
        live_per_group: dict[int, int] = {}
        for proposal in live:
            live_per_group[proposal.group_id] = live_per_group.get(proposal.group_id, 0) + 1
        for group in groups:
            group.live_proposal_count = live_per_group.get(group.pk, 0)
        area_rows, area_totals = proposals_by_area_and_actor(live, list(area_list()))
        total = workshop.participants_total
        participants = [
            (_("From companies"), workshop.participants_companies),
            (_("From the municipality"), workshop.participants_municipality),
            (_("Others"), workshop.participants_other),
        ]
        not_stated = total - sum(count for _label, count in participants)
        if not_stated > 0:
            participants.append((_("Not stated"), not_stated))
        context = {
            "workshop": workshop,
            "groups": groups,
            "ranking": rank_by_votes(live),
            "area_rows": area_rows,
            "area_totals": area_totals,
            "actors": Actor.choices,
            "participants": [
                {"label": label, "count": count, "percent": share(count, total)}
                for label, count in participants
            ],
            "vote_total": sum(proposal.votes for proposal in live),
        }
        return render(request, "workshops/workshop_detail.html", context)
