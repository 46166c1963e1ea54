"""Indicators (mätetal): the list, an indicator's page with its chart and data table, the edit
forms, recording measurements by hand or from an Excel file (preview, then confirmation), and
fetching an indicator's values from Kolada now."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.http import require_GET

from smeportal.accounts.permissions import CapabilityRequiredMixin, capability_required
from smeportal.accounts.roles import has_capability
from smeportal.core.file_languages import requested_file_language, unknown_file_language
from smeportal.core.form_token_views import SubmitOnceMixin
from smeportal.core.form_tokens import submission_once
from smeportal.core.stored_imports import (
    StoredImportNotFound,
    stored_import_delete,
    stored_import_open,
    stored_import_save,
)
from smeportal.core.xlsx import XLSX_CONTENT_TYPE

from ..choices import CelebrationKind, KoladaFetchStatus
from ..forms_indicators import IndicatorForm, MeasurementForm, MeasurementImportForm
from ..kolada import (
    can_fetch_from_kolada,
    is_fetched_from_kolada,
    kolada_fetch_request,
    kolada_panel,
)
from ..measurement_import import (
    TEMPLATE_FILE_NAMES,
    check_measurement_rows,
    measurement_template_workbook,
    stored_scope,
)
from ..models import Celebration, Indicator
from ..selectors import shows_staff_names
from ..selectors_indicators import (
    indicator_chart,
    indicator_overviews,
    indicator_page,
    indicator_summary_text,
)
from ..services import can_add_measurement, indicator_save, measurement_add, measurements_import

FORM_TEMPLATE = "actionplan/indicator_form.html"
DETAIL_TEMPLATE = "actionplan/indicator_detail.html"
IMPORT_TEMPLATE = "actionplan/measurement_import.html"
IMPORT_PREVIEW_TEMPLATE = "actionplan/measurement_import_preview.html"
INDICATORS_PAGE_SIZE = 25


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
        # The table 25 at a time; which ones need a new measurement is told of all of them.
        page = Paginator(overviews, INDICATORS_PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "overviews": page.object_list,
            "page_obj": page,
            "needing_update": [overview for overview in overviews if overview.needs_update],
            "show_owner": shows_staff_names(request.user),
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
    kolada = kolada_panel(indicator)
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
        "show_owner": shows_staff_names(request.user),
        "kolada": kolada,
        "can_fetch_from_kolada": kolada is not None
        and is_fetched_from_kolada(indicator)
        and can_fetch_from_kolada(request.user, indicator),
        "kolada_municipality": settings.KOLADA_MUNICIPALITY,
    }
    return render(request, DETAIL_TEMPLATE, context, status=status)


class IndicatorDetailView(CapabilityRequiredMixin, View):
    """The indicator's facts, progress and status, its chart beside the data, and the form."""

    required_capability = "actionplan.view"

    def get(self, request, pk: int):
        return render_indicator_page(request, pk)


class IndicatorKoladaFetchView(CapabilityRequiredMixin, View):
    """ "Hämta från Kolada nu" (POST): fetch the indicator's values now, in the background.

    For whoever may edit the indicator. While a fetch is queued or running, another click
    starts none; the page tells how the latest fetch went.
    """

    required_capability = "actionplan.view"
    http_method_names = ["post"]

    def post(self, request, pk: int):
        indicator = get_object_or_404(Indicator, pk=pk)
        if not can_fetch_from_kolada(request.user, indicator):
            raise PermissionDenied
        if not is_fetched_from_kolada(indicator):
            messages.error(
                request,
                _(
                    "Only an indicator with Kolada as its source and a KPI is fetched from "
                    "Kolada. Edit the indicator first."
                ),
            )
            return render_indicator_page(request, indicator.pk, status=409)
        fetch, queued = kolada_fetch_request(indicator=indicator, user=request.user)
        # Without a worker (the embedded default) the fetch ran as the request committed.
        fetch.refresh_from_db()
        if not queued:
            messages.info(
                request, _("A fetch from Kolada is already under way; no other was started.")
            )
        elif fetch.is_pending:
            messages.success(
                request,
                _(
                    "The fetch from Kolada has started. Reload the page in a minute to see "
                    "what it found."
                ),
            )
        elif fetch.status == KoladaFetchStatus.OK:
            messages.success(request, _("The values were fetched from Kolada."))
        else:
            messages.error(request, _("The fetch from Kolada did not succeed; see below why."))
        url = reverse("actionplan:indicator_detail", kwargs={"pk": indicator.pk})
        return redirect(f"{url}#kolada")


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


def _import_problems(request, indicator: Indicator, *, problems=(), file_errors=()):
    """The upload page again, listing why nothing was imported."""
    context = {
        "indicator": indicator,
        "form": MeasurementImportForm(indicator=indicator),
        "problems": problems,
        "file_errors": file_errors,
    }
    return render(request, IMPORT_TEMPLATE, context, status=400)


def _import_preview(request, indicator: Indicator, parsed, *, token, file_name: str):
    confirm_url = reverse(
        "actionplan:measurement_import_confirm", kwargs={"pk": indicator.pk, "token": token}
    )
    context = {
        "indicator": indicator,
        "parsed": parsed,
        "file_name": file_name,
        "confirm_url": confirm_url,
    }
    return render(request, IMPORT_PREVIEW_TEMPLATE, context)


class MeasurementImportView(CapabilityRequiredMixin, View):
    """Upload a workbook of measurements: it is checked and shown as a preview (or its problems
    are); nothing is written until the preview is confirmed."""

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
        file_name = form.cleaned_data["file"].name
        token = stored_import_save(
            rows=parsed.source_rows,
            scope=stored_scope(indicator),
            file_name=file_name,
            user=request.user,
        )
        return _import_preview(request, indicator, parsed, token=token, file_name=file_name)


class MeasurementImportConfirmView(CapabilityRequiredMixin, View):
    """Show the stored upload's preview again (GET), or import it (POST): all rows or none.

    The stored rows are checked again, so a measurement recorded meanwhile on one of the file's
    dates stops the import with its row. Only the user who uploaded the file can use the token,
    and only for the indicator it was uploaded to.
    """

    required_capability = "actionplan.view"

    def _load(self, request, pk: int, token):
        indicator = _indicator_for_measuring(request, pk)
        try:
            rows, file_name = stored_import_open(
                token=token, scope=stored_scope(indicator), user=request.user
            )
        except StoredImportNotFound:
            raise Http404 from None
        return indicator, check_measurement_rows(rows, indicator=indicator), file_name

    def get(self, request, pk: int, token):
        indicator, parsed, file_name = self._load(request, pk, token)
        if not parsed.is_valid:
            stored_import_delete(token=token)
            return _import_problems(request, indicator, problems=parsed.problems)
        return _import_preview(request, indicator, parsed, token=token, file_name=file_name)

    def post(self, request, pk: int, token):
        indicator, parsed, _file_name = self._load(request, pk, token)
        if not parsed.is_valid:
            stored_import_delete(token=token)
            return _import_problems(request, indicator, problems=parsed.problems)
        was_celebrated = _target_celebrated(indicator)
        try:
            count = measurements_import(indicator=indicator, rows=parsed.rows, user=request.user)
        except ValidationError as error:
            # Nothing was written: the import is one transaction.
            stored_import_delete(token=token)
            return _import_problems(request, indicator, file_errors=error.messages)
        stored_import_delete(token=token)
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
    """The template in the interface language, or in the one `?sprak=sv|en` asks for."""
    language = requested_file_language(request)
    if language is None:
        return unknown_file_language(request)
    response = HttpResponse(measurement_template_workbook(language), content_type=XLSX_CONTENT_TYPE)
    file_name = TEMPLATE_FILE_NAMES[language]
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    return response
