from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OutgoingMessage


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + list(OutgoingMessage.Status.choices),
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        required=False,
        choices=[("", _("All"))] + list(OutgoingMessage.Purpose.choices),
    )
