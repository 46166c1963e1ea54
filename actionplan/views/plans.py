"""The action plan overview, and the forms for plans and goals."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.accounts.roles import has_capability
from smeportal.core.form_token_views import SubmitOnceMixin
from smeportal.core.form_tokens import submission_once
from smeportal.core.views import HistorySubject, history_response

from ..forms import GoalForm, PlanFilterForm, PlanForm
from ..models import ActionPlan, Goal
from ..selectors import (
    current_plan_among,
    goal_for_edit,
    plan_activity_facts,
    plan_list,
    progress_of_facts,
    shows_staff_names,
)
from ..selectors_plan import (
    active_areas,
    goals_by_area,
    overview_activities,
    overview_rows,
    plan_goals,
)
from ..selectors_plan import plans as overview_plans
from ..services import goal_save, plan_save

FILTER_FIELDS = ("area", "status", "overdue")
# Activities a page of the plan overview (25, as the other lists).
PAGE_SIZE = 25
# An id has at most 19 digits (2**63 - 1); int() refuses more than 4,300, so a longer "id" in
# a query string is rejected before it is converted.
MAX_ID_DIGITS = 19


def attach_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where it names one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def forget_failed_create(instance) -> None:
    """After a rolled-back create the instance still carries its id; make it new again."""
    instance.pk = None
    instance._state.adding = True


def plan_overview_url(plan: ActionPlan) -> str:
    return f"{reverse('actionplan:plan_overview')}?plan={plan.pk}"


def _plan_from_query(request, plans: list[ActionPlan]) -> ActionPlan | None:
    """The plan asked for with ?plan=<id> (404 when unknown), else the current plan; `plans`
    are all plans (plan_list())."""
    wanted = request.GET.get("plan", "").strip()
    if not wanted:
        return current_plan_among(plans)
    if not wanted.isdecimal() or len(wanted) > MAX_ID_DIGITS:  # not isdigit: int() refuses "²"
        raise Http404
    for plan in plans:
        if plan.pk == int(wanted):
            return plan
    raise Http404


class PlanOverviewView(CapabilityRequiredMixin, View):
    """The current plan: its goals per area and the table of activities with progress."""

    required_capability = "actionplan.view"

    def get(self, request):
        plans = overview_plans()
        plan = _plan_from_query(request, plans)
        is_filtered = any(request.GET.get(name) for name in FILTER_FIELDS)
        form = PlanFilterForm(request.GET if is_filtered else None, areas=active_areas())
        status = 200
        context = {
            "plan": plan,
            "plans": plans if plan else [],
            "form": form,
            "is_filtered": is_filtered,
            "can_edit": has_capability(request.user, "actionplan.edit"),
            "show_names": shows_staff_names(request.user),
        }
        if plan is not None:
            today = timezone.localdate()
            # Every activity of the plan, as the roll-up of progress reads them: the table's
            # rows are filtered and paged from them, and its page read by id.
            facts = plan_activity_facts(plan.pk)
            progress = progress_of_facts(facts)
            total, overdue = progress.totals(today)
            rows = facts
            if form.is_bound:
                if form.is_valid():
                    area = form.cleaned_data["area"]
                    rows = overview_rows(
                        facts,
                        today=today,
                        plan_id=plan.pk,
                        area_id=area.pk if area else None,
                        status=form.cleaned_data["status"],
                        overdue_only=form.cleaned_data["overdue"],
                    )
                else:
                    rows, status = [], 400
            page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
            page.object_list = overview_activities(
                [row[0] for row in page.object_list], progress, today
            )
            query = request.GET.copy()
            query.pop("page", None)
            goals = plan_goals(plan.pk)
            context.update(
                {
                    "goals": goals,
                    "goal_groups": goals_by_area(goals),
                    "page_obj": page,
                    "activities": page.object_list,
                    "activity_total": total,
                    "overdue_count": overdue,
                    "query_string": query.urlencode(),
                }
            )
        return render(request, "actionplan/plan_overview.html", context, status=status)


class PlanCreateView(SubmitOnceMixin, CapabilityRequiredMixin, View):
    required_capability = "actionplan.edit"
    template_name = "actionplan/plan_form.html"

    def get(self, request):
        year = timezone.localdate().year
        form = PlanForm(initial={"start_year": year, "end_year": year + 3})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        return self.save(request, PlanForm(request.POST))

    def save(self, request, form: PlanForm, plan: ActionPlan | None = None):
        if form.is_valid():
            try:
                with submission_once(request) as submission:
                    saved = plan_save(plan=form.instance)
                    submission.lead_to(plan_overview_url(saved))
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(request, _("The action plan was saved."))
                return redirect(plan_overview_url(saved))
        return render(request, self.template_name, {"form": form, "plan": plan}, status=400)


class PlanUpdateView(PlanCreateView):
    def get(self, request, pk: int):
        plan = get_object_or_404(ActionPlan, pk=pk)
        return render(request, self.template_name, {"form": PlanForm(instance=plan), "plan": plan})

    def post(self, request, pk: int):
        plan = get_object_or_404(ActionPlan, pk=pk)
        return self.save(request, PlanForm(request.POST, instance=plan), plan)


class GoalCreateView(SubmitOnceMixin, CapabilityRequiredMixin, View):
    required_capability = "actionplan.edit"
    template_name = "actionplan/goal_form.html"

    def get(self, request):
        plan = _plan_from_query(request, list(plan_list()))
        initial = {"plan": plan.pk if plan else None}
        area = request.GET.get("area", "")
        if area.isdecimal() and len(area) <= MAX_ID_DIGITS:
            initial["area"] = int(area)
        return render(request, self.template_name, {"form": GoalForm(initial=initial)})

    def post(self, request):
        return self.save(request, GoalForm(request.POST))

    def save(self, request, form: GoalForm, goal: Goal | None = None):
        if form.is_valid():
            try:
                with submission_once(request) as submission:
                    saved = goal_save(
                        goal=form.instance, indicators=form.cleaned_data["indicators"]
                    )
                    submission.lead_to(plan_overview_url(saved.plan))
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(request, _("The goal “%(title)s” was saved.") % {"title": saved})
                return redirect(plan_overview_url(saved.plan))
        return render(request, self.template_name, {"form": form, "goal": goal}, status=400)


class GoalUpdateView(GoalCreateView):
    def get(self, request, pk: int):
        goal = goal_for_edit(pk)
        return render(request, self.template_name, {"form": GoalForm(instance=goal), "goal": goal})

    def post(self, request, pk: int):
        goal = goal_for_edit(pk)
        return self.save(request, GoalForm(request.POST, instance=goal), goal)


def staff_history_response(request, subject: Callable[[], HistorySubject]):
    """A history page of the plan (an activity's, an indicator's). Who changed what names staff,
    so the council, which follows the plan without names, gets 403 before anything is read."""
    if not shows_staff_names(request.user):
        raise PermissionDenied
    return history_response(request, subject())
