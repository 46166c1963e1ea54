"""The Django admin (the administrators' users page) grants no more than the portal's roles.

Everything goes through the real admin change form: GET the page, POST it back as a browser
would, with the fields an attacker adds.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from smeportal.accounts.roles import Grant, Role, has_capability
from tests.factories import UserFactory


@pytest.fixture
def staff_administrator(db):
    """An administrator by role, with admin access, but not a superuser."""
    user = UserFactory(username="admin", role=Role.ADMINISTRATOR)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def admin_client(client, staff_administrator):
    client.force_login(staff_administrator)
    return client


def change_url(user) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def form_data(user, **changes) -> dict:
    """What the change form posts for this user, plus the given changes."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [group.pk for group in user.groups.all()],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return data


def test_an_administrator_cannot_make_itself_superuser(admin_client, staff_administrator):
    every_permission = list(Permission.objects.values_list("pk", flat=True))
    response = admin_client.post(
        change_url(staff_administrator),
        form_data(
            staff_administrator,
            first_name="Ändrad",
            is_superuser="on",
            is_staff="on",
            user_permissions=every_permission,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    staff_administrator.refresh_from_db()
    assert staff_administrator.first_name == "Ändrad"  # the form was saved ...
    assert not staff_administrator.is_superuser  # ... without the rights it asked for
    assert not staff_administrator.user_permissions.exists()


def test_the_change_form_shows_the_rights_read_only(admin_client, staff_administrator):
    body = admin_client.get(change_url(staff_administrator)).content.decode()
    assert 'name="username"' in body
    assert 'name="groups"' in body
    for field in ("is_superuser", "is_staff", "user_permissions"):
        assert f'name="{field}"' not in body


def test_only_role_groups_can_be_given(admin_client, staff_administrator):
    colleague = UserFactory(username="kollega", role=Role.DEVELOPER)
    powerful = Group.objects.create(name="Allt")
    powerful.permissions.set(Permission.objects.all())
    response = admin_client.post(change_url(colleague), form_data(colleague, groups=[powerful.pk]))
    assert response.status_code == 200  # the form refuses the choice
    assert not colleague.groups.filter(pk=powerful.pk).exists()


def test_an_administrator_makes_a_business_developer_registrar(admin_client):
    colleague = UserFactory(username="kollega", role=Role.DEVELOPER)
    registrar = Group.objects.get(name=Grant.REGISTRAR.value)
    assert f'value="{registrar.pk}"' in admin_client.get(change_url(colleague)).content.decode()
    response = admin_client.post(
        change_url(colleague),
        form_data(colleague, groups=[*colleague.groups.values_list("pk", flat=True), registrar.pk]),
    )
    assert response.status_code == 302
    colleague = type(colleague).objects.get(pk=colleague.pk)
    assert has_capability(colleague, "records.handle")
    assert not colleague.is_staff  # a registrar does not get the users page


def test_admin_access_follows_the_administrator_role(admin_client):
    colleague = UserFactory(username="kollega", role=Role.DEVELOPER)
    administrators = Group.objects.get(name=Role.ADMINISTRATOR.value)
    developers = Group.objects.get(name=Role.DEVELOPER.value)

    response = admin_client.post(change_url(colleague), form_data(colleague, is_staff="on"))
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_staff

    response = admin_client.post(
        change_url(colleague), form_data(colleague, groups=[administrators.pk])
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.is_staff

    response = admin_client.post(
        change_url(colleague), form_data(colleague, groups=[developers.pk])
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_staff


def test_a_superuser_account_cannot_be_changed_by_an_administrator(admin_client):
    root = UserFactory(username="root", password="superhemligt-2030")
    root.is_superuser = root.is_staff = True
    root.save()
    response = admin_client.post(change_url(root), form_data(root, email="angripare@example.com"))
    assert response.status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    response = admin_client.post(
        password_url, {"password1": "Övertagen-2030!", "password2": "Övertagen-2030!"}
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.email != "angripare@example.com"
    assert root.check_password("superhemligt-2030")


def test_a_superuser_still_manages_every_right(client, db):
    root = UserFactory(username="root")
    root.is_superuser = root.is_staff = True
    root.save()
    client.force_login(root)
    colleague = UserFactory(username="kollega", role=Role.DEVELOPER)
    response = client.post(
        change_url(colleague), form_data(colleague, is_staff="on", is_superuser="on")
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.is_superuser
    assert colleague.is_staff
