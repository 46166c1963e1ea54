"""Correcting and removing a recorded measurement, and the indicator's history of them.

Whoever may record an indicator's measurements (services.can_add_measurement) may correct or
remove them: a value typed wrong, a date off by a year. The measurement's history keeps every
earlier version and the removal, with who and when; the indicator's history page shows them
to staff (the council follows the figures without the names).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.core.views import HistorySubject

from ..forms_indicators import MeasurementForm
from ..models import Indicator, Measurement
from ..services import can_add_measurement, measurement_correct, measurement_remove
from .plans import attach_service_errors, staff_history_response


def _measurement_for_changing(request, pk: int) -> Measurement:
    """The measurement (404 if unknown), if this user may record its indicator's (else 403)."""
    measurement = get_object_or_404(Measurement.objects.select_related("indicator"), pk=pk)
    if not can_add_measurement(request.user, measurement.indicator):
        raise PermissionDenied
    return measurement


def _back_to_indicator(measurement: Measurement):
    url = reverse("actionplan:indicator_detail", args=[measurement.indicator_id])
    return redirect(f"{url}#measurements")


class MeasurementUpdateView(CapabilityRequiredMixin, View):
    required_capability = "actionplan.view"
    template_name = "actionplan/measurement_correct.html"

    def get(self, request, pk: int):
        measurement = _measurement_for_changing(request, pk)
        form = MeasurementForm(indicator=measurement.indicator, measurement=measurement)
        return self.render_form(request, measurement, form)

    def post(self, request, pk: int):
        measurement = _measurement_for_changing(request, pk)
        form = MeasurementForm(
            request.POST, indicator=measurement.indicator, measurement=measurement
        )
        if form.is_valid():
            try:
                measurement_correct(
                    measurement=measurement,
                    value=form.cleaned_data["value"],
                    on=form.cleaned_data["date"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The measurement was corrected; the earlier value is kept in the history."),
                )
                return _back_to_indicator(measurement)
        # What was saved, not what was typed, names the measurement in the heading.
        measurement.refresh_from_db()
        return self.render_form(request, measurement, form, status=400)

    def render_form(self, request, measurement: Measurement, form, status: int = 200):
        context = {"measurement": measurement, "indicator": measurement.indicator, "form": form}
        return render(request, self.template_name, context, status=status)


class MeasurementDeleteView(CapabilityRequiredMixin, View):
    """A confirmation, then the removal (a POST)."""

    required_capability = "actionplan.view"
    template_name = "actionplan/measurement_delete.html"

    def get(self, request, pk: int):
        measurement = _measurement_for_changing(request, pk)
        context = {"measurement": measurement, "indicator": measurement.indicator}
        return render(request, self.template_name, context)

    def post(self, request, pk: int):
        measurement = _measurement_for_changing(request, pk)
        measurement_remove(measurement=measurement)
        messages.success(
            request,
            _("The measurement of %(date)s was removed; the history still shows it.")
            % {"date": measurement.date.isoformat()},
        )
        return _back_to_indicator(measurement)


class IndicatorHistoryView(CapabilityRequiredMixin, View):
    """The indicator's changes and its measurements', removed ones too. Who changed what names
    staff: the council follows the figures without it."""

    required_capability = "actionplan.view"

    def get(self, request, pk: int):
        def subject() -> HistorySubject:
            indicator = get_object_or_404(Indicator.objects.only("name"), pk=pk)
            return HistorySubject(
                title=indicator.name,
                back_url=reverse("actionplan:indicator_detail", args=[pk]),
                sources=[indicator.history.all(), Measurement.history.filter(indicator_id=pk)],
            )

        return staff_history_response(request, subject)
