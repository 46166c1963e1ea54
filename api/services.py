"""Writes of the API app: creating and revoking personal tokens, logging calls."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smeportal.accounts.roles import has_capability

from .models import ApiCall, ApiToken
from .roles import token_roles_for

# "smp_" marks the portal's secrets, so that a secret scanner (and a person) can tell one.
SECRET_PREFIX = "smp_"  # noqa: S105 (a marker, not a password)
SHOWN_PREFIX_LENGTH = 12
MAX_LIFETIME_DAYS = 365


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    secret: str  # shown to the user once, never stored


@transaction.atomic
def token_create(*, user, name: str, role: str, expires_at: datetime) -> CreatedToken:
    """A new token for `user`; the secret is returned once and only its hash is kept."""
    if role not in token_roles_for(user):
        raise ValidationError({"role": _("You cannot give a token a role you do not have.")})
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    if (expires_at - now).days >= MAX_LIFETIME_DAYS:
        raise ValidationError(
            {"expires_at": _("A token may live for at most a year; create a new one then.")}
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        role=role,
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        secret_hash=secret_hash(secret),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return CreatedToken(token=token, secret=secret)


def token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke the token at once; its owner and administrators may. Revoking twice is a no-op."""
    if token.user_id != by.pk and not has_capability(by, "api.tokens.manage"):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def call_log(*, user, token: ApiToken | None, method: str, path: str, status_code: int) -> None:
    """Record one call in the audit trail: who, with which token, what and the answer."""
    ApiCall.objects.create(
        user=user,
        token=token,
        method=method[:8],
        path=path[:300],
        status_code=status_code,
    )
    if token is not None:
        # At most one write a minute per token for "last used", however busy the caller.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
