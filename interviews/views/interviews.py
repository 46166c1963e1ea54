from __future__ import annotations

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.core.chain import with_progress
from smeportal.core.form_token_views import SubmitOnceMixin
from smeportal.core.form_tokens import submission_once
from smeportal.core.model_choices import choice_objects_known
from smeportal.core.pagination import COUNT_CAP, CappedPaginator, CountedPaginator
from smeportal.core.row_counts import table_row_count
from smeportal.core.views import HistorySubject, history_response

from ..consent import Audience, visible_quote
from ..filters import InterviewFilter
from ..finding_rows import finding_rows
from ..forms import (
    CompanyChoiceForm,
    FindingFormSet,
    FollowUpForm,
    InterviewForm,
    finding_initial,
)
from ..models import Company, Finding, Interview
from ..selectors import (
    areas_to_filter_by,
    company_list,
    company_recent_interview,
    interview_detail,
    interview_list_rows,
    interview_title_values,
    interview_with_company,
    interviewers_to_choose,
)
from ..services import (
    FindingChange,
    InterviewConflictError,
    InterviewInput,
    follow_up_default_due_date,
    interview_create,
    interview_update,
)
from .companies import MAX_SEARCH_LENGTH

PAGE_SIZE = 25
# A filtered or searched list is counted and paged up to this many interviews.
FILTERED_CAP = COUNT_CAP
# The company step of a new interview lists at most this many matches of its search.
PICK_LIMIT = 50


def _narrowed(filterset: InterviewFilter) -> bool:
    """True when a filter or a search narrows the list (the order alone does not)."""
    return any(
        value not in (None, "", [])
        for name, value in filterset.form.cleaned_data.items()
        if name != "sort"
    )


class InterviewListView(CapabilityRequiredMixin, View):
    required_capability = "interviews.view"

    def get(self, request):
        filterset = InterviewFilter(request.GET or None, queryset=Interview.objects.all())
        # The choices of the areas and the interviewers, read once each (compiled): they are
        # the options, and the check of a chosen one.
        choice_objects_known(filterset.form.fields["area"], areas_to_filter_by())
        choice_objects_known(filterset.form.fields["interviewer"], interviewers_to_choose(None))
        valid = filterset.is_valid() if filterset.is_bound else True
        interviews = filterset.qs if valid else Interview.objects.none()
        # Page through bare ids (an index serves the order), then load the page's rows.
        ids = interviews.values_list("pk", flat=True)
        if filterset.is_bound and valid and filterset.form.cleaned_data.get("q"):
            # A text search: the page's ids walk the date index and stop at the page, and the
            # count up to the cap, in no order, is left to the planner (the search index for a
            # word in a few per cent of the interviews, the first table pages for a common
            # one). Read as one, the cap's ids in date order walked 6,000 interviews to find
            # 251 for a word in 4% of them: 14 ms at scale, against 2 + 2.
            paginator = CappedPaginator(ids, PAGE_SIZE, cap=FILTERED_CAP)
        elif filterset.is_bound and valid and _narrowed(filterset):
            # A filter may match most of 100,000 interviews, spread over the whole table:
            # counting them exactly costs more than the page (0.1-0.7 s for an area or a
            # type); up to the cap it is a few index steps. The pages lie within the cap, so
            # the ids of the first cap + 1 matches, read in one query, give both the count
            # and the page's rows.
            first_ids = functools.cache(lambda: list(ids[: FILTERED_CAP + 1]))
            paginator = CappedPaginator(
                None,
                PAGE_SIZE,
                cap=FILTERED_CAP,
                rows=lambda start, stop: first_ids()[start:stop],
                counted=lambda limit: len(first_ids()[:limit]),
            )
        else:
            # The whole list: the number the database keeps, not a count of 100,000 rows (the
            # empty list of invalid filters counts nothing).
            paginator = CountedPaginator(
                ids, PAGE_SIZE, count=table_row_count(Interview) if valid else None
            )
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = interview_list_rows(list(page.object_list))
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "filter": filterset,
            "page_obj": page,
            "query_string": query.urlencode(),
        }
        return render(
            request, "interviews/interview_list.html", context, status=200 if valid else 400
        )


def _finding_changes(formset) -> list[FindingChange]:
    changes = []
    for form in formset.forms:
        if not form.has_changed():
            continue
        data = {
            name: value for name, value in form.cleaned_data.items() if name not in {"id", "DELETE"}
        }
        finding = form.cleaned_data.get("id")
        changes.append(
            FindingChange(data=data, finding=finding, delete=bool(form.cleaned_data.get("DELETE")))
        )
    return changes


def _interview_input(form: InterviewForm, formset) -> InterviewInput:
    return InterviewInput(
        fields=form.model_fields(),
        interviewers=form.cleaned_data["interviewers"],
        interviewees=form.cleaned_data["interviewees"],
        findings=_finding_changes(formset),
        results_consents=form.cleaned_data.get("results_consents") or (),
    )


def _attach_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _saved(request, interview: Interview):
    messages.success(request, _("The interview was saved."))
    if request.POST.get("add_more"):
        return redirect("interviews:interview_update", pk=interview.pk)
    return redirect("interviews:interview_detail", pk=interview.pk)


class InterviewCreateView(SubmitOnceMixin, CapabilityRequiredMixin, View):
    """A new interview for a company: chosen by ?company= (a link from the company page)."""

    required_capability = "interviews.edit"
    template_name = "interviews/interview_form.html"

    def get_company(self, request) -> Company | None:
        company_id = request.GET.get("company") or request.POST.get("company")
        if not company_id:
            return None
        choice = CompanyChoiceForm({"company": company_id})
        if not choice.is_valid():
            return None
        return choice.cleaned_data["company"]

    def get(self, request):
        company = self.get_company(request)
        if company is None:
            return self.render_pick(
                request,
                CompanyChoiceForm(request.GET if "company" in request.GET else None),
                status=400 if request.GET.get("company") else 200,
            )
        form = InterviewForm(company=company, initial={"interviewers": [request.user]})
        formset = FindingFormSet(prefix="findings")
        return self.render_form(request, company, form, formset)

    def post(self, request):
        company = self.get_company(request)
        if company is None:
            return self.render_pick(request, CompanyChoiceForm(request.POST), status=400)
        form = InterviewForm(request.POST, company=company)
        formset = FindingFormSet(request.POST, prefix="findings")
        if form.is_valid() and formset.is_valid():
            try:
                with submission_once(request) as submission:
                    interview = interview_create(
                        user=request.user, company=company, data=_interview_input(form, formset)
                    )
                    submission.lead_to(reverse("interviews:interview_detail", args=[interview.pk]))
            except ValidationError as error:
                _attach_service_errors(form, error)
            else:
                return _saved(request, interview)
        return self.render_form(request, company, form, formset, status=400)

    def render_pick(self, request, form, status: int):
        """Step one: which company? A search and the first matches, as links (the whole
        register, 20,000 companies at scale, would not fit a page)."""
        search = request.GET.get("q", "").replace("\x00", "")[:MAX_SEARCH_LENGTH]
        matches = list(company_list(search)[: PICK_LIMIT + 1])
        context = {
            "form": form,
            "q": search,
            "companies": matches[:PICK_LIMIT],
            "more_companies": len(matches) > PICK_LIMIT,
            "pick_limit": PICK_LIMIT,
        }
        return render(request, "interviews/interview_pick_company.html", context, status=status)

    def render_form(self, request, company, form, formset, status=200, **extra):
        if formset.is_bound and not formset.is_valid():
            # The error summary lists the interview form's errors; name the findings' too.
            form.add_error(None, _("One or more findings have errors; they are marked below."))
        context = {
            "company": company,
            "form": form,
            "formset": formset,
            # Read here, not in the template: a template's formset.x tries formset["x"] first,
            # which builds every row's form (formsets index their forms).
            "management_form": formset.management_form,
            "non_form_errors": formset.non_form_errors(),
            "finding_rows": finding_rows(formset),
            # Shown on a new interview only: no query for an interview being edited.
            "recent_interview": None if "interview" in extra else company_recent_interview(company),
            **extra,
        }
        return render(request, self.template_name, context, status=status)


class InterviewUpdateView(InterviewCreateView):
    def get(self, request, pk: int):
        interview = interview_with_company(pk)
        form = InterviewForm(instance=interview, company=interview.company)
        formset = FindingFormSet(
            prefix="findings", initial=finding_initial(interview), interview=interview
        )
        return self.render_form(request, interview.company, form, formset, interview=interview)

    def post(self, request, pk: int):
        interview = get_object_or_404(Interview.objects.select_related("company"), pk=pk)
        form = InterviewForm(request.POST, instance=interview, company=interview.company)
        formset = FindingFormSet(
            request.POST, prefix="findings", initial=finding_initial(interview), interview=interview
        )
        if form.is_valid() and formset.is_valid():
            try:
                interview_update(
                    interview=interview,
                    expected_version=form.cleaned_data["version"],
                    data=_interview_input(form, formset),
                    user=request.user,
                )
            except InterviewConflictError as conflict:
                return self.render_conflict(request, conflict.current, form, formset)
            except ValidationError as error:
                _attach_service_errors(form, error)
            else:
                return _saved(request, interview)
        return self.render_form(
            request, interview.company, form, formset, status=400, interview=interview
        )

    def render_conflict(self, request, current: Interview, form, formset):
        """Keep what the user typed, show what the colleague saved, and let them save again."""
        latest = current.history.select_related("history_user").first()
        data = request.POST.copy()
        data["version"] = current.version
        form = InterviewForm(
            data, instance=Interview.objects.get(pk=current.pk), company=current.company
        )
        form.is_valid()
        return self.render_form(
            request,
            current.company,
            form,
            formset,
            status=409,
            interview=current,
            conflict={
                "who": latest.history_user if latest else None,
                "when": latest.history_date if latest else current.updated_at,
                "current": current,
            },
        )


class InterviewHistoryView(CapabilityRequiredMixin, View):
    """The interview's changes and its findings', a page at a time."""

    required_capability = "interviews.view"

    def get(self, request, pk: int):
        date, company_name = interview_title_values(pk)
        return history_response(
            request,
            HistorySubject(
                title=_("Interview with %(company)s %(date)s")
                % {"company": company_name, "date": f"{date:%Y-%m-%d}"},
                back_url=reverse("interviews:interview_detail", args=[pk]),
                sources=[Interview.history.filter(id=pk), Finding.history.filter(interview_id=pk)],
            ),
        )


class InterviewDetailView(CapabilityRequiredMixin, View):
    required_capability = "interviews.view"

    def get(self, request, pk: int):
        detail = interview_detail(pk)
        next_activities = []
        for finding in detail.findings:
            finding.visible_quote = visible_quote(
                finding, Audience.INTERNAL, detail.interviewee_names
            )
            for proposal in finding.proposals:
                next_activities.extend(proposal.next_activities)
        with_progress(next_activities)
        follow_up_form = FollowUpForm(
            initial={
                "owner": request.user,
                "flag": "rod",
                "due_date": follow_up_default_due_date("rod"),
            }
        )
        # Its owners to choose from, read by a compiled query (a chosen one is still checked
        # against the form's queryset when the flag is raised).
        choice_objects_known(follow_up_form.fields["owner"], interviewers_to_choose(None))
        context = {
            "interview": detail.interview,
            "detail": detail,
            "findings": detail.findings,
            "findings_by_area": detail.findings_by_area(),
            "follow_up_form": follow_up_form,
        }
        return render(request, "interviews/interview_detail.html", context)
