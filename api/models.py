"""Personal API tokens and the log of the calls made with them.

A token belongs to one user, has a name the user gives it, one role (the user's own or one with
fewer capabilities) and an expiry. Only a hash of the secret is kept: the user sees the secret
once, when it is created. A call authenticated by a token or a session is logged (ApiCall) with
its path but never its query string, which may hold a search for a person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smeportal.accounts.roles import Role


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Power BI, the council's report”."),
    )
    role = models.CharField(
        _("role"),
        max_length=40,
        choices=Role.choices,
        help_text=_("The token may do what this role may do, never more than you may."),
    )
    # The first characters of the secret, shown in lists so that a token can be recognised.
    prefix = models.CharField(_("begins with"), max_length=16, editable=False)
    # SHA-256 of the whole secret: a secret of 256 random bits needs no slow hash.
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class ApiCall(models.Model):
    """One call of the API by a signed-in caller (a token or a session)."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    token = models.ForeignKey(
        ApiToken,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("API token"),
    )
    method = models.CharField(_("method"), max_length=8)
    # The path only: a query string may hold a search for a company or a person.
    path = models.CharField(_("path"), max_length=300)
    status_code = models.PositiveSmallIntegerField(_("answer"))

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-at"], name="apicall_user_at"),
            models.Index(fields=["token", "-at"], name="apicall_token_at"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status_code}"
