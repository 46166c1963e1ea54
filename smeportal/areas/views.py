from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from smeportal.accounts.permissions import CapabilityRequiredMixin

from .forms import PriorityAreaForm
from .models import PriorityArea
from .selectors import area_list
from .services import AreaInUseError, area_delete, area_save, area_set_archived


class AreaListView(CapabilityRequiredMixin, ListView):
    required_capability = "areas.manage"
    template_name = "areas/area_list.html"
    context_object_name = "areas"

    def get_queryset(self):
        return area_list(include_archived=True)


class AreaFormView(CapabilityRequiredMixin, View):
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
        area_save(area=form.instance)
        saved = _("The priority area “%(name)s” was saved.") % {"name": area.name}
        messages.success(request, saved)
        return redirect("areas:list")


class AreaArchiveView(CapabilityRequiredMixin, View):
    required_capability = "areas.manage"

    def post(self, request, slug: str):
        area = get_object_or_404(PriorityArea, slug=slug)
        archive = request.POST.get("archived", "1") == "1"
        area_set_archived(area=area, archived=archive)
        if archive:
            messages.success(request, _("“%(name)s” was archived.") % {"name": area.name})
        else:
            messages.success(request, _("“%(name)s” is active again.") % {"name": area.name})
        return redirect("areas:list")


class AreaDeleteView(CapabilityRequiredMixin, View):
    required_capability = "areas.manage"
    template_name = "areas/area_confirm_delete.html"

    def get(self, request, slug: str):
        area = get_object_or_404(PriorityArea, slug=slug)
        return render(request, self.template_name, {"area": area})

    def post(self, request, slug: str):
        area = get_object_or_404(PriorityArea, slug=slug)
        try:
            area_delete(area=area)
        except AreaInUseError as error:
            messages.error(request, str(error))
            return render(request, self.template_name, {"area": area, "in_use": True}, status=409)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": area.name})
        return redirect("areas:list")
