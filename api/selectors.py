"""Reads of the API app: a user's tokens, every token (administrators), the call log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from smeportal.accounts.roles import has_capability

from .models import ApiCall, ApiToken


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def all_tokens() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("user").order_by("-created_at", "-pk")


def token_visible(*, token_id: int, user) -> ApiToken:
    """The token if it is the user's own, or any token for an administrator; 403 for someone
    else's, 404 for none."""
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=token_id)
    if token.user_id != user.pk and not has_capability(user, "api.tokens.manage"):
        raise PermissionDenied
    return token


def api_calls() -> QuerySet[ApiCall]:
    return ApiCall.objects.select_related("user", "token").order_by("-at", "-pk")
