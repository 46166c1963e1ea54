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
from smeportal.core.form_token_views import SubmitOnceMixin
from smeportal.core.form_tokens import submission_once

from ..choices import Actor, ProposalStatus, choice_labels
from ..forms import WorkshopForm
from ..models import Proposal, Workshop
from ..selectors import (
    RANKING_PAGE_SIZE,  # noqa: F401 - where the tests read it
    every_area,
    ranked_proposals,
    ranking_page,
    workshop_facilitators,
    workshop_groups,
    workshop_list,
    workshop_page,
    workshop_proposal_counts,
)
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
                        workshop=form.instance,
                        facilitators=form.cleaned_data["facilitators"],
                        group_per_area=form.cleaned_data.get("group_per_area", False),
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
    counts: list[tuple[PriorityArea, str, int]], areas: list[PriorityArea]
) -> tuple[list[AreaActorRow], AreaActorRow]:
    """Live proposals per area and actor from (area, actor, number) counts; every active area
    gets a row, even at zero."""
    rows = {area.pk: AreaActorRow(area) for area in areas}
    totals = AreaActorRow(None)
    for area, actor, number in counts:
        row = rows.get(area.pk)
        if row is None:  # an archived area that still has proposals
            row = rows[area.pk] = AreaActorRow(area)
        row.counts[actor] += number
        totals.counts[actor] += number
    ordered = sorted(rows.values(), key=lambda row: (row.area.order, row.area.name))
    return ordered, totals


def rank_by_votes(proposals: list[Proposal], *, offset: int = 0, first_rank: int = 1):
    """Set `rank` on each proposal (already ordered by votes); equal votes share a rank.

    For a later page, `offset` is the position before its first row and `first_rank` that
    row's rank (one more than the number of proposals with more votes).
    """
    previous_votes, rank = None, first_rank
    for position, proposal in enumerate(proposals, start=offset + 1):
        if previous_votes is not None and proposal.votes != previous_votes:
            rank = position
        previous_votes = proposal.votes
        proposal.rank = rank
    return proposals


def with_labels(proposals: list[Proposal]) -> list[Proposal]:
    """Set `actor_label` and `status_label` on each proposal (see choice_labels)."""
    actors, statuses = choice_labels(Actor), choice_labels(ProposalStatus)
    for proposal in proposals:
        proposal.actor_label = actors.get(proposal.actor, proposal.actor)
        proposal.status_label = statuses.get(proposal.status, proposal.status)
    return proposals


def share(part: int, total: int) -> int | None:
    return round(100 * part / total) if total else None


class WorkshopDetailView(CapabilityRequiredMixin, View):
    required_capability = "workshops.view"

    def get(self, request, pk: int):
        workshop = workshop_page(pk)
        # Every area, archived ones too (a workshop may have proposals in an area since
        # archived): the tables take their areas from here rather than joining them.
        areas = every_area()
        areas_by_id = {area.pk: area for area in areas}
        groups = workshop_groups(workshop, areas_by_id)
        # The ranking, without what only the merge page shows (findings, survivors).
        page = ranking_page(
            workshop,
            request.GET.get("page"),
            count=sum(group.live_proposal_count for group in groups),
            groups=groups,
            areas=areas_by_id,
        )
        ranking = with_labels(list(page.object_list))
        first_rank = 1
        if ranking and page.number > 1:
            first_rank = 1 + (
                ranked_proposals(workshop.pk).filter(votes__gt=ranking[0].votes).count()
            )
        rank_by_votes(ranking, offset=page.start_index() - 1, first_rank=first_rank)
        counts = workshop_proposal_counts(workshop, areas_by_id)
        area_rows, area_totals = proposals_by_area_and_actor(
            counts.by_area_and_actor, [area for area in areas if not area.is_archived]
        )
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
            "facilitators": workshop_facilitators(workshop),
            "groups": groups,
            "ranking": ranking,
            "page_obj": page,
            "area_rows": area_rows,
            "area_totals": area_totals,
            "actors": Actor.choices,
            "participants": [
                {"label": label, "count": count, "percent": share(count, total)}
                for label, count in participants
            ],
            "vote_total": counts.vote_total,
        }
        return render(request, "workshops/workshop_detail.html", context)
