"""Indicators (mätetal): the list, an indicator's page with its chart and data table, the edit
forms, and recording measurements by hand or from an Excel file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.http import require_GET

from smeportal.accounts.permissions import CapabilityRequiredMixin, capability_required
from smeportal.accounts.roles import has_capability
from smeportal.core.form_token_views import SubmitOnceMixin
from smeportal.core.form_tokens import submission_once
from smeportal.core.xlsx import XLSX_CONTENT_TYPE

from ..choices import CelebrationKind
from ..forms_indicators import IndicatorForm, MeasurementForm, MeasurementImportForm
from ..measurement_import import measurement_template_workbook
from ..models import Celebration, Indicator
from ..selectors_indicators import (
    indicator_chart,
    indicator_overviews,
    indicator_page,
    indicator_summary_text,
    sees_staff_names,
)
from ..services import can_add_measurement, indicator_save, measurement_add, measurements_import

FORM_TEMPLATE = "actionplan/indicator_form.html"
DETAIL_TEMPLATE = "actionplan/indicator_detail.html"
IMPORT_TEMPLATE = "actionplan/measurement_import.html"


def attach_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field where there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _target_celebrated(indicator: Indicator) -> bool:
    return Celebration.objects.filter(
        indicator=indicator, kind=CelebrationKind.TARGET_REACHED
    ).exists()


def _indicator_for_measuring(request, pk: int) -> Indicator:
    """The indicator (404 if unknown), if this user may record its measurements (else 403)."""
    indicator = get_object_or_404(Indicator, pk=pk)
    if not can_add_measurement(request.user, indicator):
        raise PermissionDenied
    return indicator


class IndicatorListView(CapabilityRequiredMixin, View):
    """All indicators with progress and status, and those that need a new measurement."""

    required_capability = "actionplan.view"

    def get(self, request):
        overviews = indicator_overviews(today=timezone.localdate())
        context = {
            "overviews": overviews,
            "needing_update": [overview for overview in overviews if overview.needs_update],
            "show_owner": sees_staff_names(request.user),
            "can_edit": has_capability(request.user, "actionplan.edit"),
        }
        return render(request, "actionplan/indicator_list.html", context)


class IndicatorCreateView(SubmitOnceMixin, CapabilityRequiredMixin, View):
    required_capability = "actionplan.edit"

    def get(self, request):
        return render(request, FORM_TEMPLATE, {"form": IndicatorForm()})

    def post(self, request):
        form = IndicatorForm(request.POST)
        if form.is_valid():
            try:
                with submission_once(request) as submission:
                    indicator = indicator_save(indicator=form.instance)
                    submission.lead_to(reverse("actionplan:indicator_detail", args=[indicator.pk]))
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(request, _("The indicator was saved."))
                return redirect("actionplan:indicator_detail", pk=indicator.pk)
        return render(request, FORM_TEMPLATE, {"form": form}, status=400)


class IndicatorUpdateView(CapabilityRequiredMixin, View):
    required_capability = "actionplan.edit"

    def get(self, request, pk: int):
        indicator = get_object_or_404(Indicator, pk=pk)
        context = {"form": IndicatorForm(instance=indicator), "indicator": indicator}
        return render(request, FORM_TEMPLATE, context)

    def post(self, request, pk: int):
        indicator = get_object_or_404(Indicator, pk=pk)
        # The form edits its own copy, so the page keeps showing the saved name on errors.
        form = IndicatorForm(request.POST, instance=get_object_or_404(Indicator, pk=pk))
        if form.is_valid():
            try:
                indicator_save(indicator=form.instance)
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(request, _("The indicator was saved."))
                return redirect("actionplan:indicator_detail", pk=indicator.pk)
        context = {"form": form, "indicator": indicator}
        return render(request, FORM_TEMPLATE, context, status=400)


def render_indicator_page(request, pk: int, *, form: MeasurementForm | None = None, status=200):
    page = indicator_page(pk, today=timezone.localdate(), table_page=request.GET.get("page"))
    indicator = page.indicator
    can_add = can_add_measurement(request.user, indicator)
    if can_add and form is None:
        form = MeasurementForm(indicator=indicator)
    context = {
        "page": page,
        "page_obj": page.table_page,
        "indicator": indicator,
        "overview": page.overview,
        "chart": indicator_chart(page),
        "summary": indicator_summary_text(page.overview),
        "form": form if can_add else None,
        "can_add_measurement": can_add,
        "can_edit": has_capability(request.user, "actionplan.edit"),
        "show_owner": sees_staff_names(request.user),
    }
    return render(request, DETAIL_TEMPLATE, context, status=status)


class IndicatorDetailView(CapabilityRequiredMixin, View):
    """The indicator's facts, progress and status, its chart beside the data, and the form."""

    required_capability = "actionplan.view"

    def get(self, request, pk: int):
        return render_indicator_page(request, pk)


class MeasurementCreateView(SubmitOnceMixin, CapabilityRequiredMixin, View):
    """Record a measurement (posted from the indicator's page; GET shows the form alone)."""

    required_capability = "actionplan.view"

    def get(self, request, pk: int):
        indicator = _indicator_for_measuring(request, pk)
        context = {"indicator": indicator, "form": MeasurementForm(indicator=indicator)}
        return render(request, "actionplan/measurement_form.html", context)

    def post(self, request, pk: int):
        indicator = _indicator_for_measuring(request, pk)
        form = MeasurementForm(request.POST, indicator=indicator)
        if form.is_valid():
            was_celebrated = _target_celebrated(indicator)
            url = reverse("actionplan:indicator_detail", kwargs={"pk": indicator.pk})
            try:
                with submission_once(request) as submission:
                    measurement_add(
                        indicator=indicator,
                        value=form.cleaned_data["value"],
                        on=form.cleaned_data["date"],
                        comment=form.cleaned_data["comment"],
                        user=request.user,
                    )
                    submission.lead_to(f"{url}#measurements")
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(request, _("The measurement was recorded."))
                if not was_celebrated and _target_celebrated(indicator):
                    messages.success(request, _target_reached_message())
                return redirect(f"{url}#measurements")
        return render_indicator_page(request, indicator.pk, form=form, status=400)


def _target_reached_message() -> str:
    return _("The target is reached! It has been added to “Att fira”.")


class MeasurementImportView(CapabilityRequiredMixin, View):
    """Upload a workbook of measurements: all rows are imported, or none and the problems shown."""

    required_capability = "actionplan.view"

    def get(self, request, pk: int):
        indicator = _indicator_for_measuring(request, pk)
        form = MeasurementImportForm(indicator=indicator)
        return render(request, IMPORT_TEMPLATE, {"indicator": indicator, "form": form})

    def post(self, request, pk: int):
        indicator = _indicator_for_measuring(request, pk)
        form = MeasurementImportForm(request.POST, request.FILES, indicator=indicator)
        context = {"indicator": indicator, "form": form}
        if not form.is_valid():
            return render(request, IMPORT_TEMPLATE, context, status=400)
        parsed = form.parsed
        if not parsed.is_valid:
            context["problems"] = parsed.problems
            return render(request, IMPORT_TEMPLATE, context, status=400)
        was_celebrated = _target_celebrated(indicator)
        try:
            count = measurements_import(indicator=indicator, rows=parsed.rows, user=request.user)
        except ValidationError as error:
            # Nothing was written: the import is one transaction.
            form.add_error("file", error.messages)
            return render(request, IMPORT_TEMPLATE, context, status=400)
        messages.success(
            request,
            ngettext(
                "%(count)s measurement was imported.",
                "%(count)s measurements were imported.",
                count,
            )
            % {"count": count},
        )
        if not was_celebrated and _target_celebrated(indicator):
            messages.success(request, _target_reached_message())
        url = reverse("actionplan:indicator_detail", kwargs={"pk": indicator.pk})
        return redirect(f"{url}#measurements")


@require_GET
@capability_required("actionplan.view")
def measurement_import_template(request):
    response = HttpResponse(measurement_template_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="matningar-importmall.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
