"""Wrong current passwords on the password-change page are throttled like failed logins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from smeportal.accounts.roles import Role
from tests.factories import UserFactory

OLD = "gammalt-lösenord-2030"
NEW = "nytt-säkert-lösenord-2031"
HOME_ADDRESS = "198.51.100.7"
OTHER_ADDRESS = "203.0.113.9"
LOCKED_TEXT = "Lösenordsbytet är tillfälligt spärrat"


@pytest.fixture
def ulrika(db):
    return UserFactory(username="ulrika", password=OLD, role=Role.DEVELOPER)


@pytest.fixture
def ulrika_client(client, ulrika):
    client.force_login(ulrika)
    return client


def change(client, old_password: str, address: str = HOME_ADDRESS):
    return client.post(
        reverse("password_change"),
        {"old_password": old_password, "new_password1": NEW, "new_password2": NEW},
        REMOTE_ADDR=address,
    )


def password_is(user, password: str) -> bool:
    user.refresh_from_db()
    return user.check_password(password)


def test_four_wrong_passwords_still_allow_the_change(ulrika_client, ulrika):
    for _ in range(4):
        response = change(ulrika_client, "gissat-lösenord")
        assert response.status_code == 200
        assert "Ditt gamla lösenord var felaktigt" in response.content.decode()
    assert change(ulrika_client, OLD).status_code == 302
    assert password_is(ulrika, NEW)


def test_the_fifth_wrong_password_locks_even_the_right_one(ulrika_client, ulrika):
    for _ in range(4):
        change(ulrika_client, "gissat-lösenord")
    response = change(ulrika_client, "gissat-lösenord")
    assert response.status_code == 429
    response = change(ulrika_client, OLD)
    body = response.content.decode()
    assert response.status_code == 429
    assert LOCKED_TEXT in body
    assert "15 minuter" in body
    assert '<html lang="sv">' in body
    assert 'name="old_password"' not in body
    assert password_is(ulrika, OLD)


def test_the_change_works_again_after_the_cool_off(ulrika_client, ulrika):
    start = timezone.now()
    with freeze_time(start) as frozen:
        for _ in range(5):
            change(ulrika_client, "gissat-lösenord")
        frozen.tick(timedelta(minutes=14))
        assert change(ulrika_client, OLD).status_code == 429
        frozen.tick(timedelta(minutes=1, seconds=1))
        assert change(ulrika_client, OLD).status_code == 302
    assert password_is(ulrika, NEW)


def test_wrong_current_passwords_also_lock_the_login_from_that_address(
    ulrika_client, ulrika, client
):
    for _ in range(5):
        change(ulrika_client, "gissat-lösenord")
    ulrika_client.post(reverse("logout"))
    login = {"username": "ulrika", "password": OLD}
    assert client.post(reverse("login"), login, REMOTE_ADDR=HOME_ADDRESS).status_code == 429
    # Ulrika herself, at another machine, is not locked out.
    response = client.post(reverse("login"), login, REMOTE_ADDR=OTHER_ADDRESS)
    assert response.status_code == 302


def test_a_mismatched_new_password_is_not_a_guess(ulrika_client, ulrika):
    for _ in range(6):
        response = ulrika_client.post(
            reverse("password_change"),
            {"old_password": OLD, "new_password1": NEW, "new_password2": NEW + "x"},
            REMOTE_ADDR=HOME_ADDRESS,
        )
        assert response.status_code == 200
    assert change(ulrika_client, OLD).status_code == 302


def test_no_password_typed_on_the_page_is_stored_with_the_failed_attempt(ulrika_client):
    change(ulrika_client, "gissat-lösenord")
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "ulrika"
    assert "gissat-lösenord" not in attempt.post_data
    assert NEW not in attempt.post_data
