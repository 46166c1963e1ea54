"""Sessions end after two idle hours and when the browser closes; cookies are HttpOnly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.smeportal.test_settings import PRODUCTION_ENV, run_python

pytestmark = pytest.mark.django_db


def test_idle_time_defaults_to_two_hours():
    assert django_settings.SESSION_COOKIE_AGE == 2 * 60 * 60


def test_a_session_idle_longer_than_the_limit_is_logged_out(client, developer):
    with freeze_time(timezone.now()) as frozen:
        client.force_login(developer)
        assert client.get(reverse("core:home")).status_code == 200
        frozen.tick(timedelta(hours=2, seconds=1))
        response = client.get(reverse("core:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_activity_keeps_the_session_alive(client, developer):
    with freeze_time(timezone.now()) as frozen:
        client.force_login(developer)
        for _ in range(3):
            frozen.tick(timedelta(hours=1, minutes=50))
            assert client.get(reverse("core:home")).status_code == 200


def test_the_session_cookie_ends_with_the_browser_and_is_http_only(client, developer):
    client.force_login(developer)
    cookie = client.get(reverse("core:home")).cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert cookie["samesite"] == "Lax"


def test_the_idle_time_is_read_from_the_environment():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_AGE)",
        "smeportal.settings.local",
        {"SESSION_IDLE_SECONDS": "900"},
    )
    assert result.stdout.split() == ["900"], result.stderr


def test_production_cookies_are_secure_and_http_only():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE,"
        " s.CSRF_COOKIE_HTTPONLY, s.SESSION_EXPIRE_AT_BROWSER_CLOSE)",
        "smeportal.settings.production",
        PRODUCTION_ENV,
    )
    assert result.stdout.split() == ["True"] * 5, result.stderr
