from __future__ import annotations

import pytest
from django.urls import reverse

from smeportal.accounts.roles import Role
from tests.factories import UserFactory


@pytest.mark.django_db
def test_login_page_is_swedish(client):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in body
    assert "Logga in" in body
    assert "Användarnamn" in body


@pytest.mark.django_db
def test_login_with_password_reaches_the_start_page(client):
    UserFactory(username="ulrika", password="rätt-lösenord-2030", role=Role.DEVELOPER)
    response = client.post(
        reverse("login"), {"username": "ulrika", "password": "rätt-lösenord-2030"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert "Välkommen" in response.content.decode()


@pytest.mark.django_db
def test_wrong_password_gives_a_swedish_message(client):
    UserFactory(username="ulrika", password="rätt-lösenord-2030")
    response = client.post(reverse("login"), {"username": "ulrika", "password": "fel"})
    assert response.status_code == 200
    assert "Användarnamnet eller lösenordet är fel" in response.content.decode()


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(developer_client):
    response = developer_client.post(reverse("logout"))
    assert response.status_code == 302
    assert developer_client.get(reverse("core:home")).status_code == 302


@pytest.mark.django_db
def test_password_change(client, settings):
    from smeportal.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS  # the portal's own: a new one is Argon2
    user = UserFactory(username="ulrika", password="gammalt-lösenord-2030")
    client.force_login(user)
    assert "Byt lösenord" in client.get(reverse("password_change")).content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "gammalt-lösenord-2030",
            "new_password1": "nytt-säkert-lösenord-2031",
            "new_password2": "nytt-säkert-lösenord-2031",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("nytt-säkert-lösenord-2031")
    assert user.password.startswith("argon2$")


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in body
    assert "Log in to the SME dialogue portal" in body
    client.post(reverse("set_language"), {"language": "sv", "next": reverse("login")})
    assert '<html lang="sv">' in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_swedish_until_the_user_switches(client):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="sv">' in body
