"""Milestones (delmål) of an activity: added and marked done by editors and its contact user."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.core.form_token_views import SubmitOnceMixin
from smeportal.core.form_tokens import submission_once

from ..forms import MilestoneForm
from ..models import Activity, Milestone
from ..services import can_update_activity, milestone_save
from .plans import attach_service_errors, forget_failed_create

TEMPLATE = "actionplan/milestone_form.html"


def _saved_message(milestone: Milestone) -> str:
    if milestone.is_done:
        return _("The milestone “%(title)s” is done; it has been added to “To celebrate”.") % {
            "title": milestone.title
        }
    return _("The milestone “%(title)s” was saved.") % {"title": milestone.title}


class MilestoneCreateView(SubmitOnceMixin, CapabilityRequiredMixin, View):
    required_capability = "actionplan.view"

    def get_activity(self, request, pk: int) -> Activity:
        activity = get_object_or_404(Activity, pk=pk)
        if not can_update_activity(request.user, activity):
            raise PermissionDenied
        return activity

    def get(self, request, pk: int):
        activity = self.get_activity(request, pk)
        form = MilestoneForm(instance=Milestone(activity=activity))
        return render(request, TEMPLATE, {"form": form, "activity": activity})

    def post(self, request, pk: int):
        activity = self.get_activity(request, pk)
        form = MilestoneForm(request.POST, instance=Milestone(activity=activity))
        if form.is_valid():
            try:
                with submission_once(request) as submission:
                    milestone = milestone_save(milestone=form.instance)
                    submission.lead_to(reverse("actionplan:activity_detail", args=[activity.pk]))
            except ValidationError as error:
                forget_failed_create(form.instance)
                attach_service_errors(form, error)
            else:
                messages.success(request, _saved_message(milestone))
                return redirect("actionplan:activity_detail", pk=activity.pk)
        return render(request, TEMPLATE, {"form": form, "activity": activity}, status=400)


class MilestoneUpdateView(CapabilityRequiredMixin, View):
    """Edit a milestone, or (POST with `mark_done`) mark it done from the activity page."""

    required_capability = "actionplan.view"

    def get_milestone(self, request, pk: int) -> Milestone:
        milestone = get_object_or_404(Milestone.objects.select_related("activity"), pk=pk)
        if not can_update_activity(request.user, milestone.activity):
            raise PermissionDenied
        return milestone

    def get(self, request, pk: int):
        milestone = self.get_milestone(request, pk)
        context = {
            "form": MilestoneForm(instance=milestone),
            "activity": milestone.activity,
            "milestone": milestone,
        }
        return render(request, TEMPLATE, context)

    def post(self, request, pk: int):
        milestone = self.get_milestone(request, pk)
        activity = milestone.activity
        if request.POST.get("mark_done"):
            if milestone.is_done:
                messages.info(
                    request,
                    _("The milestone “%(title)s” was already done.") % {"title": milestone.title},
                )
            else:
                milestone.is_done = True
                milestone_save(milestone=milestone)
                messages.success(request, _saved_message(milestone))
            return redirect("actionplan:activity_detail", pk=activity.pk)
        form = MilestoneForm(request.POST, instance=self.get_milestone(request, pk))
        if form.is_valid():
            try:
                saved = milestone_save(milestone=form.instance)
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(request, _saved_message(saved))
                return redirect("actionplan:activity_detail", pk=activity.pk)
        context = {"form": form, "activity": activity, "milestone": milestone}
        return render(request, TEMPLATE, context, status=400)
