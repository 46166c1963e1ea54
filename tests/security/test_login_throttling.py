"""Login throttling: five failed logins lock a user name at one address for 15 minutes, and
thirty from one address lock that address; nobody can lock a colleague out from elsewhere."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from smeportal.accounts.roles import Role
from smeportal.core.middleware import client_ip_address
from tests.factories import UserFactory

PASSWORD = "rätt-lösenord-2030"
HOME_ADDRESS = "198.51.100.7"
OTHER_ADDRESS = "203.0.113.9"
LOCKED_TEXT = "Inloggningen är tillfälligt spärrad"


@pytest.fixture
def ulrika(db):
    return UserFactory(username="ulrika", password=PASSWORD, role=Role.DEVELOPER)


def attempt(client, username: str, password: str, address: str = HOME_ADDRESS):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_five_times(client, username: str = "ulrika", address: str = HOME_ADDRESS):
    for _ in range(5):
        attempt(client, username, "fel-lösenord", address)


def is_logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("core:home")


def test_four_failures_still_allow_the_right_password(client, ulrika):
    for _ in range(4):
        response = attempt(client, "ulrika", "fel-lösenord")
        assert response.status_code == 200
        assert "Användarnamnet eller lösenordet är fel" in response.content.decode()
    assert is_logged_in(attempt(client, "ulrika", PASSWORD))


def test_sixth_attempt_is_locked_even_with_the_right_password(client, ulrika):
    fail_five_times(client)
    response = attempt(client, "ulrika", PASSWORD)
    body = response.content.decode()
    assert response.status_code == 429
    assert LOCKED_TEXT in body
    assert "15 minuter" in body
    assert '<html lang="sv">' in body
    assert "_auth_user_id" not in client.session


def test_the_account_still_opens_from_another_address(client, ulrika):
    """Lockout is no weapon: wrong passwords for Ulrika elsewhere do not lock Ulrika out."""
    fail_five_times(client, address=OTHER_ADDRESS)
    assert attempt(client, "ulrika", PASSWORD, address=OTHER_ADDRESS).status_code == 429
    assert is_logged_in(attempt(client, "ulrika", PASSWORD, address=HOME_ADDRESS))


def test_the_admin_account_still_opens_for_a_colleague_elsewhere(client, ulrika):
    UserFactory(username="admin", password=PASSWORD, role=Role.ADMINISTRATOR)
    for _ in range(3):
        fail_five_times(client, username="admin", address=OTHER_ADDRESS)
    assert is_logged_in(attempt(client, "admin", PASSWORD, address=HOME_ADDRESS))


def test_five_failures_for_one_name_leave_other_names_at_that_address_open(client, ulrika):
    UserFactory(username="kalle", password=PASSWORD)
    fail_five_times(client, username="ulrika", address=HOME_ADDRESS)
    assert is_logged_in(attempt(client, "kalle", PASSWORD, address=HOME_ADDRESS))


def test_an_address_trying_many_names_is_locked_after_thirty_failures(client, ulrika):
    UserFactory(username="kalle", password=PASSWORD)
    # Four wrong passwords each for user names that may not even exist: no name reaches five.
    for number in range(7):
        for _ in range(4):
            response = attempt(client, f"gissning{number}", "fel-lösenord", OTHER_ADDRESS)
            assert response.status_code == 200
    response = attempt(client, "gissning7", "fel-lösenord", OTHER_ADDRESS)
    assert response.status_code == 200
    # The thirtieth failure from the address uses up its budget.
    response = attempt(client, "gissning7", "fel-lösenord", OTHER_ADDRESS)
    assert response.status_code == 429
    # Now every user name is refused from there, even with the right password ...
    response = attempt(client, "kalle", PASSWORD, OTHER_ADDRESS)
    body = response.content.decode()
    assert response.status_code == 429
    assert LOCKED_TEXT in body
    assert '<html lang="sv">' in body
    assert "_auth_user_id" not in client.session
    # ... while the same people log in from their own addresses.
    assert is_logged_in(attempt(client, "kalle", PASSWORD, HOME_ADDRESS))


def test_the_address_lock_also_ends_after_the_cool_off(client, ulrika):
    start = timezone.now()
    with freeze_time(start) as frozen:
        for number in range(6):
            fail_five_times(client, username=f"gissning{number}", address=OTHER_ADDRESS)
        assert attempt(client, "ulrika", PASSWORD, OTHER_ADDRESS).status_code == 429
        frozen.tick(timedelta(minutes=15, seconds=1))
        assert is_logged_in(attempt(client, "ulrika", PASSWORD, OTHER_ADDRESS))


def test_another_user_from_another_address_is_not_affected(client, ulrika):
    UserFactory(username="kalle", password=PASSWORD)
    fail_five_times(client, username="ulrika", address=HOME_ADDRESS)
    assert is_logged_in(attempt(client, "kalle", PASSWORD, address=OTHER_ADDRESS))


def test_login_works_again_after_the_cool_off(client, ulrika):
    start = timezone.now()
    with freeze_time(start) as frozen:
        fail_five_times(client)
        frozen.tick(timedelta(minutes=14))
        assert attempt(client, "ulrika", PASSWORD).status_code == 429
        # The refused attempt above does not count as a new failure, so the lock ends
        # fifteen minutes after the fifth failure.
        frozen.tick(timedelta(minutes=1, seconds=1))
        assert is_logged_in(attempt(client, "ulrika", PASSWORD))


def test_a_successful_login_resets_the_count(client, ulrika):
    for _ in range(4):
        attempt(client, "ulrika", "fel-lösenord")
    assert is_logged_in(attempt(client, "ulrika", PASSWORD))
    client.post(reverse("logout"))
    for _ in range(4):
        attempt(client, "ulrika", "fel-lösenord")
    assert is_logged_in(attempt(client, "ulrika", PASSWORD))


def test_the_lockout_page_has_no_form_and_links_back(client, ulrika):
    fail_five_times(client)
    body = attempt(client, "ulrika", PASSWORD).content.decode()
    assert 'name="password"' not in body
    assert reverse("login") in body


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert client_ip_address(request) == "10.0.0.5"


def test_behind_one_proxy_the_address_it_saw_counts(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="192.0.2.1, " + HOME_ADDRESS)
    assert client_ip_address(request) == HOME_ADDRESS


def test_behind_a_proxy_the_lock_follows_the_client_address(client, ulrika, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": "ulrika", "password": "fel-lösenord"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR=HOME_ADDRESS,
        )
    UserFactory(username="kalle", password=PASSWORD)
    # Another client behind the same proxy is not locked out by Ulrika's mistakes.
    response = client.post(
        reverse("login"),
        {"username": "kalle", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR=OTHER_ADDRESS,
    )
    assert is_logged_in(response)


def test_successful_log_ins_are_not_logged_with_their_address(client, developer):
    """Only failures are kept (and only until the cool-off ends): data minimisation."""
    developer.set_password("rätt-lösenord-2026")
    developer.save()
    response = client.post(
        reverse("login"), {"username": developer.username, "password": "rätt-lösenord-2026"}
    )
    assert response.status_code == 302
    assert not AccessLog.objects.exists()


def test_a_failed_attempt_keeps_no_search_from_the_page_the_visitor_came_from(client, ulrika):
    """Sent to the login page from a search, the visitor's query is not stored with a failure."""
    response = client.get("/intervjuer/?q=198112189876")
    login_url = response["Location"]
    assert "198112189876" in login_url  # LoginRequiredMiddleware keeps it in ?next=
    client.post(
        login_url,
        {"username": "ulrika", "password": "fel-lösenord", "next": "/intervjuer/?q=198112189876"},
    )
    attempt = AccessAttempt.objects.get()
    assert "198112189876" not in attempt.get_data + attempt.post_data
