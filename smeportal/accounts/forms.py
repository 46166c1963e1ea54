from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class PortalAuthenticationForm(AuthenticationForm):
    """The login form with autocomplete hints (WCAG 1.3.5) and a plain-language error."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The user name or password is wrong. Both are case-sensitive; try again."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.widget.attrs.update({"autocomplete": "username"})
        # AuthenticationForm sets max_length after the field is built, so it only reaches the
        # widget; validate it too, or an overlong name reaches django-axes, whose record of the
        # failed login cannot store it on PostgreSQL (varchar 255) and the page answers 500.
        username.validators.append(MaxLengthValidator(username.max_length))
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
