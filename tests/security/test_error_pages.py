"""The 400, 403, 404 and 500 pages: Swedish, and nothing about the portal's insides."""

from __future__ import annotations

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path, reverse

from smeportal.core.errors import server_error
from smeportal.urls import handler400, handler403, handler404, handler500  # noqa: F401
from smeportal.urls import urlpatterns as portal_urlpatterns

SECRET_DETAIL = "hemlig-detalj-från-undantaget"
INTERNALS = [
    "Traceback",
    "RuntimeError",
    "SuspiciousOperation",
    "DisallowedHost",
    "Invalid HTTP_HOST",
    SECRET_DETAIL,
    "SECRET_KEY",
    "DATABASES",
    "site-packages",
    "smeportal.",
]


@login_not_required
def raises_runtime_error(request):
    raise RuntimeError(SECRET_DETAIL)


@login_not_required
def raises_suspicious_operation(request):
    raise SuspiciousOperation(SECRET_DETAIL)


@login_not_required
def raises_permission_denied(request):
    raise PermissionDenied(SECRET_DETAIL)


urlpatterns = [
    path("test/fel/", raises_runtime_error),
    path("test/misstankt/", raises_suspicious_operation),
    path("test/nekad/", raises_permission_denied),
    *portal_urlpatterns,
]


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


def assert_swedish_without_internals(response, heading: str):
    body = response.content.decode()
    assert '<html lang="sv">' in body
    assert heading in body
    for detail in INTERNALS:
        assert detail not in body, detail


@pytest.mark.django_db
def test_400_for_a_disallowed_host(client):
    response = client.get(reverse("login"), HTTP_HOST="angripare.example")
    assert response.status_code == 400
    assert_swedish_without_internals(response, "Begäran kunde inte hanteras")
    assert "angripare.example" not in response.content.decode()


@pytest.mark.django_db
def test_400_for_a_suspicious_request(client):
    response = client.get("/test/misstankt/")
    assert response.status_code == 400
    assert_swedish_without_internals(response, "Begäran kunde inte hanteras")


@pytest.mark.django_db
def test_403_for_a_role_without_the_capability(developer_client):
    response = developer_client.get(reverse("areas:list"))
    assert response.status_code == 403
    assert_swedish_without_internals(response, "Du har inte behörighet till sidan")


@pytest.mark.django_db
def test_403_from_permission_denied(client):
    response = client.get("/test/nekad/")
    assert response.status_code == 403
    assert_swedish_without_internals(response, "Du har inte behörighet till sidan")


@pytest.mark.django_db
def test_403_for_a_form_without_a_valid_csrf_token(developer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(developer)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert_swedish_without_internals(response, "Formuläret har gått ut")
    assert "cookie not set" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/finns-inte/", "/intervjuer/999999/"])
def test_404_for_an_unknown_address_or_id(developer_client, url):
    response = developer_client.get(url)
    assert response.status_code == 404
    assert_swedish_without_internals(response, "Sidan kunde inte hittas")
    assert "Resolver404" not in response.content.decode()


@pytest.mark.django_db
def test_500_when_a_view_fails(django_assert_num_queries):
    client = Client(raise_request_exception=False)
    # An anonymous request to a public view: any query would come from the error page itself,
    # which must not depend on the database.
    with django_assert_num_queries(0):
        response = client.get("/test/fel/")
    assert response.status_code == 500
    assert_swedish_without_internals(response, "Något gick fel hos oss")


def test_the_500_page_renders_without_a_database(rf):
    """No `db` fixture: pytest-django refuses any query, so this proves none is made."""
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Något gick fel hos oss" in response.content.decode()
