from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.core.form_token_views import SubmitOnceMixin
from smeportal.core.form_tokens import submission_once
from smeportal.core.views import HistorySubject, history_response

from ..forms import CompanyForm, ContactForm
from ..models import Company, Contact
from ..selectors import (
    company_by_organisation_number,
    company_detail,
    company_interview_facts,
    company_interviews,
    company_list,
    company_name,
    company_recent_interview,
    interview_list_rows,
    open_follow_ups_for_company,
)
from ..services import CompanyExistsError, company_save, contact_save

MAX_SEARCH_LENGTH = 200
PAGE_SIZE = 50
INTERVIEWS_PAGE_SIZE = 25


class CompanyListView(CapabilityRequiredMixin, View):
    required_capability = "interviews.view"

    def get(self, request):
        # A search is a few words: a longer one is cut (SQLite refuses LIKE patterns over
        # 50,000 bytes) and NUL is dropped (PostgreSQL refuses it in a query).
        search = request.GET.get("q", "").replace("\x00", "")[:MAX_SEARCH_LENGTH]
        page = Paginator(company_list(search), PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = company_interview_facts(list(page.object_list))
        query = request.GET.copy()
        query.pop("page", None)
        context = {"page_obj": page, "q": search, "query_string": query.urlencode()}
        return render(request, "interviews/company_list.html", context)


class CompanyCreateView(SubmitOnceMixin, CapabilityRequiredMixin, View):
    required_capability = "interviews.edit"
    template_name = "interviews/company_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": CompanyForm()})

    def post(self, request):
        form = CompanyForm(request.POST)
        if form.has_error("organisation_number", "unique") and (
            existing := company_by_organisation_number(form.instance.organisation_number)
        ):
            # One company per organisation number: show the one we already have.
            # construct_instance() has put the normalised number on the instance.
            return redirect_to_existing(request, existing)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        try:
            with submission_once(request) as submission:
                company = company_save(company=form.instance)
                submission.lead_to(reverse("interviews:company_detail", args=[company.pk]))
        except CompanyExistsError as exists:
            # A colleague saved the same organisation number a moment ago.
            return redirect_to_existing(request, exists.company)
        messages.success(request, _("The company %(name)s was created.") % {"name": company.name})
        return redirect("interviews:company_detail", pk=company.pk)


def redirect_to_existing(request, existing: Company):
    messages.info(
        request,
        _(
            "%(name)s (%(number)s) is already in the portal. Here it is; add your interview "
            "to it instead of creating it again."
        )
        % {"name": existing.name, "number": existing.organisation_number},
    )
    return redirect("interviews:company_detail", pk=existing.pk)


class CompanyUpdateView(CapabilityRequiredMixin, View):
    required_capability = "interviews.edit"
    template_name = "interviews/company_form.html"

    def get(self, request, pk: int):
        company = get_object_or_404(Company, pk=pk)
        return render(
            request, self.template_name, {"form": CompanyForm(instance=company), "company": company}
        )

    def post(self, request, pk: int):
        company = get_object_or_404(Company, pk=pk)
        form = CompanyForm(request.POST, instance=company)
        if not form.is_valid():
            return render(
                request, self.template_name, {"form": form, "company": company}, status=400
            )
        try:
            company_save(company=form.instance)
        except CompanyExistsError as exists:
            form.add_error(
                "organisation_number",
                _("%(name)s already has this organisation number.") % {"name": exists.company.name},
            )
            return render(
                request, self.template_name, {"form": form, "company": company}, status=409
            )
        messages.success(request, _("The company was saved."))
        return redirect("interviews:company_detail", pk=company.pk)


class CompanyDetailView(CapabilityRequiredMixin, View):
    required_capability = "interviews.view"

    def get(self, request, pk: int):
        company = company_detail(pk)
        interviews = Paginator(company_interviews(company), INTERVIEWS_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        interviews.object_list = interview_list_rows(list(interviews.object_list))
        if interviews.number == 1:
            # The first page starts with the company's newest interview: the notice reads it.
            rows = interviews.object_list
            recent = company_recent_interview(company, newest=rows[0]) if rows else None
        else:
            recent = company_recent_interview(company)
        context = {
            "company": company,
            "page_obj": interviews,
            "recent_interview": recent,
            "open_follow_ups": open_follow_ups_for_company(company),
        }
        return render(request, "interviews/company_detail.html", context)


class CompanyHistoryView(CapabilityRequiredMixin, View):
    """The company's changes and its contact persons', a page at a time."""

    required_capability = "interviews.view"

    def get(self, request, pk: int):
        return history_response(
            request,
            HistorySubject(
                title=company_name(pk),
                back_url=reverse("interviews:company_detail", args=[pk]),
                sources=[Company.history.filter(id=pk), Contact.history.filter(company_id=pk)],
            ),
        )


class ContactCreateView(SubmitOnceMixin, CapabilityRequiredMixin, View):
    required_capability = "interviews.edit"
    template_name = "interviews/contact_form.html"

    def get(self, request, pk: int):
        company = get_object_or_404(Company, pk=pk)
        return render(request, self.template_name, {"form": ContactForm(), "company": company})

    def post(self, request, pk: int):
        company = get_object_or_404(Company, pk=pk)
        form = ContactForm(request.POST, instance=Contact(company=company))
        if not form.is_valid():
            return render(
                request, self.template_name, {"form": form, "company": company}, status=400
            )
        with submission_once(request) as submission:
            contact_save(
                contact=form.instance,
                results_consent=form.cleaned_data["results_consent"],
                user=request.user,
            )
            submission.lead_to(reverse("interviews:company_detail", args=[company.pk]))
        messages.success(request, _("The contact person was added."))
        return redirect("interviews:company_detail", pk=company.pk)


class ContactUpdateView(CapabilityRequiredMixin, View):
    required_capability = "interviews.edit"
    template_name = "interviews/contact_form.html"

    def get(self, request, pk: int):
        contact = get_object_or_404(Contact.objects.select_related("company"), pk=pk)
        return render(
            request,
            self.template_name,
            {
                "form": ContactForm(instance=contact),
                "company": contact.company,
                "contact": contact,
            },
        )

    def post(self, request, pk: int):
        contact = get_object_or_404(Contact.objects.select_related("company"), pk=pk)
        form = ContactForm(request.POST, instance=contact)
        if not form.is_valid():
            return render(
                request,
                self.template_name,
                {
                    "form": form,
                    "company": contact.company,
                    "contact": contact,
                },
                status=400,
            )
        contact_save(
            contact=form.instance,
            results_consent=form.cleaned_data["results_consent"],
            user=request.user,
        )
        messages.success(request, _("The contact person was saved."))
        return redirect("interviews:company_detail", pk=contact.company_id)
