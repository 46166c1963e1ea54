from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.core.form_token_views import Confirmation, SubmitOnceMixin, render_confirmation
from smeportal.core.form_tokens import confirmed, submission_once

from .forms import PriorityAreaForm
from .models import PriorityArea
from .selectors import area_is_referenced, area_list
from .services import AreaInUseError, area_delete, area_save, area_set_archived


class AreaListView(CapabilityRequiredMixin, ListView):
    required_capability = "areas.manage"
    template_name = "areas/area_list.html"
    context_object_name = "areas"

    def get_queryset(self):
        return area_list(include_archived=True)


class AreaFormView(SubmitOnceMixin, CapabilityRequiredMixin, View):
    """Create (no slug in the URL) or edit an area."""

    required_capability = "areas.manage"
    template_name = "areas/area_form.html"

    def get_area(self) -> PriorityArea:
        slug = self.kwargs.get("slug")
        return get_object_or_404(PriorityArea, slug=slug) if slug else PriorityArea()

    def get(self, request, slug: str | None = None):
        area = self.get_area()
        form = PriorityAreaForm(instance=area)
        return render(request, self.template_name, {"form": form, "area": area})

    def post(self, request, slug: str | None = None):
        area = self.get_area()
        form = PriorityAreaForm(request.POST, instance=area)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "area": area}, status=400)
        with submission_once(request) as submission:
            area_save(area=form.instance)
            submission.lead_to(reverse("areas:list"))
        saved = _("The priority area “%(name)s” was saved.") % {"name": area.name}
        messages.success(request, saved)
        return redirect("areas:list")


class AreaArchiveView(CapabilityRequiredMixin, View):
    """Archive an area after a confirmation step; bring an archived one back at once."""

    required_capability = "areas.manage"

    def post(self, request, slug: str):
        area = get_object_or_404(PriorityArea, slug=slug)
        if request.POST.get("archived", "1") != "1":
            area_set_archived(area=area, archived=False)
            messages.success(request, _("“%(name)s” is active again.") % {"name": area.name})
            return redirect("areas:list")
        confirmation = archive_confirmation(area)
        with confirmed(request, action=confirmation.action, params=confirmation.params) as ok:
            if ok:
                area_set_archived(area=area, archived=True)
        if not ok:
            return render_confirmation(request, confirmation, hidden=[("archived", "1")])
        messages.success(request, _("“%(name)s” was archived.") % {"name": area.name})
        return redirect("areas:list")


def archive_confirmation(area: PriorityArea) -> Confirmation:
    return Confirmation(
        action="areas.archive",
        params={"area": area.pk},
        title=_("Archive priority area"),
        question=_("Do you want to archive “%(name)s”?") % {"name": area.display_name},
        consequences=[
            _("The area is hidden from new interviews, proposals and activities."),
            _("Everything already coded to it is kept, and it can be restored later."),
        ],
        confirm_label=_("Archive"),
        cancel_url=reverse("areas:list"),
        danger=False,
    )


def delete_confirmation(area: PriorityArea) -> Confirmation:
    return Confirmation(
        action="areas.delete",
        params={"area": area.pk},
        title=_("Delete priority area"),
        question=_("Do you really want to delete “%(name)s”? This cannot be undone.")
        % {"name": area.display_name},
        confirm_label=_("Delete"),
        cancel_url=reverse("areas:list"),
    )


class AreaDeleteView(CapabilityRequiredMixin, View):
    required_capability = "areas.manage"
    template_name = "areas/area_confirm_delete.html"

    def get(self, request, slug: str):
        area = get_object_or_404(PriorityArea, slug=slug)
        if area_is_referenced(area):
            return self.in_use(request, area, message=None, status=200)
        return render_confirmation(request, delete_confirmation(area), hidden=[])

    def post(self, request, slug: str):
        area = get_object_or_404(PriorityArea, slug=slug)
        if area_is_referenced(area):
            return self.in_use(request, area, message=None, status=409)
        confirmation = delete_confirmation(area)
        try:
            with confirmed(request, action=confirmation.action, params=confirmation.params) as ok:
                if ok:
                    area_delete(area=area)
        except AreaInUseError as error:
            return self.in_use(request, area, message=str(error), status=409)
        if not ok:
            return render_confirmation(request, confirmation, hidden=[])
        messages.success(request, _("“%(name)s” was deleted.") % {"name": area.name})
        return redirect("areas:list")

    def in_use(self, request, area: PriorityArea, *, message: str | None, status: int):
        """An area in use cannot be deleted: offer to archive it instead."""
        if message:
            messages.error(request, message)
        return render(request, self.template_name, {"area": area, "in_use": True}, status=status)
