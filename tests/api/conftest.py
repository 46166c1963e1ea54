"""The API's tests share the public page's small dialogue (published and unpublished objects,
personal-looking values everywhere a person could be named), and make personal tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api.services import token_create
from tests.public_site.conftest import SECRETS, Dialogue, _empty_cache, anonymous, dialogue

__all__ = ["SECRETS", "Dialogue", "_empty_cache", "anonymous", "dialogue"]


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def make_token():
    """make_token(user, role=None) -> the secret of a new token of the user (their first role)."""
    from smeportal.accounts.roles import primary_role

    def make(user, role=None, days=30):
        role = role or primary_role(user)
        created = token_create(
            user=user,
            name="BI",
            role=role,
            expires_at=timezone.now() + timedelta(days=days),
        )
        return created.secret

    return make


@pytest.fixture
def api_client():
    return Client()
