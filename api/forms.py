from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smeportal.accounts.roles import Role

from .roles import token_roles_for

LIFETIMES = (
    (30, _("30 days")),
    (90, _("90 days")),
    (180, _("180 days")),
    (365, _("One year")),
)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Power BI, the council's report”."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        help_text=_("The token may do what this role may do, never more than you may."),
    )
    lifetime = forms.TypedChoiceField(
        label=_("Valid for"), choices=LIFETIMES, coerce=int, initial=90
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        roles = token_roles_for(user)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        primary = next(
            (role for role in roles if role != Role.COUNCIL), roles[0] if roles else None
        )
        if primary is not None:
            self.fields["role"].initial = primary.value

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name

    def expires_at(self):
        return timezone.now() + timedelta(days=self.cleaned_data["lifetime"])
