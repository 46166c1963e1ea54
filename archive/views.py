"""Pages of the archive app: the information management plan (administrators) and delivery
packages for the e-archive (administrators and registrars)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.accounts.roles import has_capability
from smeportal.core.form_token_views import SubmitOnceMixin
from smeportal.core.form_tokens import submission_once

from .forms import DeliveryPackageForm, InformationRuleForm
from .models import DeliveryPackage, InformationRule
from .selectors import delivery_package_list, information_plan
from .services import (
    delivery_package_request,
    delivery_package_verification_request,
    information_rule_save,
)

PAGE_SIZE = 25


class PlanView(CapabilityRequiredMixin, View):
    """The information management plan as a table: one row per record type."""

    required_capability = "archive.plan"

    def get(self, request):
        plan = information_plan()
        return render(
            request,
            "archive/plan.html",
            {
                "plan": plan,
                "is_empty": all(rule is None for _type, rule in plan),
                "has_missing": any(rule is None for _type, rule in plan),
            },
        )


class RuleFormView(SubmitOnceMixin, CapabilityRequiredMixin, View):
    """Add a rule for a record type without one, or change a rule."""

    required_capability = "archive.plan"
    template_name = "archive/rule_form.html"

    def get_rule(self, pk: int | None) -> InformationRule:
        if pk is None:
            return InformationRule()
        return get_object_or_404(InformationRule, pk=pk)

    def get(self, request, pk: int | None = None):
        rule = self.get_rule(pk)
        # The plan's "Add" links name the record type (ignored when not one without a rule).
        form = InformationRuleForm(instance=rule, initial={"record_type": request.GET.get("typ")})
        return render(request, self.template_name, {"form": form, "rule": rule})

    def post(self, request, pk: int | None = None):
        rule = self.get_rule(pk)
        form = InformationRuleForm(request.POST, instance=rule)
        if form.is_valid():
            try:
                with submission_once(request) as submission:
                    information_rule_save(rule=form.instance, user=request.user)
                    submission.lead_to(reverse("archive:plan"))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The rule for %(type)s was saved.")
                    % {"type": rule.get_record_type_display().lower()},
                )
                return redirect("archive:plan")
        return render(request, self.template_name, {"form": form, "rule": rule}, status=400)


class PackageListView(CapabilityRequiredMixin, View):
    """Delivery packages, newest first, and the form to order a new one."""

    required_capability = "archive.deliver"

    def get(self, request):
        return self.render_page(request, DeliveryPackageForm())

    def post(self, request):
        form = DeliveryPackageForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, form, status=400)
        data = form.cleaned_data
        with submission_once(request) as submission:
            package = delivery_package_request(
                user=request.user, kind=data["kind"], year=data["year"], workshop=data["workshop"]
            )
            submission.lead_to(reverse("archive:package_detail", args=[package.pk]))
        messages.success(request, _("The package was ordered."))
        return redirect("archive:package_detail", pk=package.pk)

    def render_page(self, request, form, status=200):
        page = Paginator(delivery_package_list(), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "archive/package_list.html",
            {
                "form": form,
                "page_obj": page,
                "query_string": "",
                "can_plan": has_capability(request.user, "archive.plan"),
            },
            status=status,
        )


def _package(pk: int) -> DeliveryPackage:
    return get_object_or_404(
        DeliveryPackage.objects.select_related("produced_by", "workshop"), pk=pk
    )


class PackageDetailView(CapabilityRequiredMixin, View):
    """One package: its status while produced (the page polls), its checks and its file."""

    required_capability = "archive.deliver"

    def get(self, request, pk: int):
        package = _package(pk)
        template = "archive/package_detail.html"
        if request.htmx:
            template += "#package-status"
        return render(request, template, {"package": package})


class PackageDownloadView(CapabilityRequiredMixin, View):
    required_capability = "archive.deliver"

    def get(self, request, pk: int):
        package = _package(pk)
        if package.status != DeliveryPackage.Status.DONE or not package.file:
            raise Http404
        try:
            handle = package.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        name = f"leveranspaket-{package.pk}.zip"
        return FileResponse(
            handle, as_attachment=True, filename=name, content_type="application/zip"
        )


class PackageVerifyView(CapabilityRequiredMixin, View):
    """Check a package's file against its METS document (POST): a worker reads and hashes the
    whole file, and the package's page shows the result when it is done."""

    required_capability = "archive.deliver"

    def post(self, request, pk: int):
        package = _package(pk)
        try:
            package = delivery_package_verification_request(package=package, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("archive:package_detail", pk=package.pk)
        package.refresh_from_db(fields=["verification"])
        if package.verification == DeliveryPackage.Verification.PASSED:
            # Done already: without a worker the check runs within the request.
            messages.success(request, _("The package was verified: every file matches mets.xml."))
        elif package.verification == DeliveryPackage.Verification.FAILED:
            messages.error(request, _("The package failed verification; see the report below."))
        elif package.is_being_verified:
            messages.info(
                request,
                _("The verification has started. This page shows its result when it is done."),
            )
        else:
            messages.error(request, _("The verification could not be started; see below."))
        return redirect("archive:package_detail", pk=package.pk)
