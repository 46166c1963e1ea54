"""The access matrix for personal tokens: every API endpoint, a token of each role, and no token.

tests/security/test_access_matrix.py walks every URL with a signed-in session; a program calls
with a token instead. The answers must be the same: the roles the matrix allows read (200), the
others get 403, a caller without a token 401 (or the published data).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from smeportal.accounts.roles import Role
from tests.factories import UserFactory
from tests.security.conftest import ANONYMOUS
from tests.security.test_access_matrix import ACCESS
from tests.urlwalk import iter_url_patterns

from .conftest import bearer

pytestmark = pytest.mark.django_db

API_LISTS = sorted(
    name
    for name, _route, pattern in iter_url_patterns()
    if name.startswith("api:") and not pattern.pattern.converters
)


def test_every_api_endpoint_answers_each_role_s_token_as_the_matrix_declares(
    dialogue, make_token, client
):
    tokens = {
        role: make_token(UserFactory(username=f"token-{role.name.lower()}", role=role), role=role)
        for role in Role
    }
    mismatches = []
    for name in API_LISTS:
        allowed = ACCESS[name]["GET"]
        url = reverse(name)
        for role, secret in tokens.items():
            status = client.get(url, **bearer(secret)).status_code
            wanted = 200 if role in allowed else 403
            if status != wanted:
                mismatches.append(f"{name} as {role.label}: {status}, expected {wanted}")
        status = client.get(url).status_code
        wanted = 200 if ANONYMOUS in allowed else 401
        if status != wanted:
            mismatches.append(f"{name} without a token: {status}, expected {wanted}")
    assert len(API_LISTS) >= 18
    assert not mismatches, "\n".join(mismatches)


def test_a_revoked_token_cannot_write(dialogue, developer, make_token, client):
    from api.models import ApiToken
    from api.services import token_revoke

    secret = make_token(developer)
    token_revoke(token=ApiToken.objects.get(user=developer), by=developer)
    response = client.post(
        reverse("api:measurement-list"),
        {"indicator": dialogue.indicator.pk, "date": "2025-06-01", "value": "1"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 401
