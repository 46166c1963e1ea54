"""Personal API tokens: created on /api-nycklar/, shown once, revoked, expired; a token's role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import secret_hash
from smeportal.accounts.roles import Role
from tests.swedish import sv

from .conftest import bearer

pytestmark = pytest.mark.django_db


def test_a_developer_creates_a_token_and_sees_it_once(developer_client, developer):
    page = developer_client.get(reverse("api_tokens:list"))
    assert page.status_code == 200
    assert sv("Create the token") in page.content.decode()

    response = developer_client.post(
        reverse("api_tokens:create"),
        {"name": "Power BI, rådets rapport", "role": Role.DEVELOPER.value, "lifetime": "90"},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=developer)
    secret = response.context["created"].secret
    assert secret.startswith("smp_") and secret in response.content.decode()
    assert token.secret_hash == secret_hash(secret)
    assert secret not in str(ApiToken.objects.values().get())
    assert (token.expires_at - timezone.now()).days in (89, 90)

    listed = developer_client.get(reverse("api_tokens:list")).content.decode()
    assert token.prefix in listed
    assert secret not in listed
    assert "Power BI, rådets rapport" in listed


def test_a_token_cannot_get_a_role_its_user_lacks(facilitator_client):
    response = facilitator_client.post(
        reverse("api_tokens:create"),
        {"name": "Försök", "role": Role.DEVELOPER.value, "lifetime": "30"},
    )
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "data", [{"name": "  ", "lifetime": "30"}, {"name": "x", "lifetime": "9999"}]
)
def test_bad_input_is_a_400_with_the_form(developer_client, data):
    response = developer_client.post(
        reverse("api_tokens:create"), {**data, "role": Role.DEVELOPER.value}
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoked_and_expired_tokens_are_refused(developer_client, developer, make_token, client):
    secret = make_token(developer)
    url = reverse("api:interview-list")
    assert client.get(url, **bearer(secret)).status_code == 200

    token = ApiToken.objects.get(user=developer)
    response = developer_client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    refused = client.get(url, **bearer(secret))
    assert refused.status_code == 401
    assert refused.json()["detail"] == sv("The token has been revoked.")

    expired = make_token(developer)
    ApiToken.objects.filter(secret_hash=secret_hash(expired)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(url, **bearer(expired)).json()["detail"] == sv("The token has expired.")
    assert client.get(url, **bearer("smp_unknown")).status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION="Bearer").status_code == 401


def test_a_deactivated_user_s_token_stops_working(developer, make_token, client):
    secret = make_token(developer)
    developer.is_active = False
    developer.save()
    assert client.get(reverse("api:interview-list"), **bearer(secret)).status_code == 401


def test_someone_else_s_token_cannot_be_revoked_but_an_administrator_may(
    developer, facilitator_client, admin_client, make_token
):
    make_token(developer)
    token = ApiToken.objects.get(user=developer)
    assert facilitator_client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None

    listed = admin_client.get(reverse("api_tokens:list")).content.decode()
    assert sv("Other users' tokens") in listed and token.prefix in listed
    assert admin_client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_council_token_of_a_developer_reads_what_the_council_reads(developer, make_token, client):
    secret = make_token(developer, role=Role.COUNCIL)
    assert client.get(reverse("api:interview-list"), **bearer(secret)).status_code == 403
    assert client.get(reverse("api:finding-list"), **bearer(secret)).status_code == 403
    assert client.get(reverse("api:goal-list"), **bearer(secret)).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("api_tokens:list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
