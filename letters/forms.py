from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from smeportal.core.dates import PlausibleDateField

from .models import DEFAULT_OPENING, OPENING_MAX_LENGTH


class LetterRoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("E.g. “Autumn 2026”."))
    interviews_from = PlausibleDateField(label=_("Interviews from"))
    interviews_to = PlausibleDateField(label=_("Interviews to"))
    opening = forms.CharField(
        label=_("Opening paragraph of every letter"),
        max_length=OPENING_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        initial=DEFAULT_OPENING,
        help_text=_(
            "Keep this text and each letter gets it in the recipient's language; a text of your "
            "own goes into every letter as you wrote it."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("interviews_from"), cleaned.get("interviews_to")
        if start and end and end < start:
            self.add_error("interviews_to", _("The end cannot be before the start."))
        return cleaned


class LetterOpeningForm(forms.Form):
    opening = forms.CharField(
        label=_("Opening paragraph of this letter"),
        required=False,
        max_length=OPENING_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave it empty to use the round's opening paragraph."),
    )


class SendRoundForm(forms.Form):
    previewed = forms.BooleanField(
        label=_("I have previewed the letters and approve them"),
        error_messages={"required": _("Approve the letters before they are sent.")},
    )
