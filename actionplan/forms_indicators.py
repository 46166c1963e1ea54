"""Forms of the indicator pages: the indicator, a measurement, an import and "Att fira"."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smeportal.core.dates import DateInput, PastDateField
from smeportal.core.model_choices import ChoicesInOneQueryMixin
from smeportal.core.uploads import check_xlsx_upload

from .choices import KoladaGender
from .measurement_import import MAX_IMPORT_BYTES, ParsedMeasurements, parse_measurement_workbook
from .models import Indicator, Measurement
from .selectors_indicators import indicator_owner_choices

# Values are typed the Swedish way ("3,4"); the localised field also takes "3.4".
DECIMAL_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}


class IndicatorForm(ChoicesInOneQueryMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "direction",
            "source",
            "source_detail",
            "kolada_kpi",
            "kolada_gender",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "reporting_interval",
            "owner",
        ]
        localized_fields = ["baseline_value", "target_value"]
        widgets = {
            "direction": forms.RadioSelect,
            "baseline_date": DateInput(),
            "target_date": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("baseline_value", "target_value"):
            self.fields[name].widget.attrs.update(DECIMAL_ATTRS)
        self.fields["owner"].queryset = indicator_owner_choices()
        self.fields["kolada_kpi"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "size": 8}
        )
        # Only meaningful for Kolada: a form without it (or an older client) means the total.
        self.fields["kolada_gender"].required = False

    def clean_kolada_kpi(self) -> str:
        # "n01004 " is what people paste; Kolada's ids are capitals.
        return (self.cleaned_data.get("kolada_kpi") or "").strip().upper()

    def clean_kolada_gender(self) -> str:
        return self.cleaned_data.get("kolada_gender") or KoladaGender.TOTAL


class MeasurementForm(forms.Form):
    value = forms.DecimalField(
        label=_("Value"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs=DECIMAL_ATTRS),
    )
    date = PastDateField(label=_("Date"))
    comment = forms.CharField(
        label=_("Comment"),
        max_length=500,
        required=False,
        help_text=_("Optional, e.g. where the figure comes from."),
    )

    def __init__(
        self, *args, indicator: Indicator, measurement: Measurement | None = None, **kwargs
    ):
        """`measurement`: the one being corrected (its values are the form's initial ones, and
        its own date is no clash)."""
        if measurement is not None and not args and "data" not in kwargs:
            kwargs.setdefault(
                "initial",
                {
                    "value": measurement.value,
                    "date": measurement.date,
                    "comment": measurement.comment,
                },
            )
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.measurement = measurement
        # The unit is the editor's text: it goes in the label, which every renderer escapes.
        # Help text is trusted HTML by Django's convention, so no user text goes there.
        if indicator.unit:
            self.fields["value"].label = _("Value (%(unit)s)") % {"unit": indicator.unit}
        self.fields["value"].help_text = _("A decimal comma is fine: 3,4.")
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())

    def clean_date(self):
        on = self.cleaned_data["date"]
        others = self.indicator.measurements.filter(date=on)
        if self.measurement is not None:
            others = others.exclude(pk=self.measurement.pk)
        if others.exists():
            raise forms.ValidationError(
                _(
                    "There is already a measurement on %(date)s for this indicator. Choose "
                    "another date."
                )
                % {"date": on.isoformat()}
            )
        return on


class MeasurementImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_(
            "Columns Datum, Värde and Kommentar; at most 5 MB. Nothing is imported until every "
            "row is free of problems."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    parsed: ParsedMeasurements | None = None

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean_file(self):
        uploaded_file = self.cleaned_data["file"]
        # The safety checks read only the raw bytes; openpyxl opens the file after them.
        check_xlsx_upload(uploaded_file, max_bytes=MAX_IMPORT_BYTES)
        self.parsed = parse_measurement_workbook(uploaded_file, indicator=self.indicator)
        return uploaded_file


class CelebrationMarkForm(forms.Form):
    celebrated = forms.TypedChoiceField(
        label=_("Celebrated and communicated"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("How it was communicated (optional)"),
        max_length=500,
        required=False,
        help_text=_("For example “Newsletter in December” or “Told at the council meeting”."),
    )
    is_public = forms.BooleanField(
        label=_("Show on the public page"),
        required=False,
        help_text=_(
            "Shown to everyone on the public results page and in its feed; never the note on "
            "how it was communicated."
        ),
    )
