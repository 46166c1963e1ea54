from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.accounts.roles import has_capability
from smeportal.core.form_token_views import SubmitOnceMixin
from smeportal.core.form_tokens import submission_once

from ..choices import FollowUpStatus
from ..forms import FollowUpForm
from ..models import FollowUp, Interview
from ..selectors import (
    done_follow_ups_for_owner,
    interviewer_choices,
    open_follow_ups_for_owner,
    open_follow_ups_of_team,
)
from ..services import follow_up_create, follow_up_update, follow_ups_bulk_update

PAGE_SIZE = 25
# "Recently done" shows this many; older ones stay on their interviews' pages.
DONE_SHOWN = 20


def _attach(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class MyFollowUpListView(CapabilityRequiredMixin, View):
    """Mina uppföljningar: the user's own, open and overdue first.

    The open ones are paginated and the done ones capped, so the page stays the same size
    whatever a user has collected over the years.
    """

    required_capability = "followups.view"

    def get(self, request):
        today = timezone.localdate()
        open_follow_ups = open_follow_ups_for_owner(request.user)
        page = Paginator(open_follow_ups, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        done = list(done_follow_ups_for_owner(request.user)[:DONE_SHOWN])
        for follow_up in [*page.object_list, *done]:
            follow_up.overdue = follow_up.is_overdue(today)
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "page_obj": page,
            "open_follow_ups": page.object_list,
            "done_follow_ups": done,
            "overdue_count": open_follow_ups.filter(due_date__lt=today).count(),
            "query_string": query.urlencode(),
        }
        return render(request, "interviews/followup_list.html", context)


class TeamFollowUpForm(forms.Form):
    """Which follow-ups of the page, and what to do with them: close them, or give them to
    another owner."""

    follow_ups = forms.ModelMultipleChoiceField(
        queryset=FollowUp.objects.none(),
        label=gettext_lazy("Follow-ups"),
        error_messages={"required": gettext_lazy("Tick the follow-ups to change.")},
    )
    action = forms.ChoiceField(
        choices=[("close", gettext_lazy("Mark as done")), ("reassign", gettext_lazy("Give to"))],
        label=gettext_lazy("Action"),
    )
    owner = forms.ModelChoiceField(
        queryset=FollowUp.objects.none(), required=False, label=gettext_lazy("New owner")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_ups"].queryset = FollowUp.objects.exclude(status=FollowUpStatus.DONE)
        self.fields["owner"].queryset = interviewer_choices()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reassign" and not cleaned.get("owner"):
            self.add_error("owner", _("Choose whom to give the follow-ups to."))
        return cleaned


class TeamFollowUpListView(CapabilityRequiredMixin, View):
    """Everyone's open follow-ups, by owner (or one owner's), with several closed or given to
    another owner at once."""

    required_capability = "followups.view"
    template_name = "interviews/followup_team.html"

    def get(self, request):
        return self.render_page(request, TeamFollowUpForm())

    def post(self, request):
        if not has_capability(request.user, "interviews.edit"):
            raise PermissionDenied
        form = TeamFollowUpForm(request.POST)
        if form.is_valid():
            chosen = list(form.cleaned_data["follow_ups"])
            try:
                count = follow_ups_bulk_update(
                    follow_ups=chosen,
                    close=form.cleaned_data["action"] == "close",
                    owner=form.cleaned_data["owner"]
                    if form.cleaned_data["action"] == "reassign"
                    else None,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s follow-up was changed.",
                        "%(count)s follow-ups were changed.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect(request.get_full_path())
        return self.render_page(request, form, status=400)

    def render_page(self, request, form, status: int = 200):
        today = timezone.localdate()
        owners = list(interviewer_choices())
        owner = next((u for u in owners if str(u.pk) == request.GET.get("agare", "")), None)
        page = Paginator(open_follow_ups_of_team(owner), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        page.object_list = list(page.object_list)
        for follow_up in page.object_list:
            follow_up.overdue = follow_up.is_overdue(today)
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "page_obj": page,
            "follow_ups": page.object_list,
            "owners": owners,
            "owner": owner,
            "query_string": query.urlencode(),
            "can_change": has_capability(request.user, "interviews.edit"),
            # What was ticked before a refused change stays ticked.
            "chosen": set(request.POST.getlist("follow_ups")),
        }
        return render(request, self.template_name, context, status=status)


class FollowUpCreateView(SubmitOnceMixin, CapabilityRequiredMixin, View):
    required_capability = "interviews.edit"
    template_name = "interviews/followup_form.html"

    def get(self, request, pk: int):
        interview = get_object_or_404(Interview.objects.select_related("company"), pk=pk)
        form = FollowUpForm(initial={"owner": request.user})
        return render(request, self.template_name, {"form": form, "interview": interview})

    def post(self, request, pk: int):
        interview = get_object_or_404(Interview.objects.select_related("company"), pk=pk)
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                with submission_once(request) as submission:
                    follow_up_create(interview=interview, follow_up=form.instance)
                    submission.lead_to(reverse("interviews:interview_detail", args=[interview.pk]))
            except ValidationError as error:
                _attach(form, error)
            else:
                messages.success(
                    request,
                    _("The flag was raised and %(owner)s owns it.")
                    % {"owner": form.instance.owner},
                )
                return redirect("interviews:interview_detail", pk=interview.pk)
        return render(
            request, self.template_name, {"form": form, "interview": interview}, status=400
        )


class FollowUpUpdateView(CapabilityRequiredMixin, View):
    required_capability = "interviews.edit"
    template_name = "interviews/followup_form.html"

    def get_follow_up(self, pk: int) -> FollowUp:
        return get_object_or_404(FollowUp.objects.select_related("interview__company"), pk=pk)

    def get(self, request, pk: int):
        follow_up = self.get_follow_up(pk)
        return render(
            request,
            self.template_name,
            {
                "form": FollowUpForm(instance=follow_up),
                "interview": follow_up.interview,
                "follow_up": follow_up,
            },
        )

    def post(self, request, pk: int):
        follow_up = self.get_follow_up(pk)
        form = FollowUpForm(request.POST, instance=follow_up)
        if form.is_valid():
            try:
                follow_up_update(follow_up=form.instance)
            except ValidationError as error:
                _attach(form, error)
            else:
                messages.success(request, _("The follow-up was saved."))
                next_url = request.POST.get("next")
                if next_url == "mine":
                    return redirect("interviews:followup_list")
                return redirect("interviews:interview_detail", pk=follow_up.interview_id)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "interview": follow_up.interview,
                "follow_up": follow_up,
            },
            status=400,
        )
