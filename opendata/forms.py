from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from interviews.orgnumbers import parse_organisation_number

from .models import OpenDataSettings


class OpenDataSettingsForm(forms.ModelForm):
    class Meta:
        model = OpenDataSettings
        fields = ["licence", "publisher_name", "organisation_number", "contact_email"]
        widgets = {"licence": forms.RadioSelect}

    def clean_organisation_number(self) -> str:
        number = parse_organisation_number(self.cleaned_data["organisation_number"])
        if number.is_personal_identity_number:
            raise ValidationError(
                _("The publisher is an organisation: give its organisation number."),
                code="personal_identity_number",
            )
        return number.formatted
