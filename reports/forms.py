from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from smeportal.core.dates import PlausibleDateField

WEEKDAYS = [
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("0", _("Sunday")),
]


class ReportRequestForm(forms.Form):
    period_start = PlausibleDateField(label=_("Period from"), required=False)
    period_end = PlausibleDateField(label=_("Period to"), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period cannot be before its start."))
        return cleaned


class ScheduleForm(forms.Form):
    enabled = forms.BooleanField(label=_("Build the report every week"), required=False)
    day_of_week = forms.ChoiceField(label=_("Weekday"), choices=WEEKDAYS)
    hour = forms.IntegerField(label=_("Hour (Swedish time)"), min_value=0, max_value=23)
