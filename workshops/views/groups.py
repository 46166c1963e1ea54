"""Groups of a workshop: each works on one priority area."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.core.form_token_views import SubmitOnceMixin
from smeportal.core.form_tokens import submission_once

from ..forms import GroupForm
from ..models import Workshop, WorkshopGroup
from ..services import group_save
from .workshops import attach_service_errors


class GroupCreateView(SubmitOnceMixin, CapabilityRequiredMixin, View):
    required_capability = "workshops.edit"
    template_name = "workshops/group_form.html"

    def get(self, request, pk: int):
        workshop = get_object_or_404(Workshop, pk=pk)
        form = GroupForm(
            instance=WorkshopGroup(workshop=workshop), initial={"facilitator": request.user.pk}
        )
        return render(request, self.template_name, {"form": form, "workshop": workshop})

    def post(self, request, pk: int):
        workshop = get_object_or_404(Workshop, pk=pk)
        form = GroupForm(request.POST, instance=WorkshopGroup(workshop=workshop))
        return self.save(request, form, workshop)

    def save(
        self, request, form: GroupForm, workshop: Workshop, group: WorkshopGroup | None = None
    ):
        if form.is_valid():
            try:
                with submission_once(request) as submission:
                    saved = group_save(group=form.instance)
                    submission.lead_to(reverse("workshops:workshop_detail", args=[workshop.pk]))
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(
                    request, _("The group “%(name)s” was saved.") % {"name": saved.name}
                )
                if request.POST.get("add_more"):
                    return redirect("workshops:group_create", pk=workshop.pk)
                return redirect("workshops:workshop_detail", pk=workshop.pk)
        context = {"form": form, "workshop": workshop, "group": group}
        return render(request, self.template_name, context, status=400)


class GroupUpdateView(GroupCreateView):
    def get_group(self, pk: int) -> WorkshopGroup:
        return get_object_or_404(WorkshopGroup.objects.select_related("workshop"), pk=pk)

    def get(self, request, pk: int):
        group = self.get_group(pk)
        context = {"form": GroupForm(instance=group), "workshop": group.workshop, "group": group}
        return render(request, self.template_name, context)

    def post(self, request, pk: int):
        group = self.get_group(pk)
        form = GroupForm(request.POST, instance=group)
        return self.save(request, form, group.workshop, group)
