from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from smeportal.outbox.models import MailPreference


class MailPreferenceForm(forms.ModelForm):
    # Each language in its own name, as a language switch shows them: a reader picks the one
    # they can read whatever the page's language.
    language = forms.ChoiceField(
        label=_("Language of the messages"),
        choices=[("sv", "Svenska"), ("en", "English")],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = MailPreference
        fields = ["language", "follow_ups", "activities", "indicators", "council_summary"]


class DigestScheduleForm(forms.Form):
    enabled = forms.BooleanField(label=_("Send the daily reminders"), required=False)
    hour = forms.IntegerField(
        label=_("Hour (Swedish time), Monday to Friday"), min_value=0, max_value=23
    )
