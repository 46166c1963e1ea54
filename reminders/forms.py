from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from smeportal.outbox.models import MailPreference


class MailPreferenceForm(forms.ModelForm):
    class Meta:
        model = MailPreference
        fields = ["language", "follow_ups", "activities", "indicators", "council_summary"]
        widgets = {"language": forms.RadioSelect}


class DigestScheduleForm(forms.Form):
    enabled = forms.BooleanField(label=_("Send the daily reminders"), required=False)
    hour = forms.IntegerField(
        label=_("Hour (Swedish time), Monday to Friday"), min_value=0, max_value=23
    )
