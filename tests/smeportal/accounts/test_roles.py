from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from smeportal.accounts.navigation import NAV_ITEMS
from smeportal.accounts.roles import (
    CAPABILITIES,
    GRANTED_CAPABILITIES,
    Grant,
    Role,
    has_capability,
    role_holders,
    user_grants,
    user_roles,
)
from smeportal.areas.models import PriorityArea
from tests.factories import UserFactory
from tests.swedish import sv
from tests.urlwalk import PUBLIC_URL_NAMES, URL_ARGUMENT_EXAMPLES, iter_url_patterns

EXPECTED_NAVIGATION = {
    Role.DEVELOPER: [
        "Start",
        "Översikt",
        "Företag",
        "Intervjuer",
        "Synpunkter",
        "Mina uppföljningar",
        "Workshoppar",
        "Handlingsplan",
        "Rapporter",
        "Ni sa – vi gjorde",
    ],
    Role.FACILITATOR: [
        "Start",
        "Översikt",
        "Synpunkter",
        "Workshoppar",
        "Handlingsplan",
        "Rapporter",
    ],
    Role.COUNCIL: ["Start", "Översikt", "Workshoppar", "Handlingsplan", "Rapporter"],
    Role.ADMINISTRATOR: [
        "Start",
        "Översikt",
        "Företag",
        "Intervjuer",
        "Synpunkter",
        "Mina uppföljningar",
        "Workshoppar",
        "Handlingsplan",
        "Rapporter",
        "Ni sa – vi gjorde",
        "Allmänna handlingar",
        "E-arkiv",
        "Prioriterade områden",
        "Användare",
        "Granskningslogg",
        "E-post",
        sv("Open data"),
    ],
}


@pytest.mark.django_db
def test_the_four_role_groups_exist_with_model_permissions():
    names = set(Group.objects.values_list("name", flat=True))
    assert {role.value for role in Role} <= names
    assert {grant.value for grant in Grant} <= names
    admin_permissions = set(
        Group.objects.get(name=Role.ADMINISTRATOR).permissions.values_list("codename", flat=True)
    )
    assert {"change_priorityarea", "delete_priorityarea", "add_user"} <= admin_permissions
    council_permissions = set(
        Group.objects.get(name=Role.COUNCIL).permissions.values_list("codename", flat=True)
    )
    assert "change_priorityarea" not in council_permissions


@pytest.mark.django_db
def test_capabilities_follow_roles():
    council = UserFactory(role=Role.COUNCIL)
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    assert user_roles(council) == {Role.COUNCIL}
    assert not has_capability(council, "areas.manage")
    assert has_capability(administrator, "areas.manage")
    assert not has_capability(administrator, "no.such.capability")


@pytest.mark.django_db
def test_a_grant_adds_its_capabilities_to_a_business_developer_only():
    registrar_group = Group.objects.get(name=Grant.REGISTRAR.value)
    developer = UserFactory(role=Role.DEVELOPER)
    registrar = UserFactory(role=Role.DEVELOPER)
    registrar.groups.add(registrar_group)
    council = UserFactory(role=Role.COUNCIL)
    council.groups.add(registrar_group)
    facilitator = UserFactory(role=Role.FACILITATOR)
    facilitator.groups.add(registrar_group)
    administrator = UserFactory(role=Role.ADMINISTRATOR)

    assert user_grants(registrar) == {Grant.REGISTRAR}
    assert user_grants(council) == set() and user_grants(facilitator) == set()
    for capability in ("records.handle", "archive.deliver"):
        assert GRANTED_CAPABILITIES[capability] is Grant.REGISTRAR
        assert has_capability(registrar, capability)
        assert has_capability(administrator, capability)
        assert not has_capability(developer, capability)
        assert not has_capability(council, capability)
        assert not has_capability(facilitator, capability)
    # The information management plan is the administrators' alone, registrar or not.
    assert not has_capability(registrar, "archive.plan")
    assert has_capability(administrator, "archive.plan")


@pytest.mark.django_db
def test_roles_and_grants_are_read_in_one_query(django_assert_num_queries):
    registrar = UserFactory(role=Role.DEVELOPER)
    registrar.groups.add(Group.objects.get(name=Grant.REGISTRAR.value))
    registrar = type(registrar).objects.get(pk=registrar.pk)
    with django_assert_num_queries(1):
        assert has_capability(registrar, "records.handle")
        assert has_capability(registrar, "interviews.view")
        assert not has_capability(registrar, "areas.manage")


def test_every_granted_capability_is_declared():
    assert set(GRANTED_CAPABILITIES) <= set(CAPABILITIES)


def test_every_navigation_entry_has_a_declared_capability():
    for item in NAV_ITEMS:
        assert item.capability in CAPABILITIES, item


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_exactly_its_navigation(client, role):
    user = UserFactory(role=role)
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    labels = [str(entry["label"]) for entry in response.context["nav_items"]]
    assert labels == EXPECTED_NAVIGATION[role]


@pytest.mark.django_db
def test_a_user_without_role_sees_only_the_start_page(client, user_without_role):
    client.force_login(user_without_role)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert response.context["nav_items"] == []
    assert "Du har ingen roll" in response.content.decode()
    assert client.get(reverse("areas:list")).status_code == 403


def _concrete_urls():
    area = PriorityArea.objects.order_by("order").first()
    examples = {"slug": area.slug, "pk": 1, "token": "8c5f3a52-8d1f-4c1e-9a39-0f1a2b3c4d5e"}
    for name, route, pattern in iter_url_patterns():
        if name in PUBLIC_URL_NAMES:
            continue
        kwargs = {key: examples[key] for key in pattern.pattern.converters}
        try:
            yield name, reverse(name, kwargs=kwargs)
        except NoReverseMatch:  # pragma: no cover - a pattern this walker cannot fill
            pytest.fail(f"No example arguments for {name} ({route})")


@pytest.mark.django_db
def test_anonymous_requests_to_every_portal_page_redirect_to_login(client):
    login_url = reverse("login")
    urls = list(_concrete_urls())
    assert len(urls) >= 6
    for name, url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if name.startswith("api:"):
                # The API asks a program for its token instead (tests/api/test_token_matrix.py).
                assert response.status_code == 401, (name, method, response.status_code)
                continue
            assert response.status_code == 302, (name, method, response.status_code)
            assert response["Location"].startswith(f"{login_url}?next="), (name, method)


@pytest.mark.django_db
# A letter's "no more letters" link needs a signed token: tests/letters/test_unsubscribe.py.
@pytest.mark.parametrize("name", sorted(PUBLIC_URL_NAMES - {"set_language", "letters:unsubscribe"}))
def test_public_pages_answer_anonymous_users(client, name):
    pattern = next(pattern for found, _route, pattern in iter_url_patterns() if found == name)
    kwargs = {key: URL_ARGUMENT_EXAMPLES[key] for key in pattern.pattern.converters}
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 200


@pytest.mark.django_db
def test_role_holders_are_the_active_users_of_the_roles_once_each_by_name(
    django_assert_num_queries,
):
    both = UserFactory(first_name="Åsa", last_name="Berg", role=Role.DEVELOPER)
    both.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    developer = UserFactory(first_name="Anna", last_name="Ek", role=Role.DEVELOPER)
    superuser = UserFactory(first_name="Bo", last_name="Ek", is_superuser=True)
    council_member = UserFactory(first_name="Cecilia", role=Role.COUNCIL)
    UserFactory(first_name="David", role=Role.DEVELOPER, is_active=False)
    UserFactory(first_name="Erik")

    with django_assert_num_queries(1):
        holders = list(role_holders([Role.DEVELOPER, Role.ADMINISTRATOR]))

    assert holders == [developer, superuser, both]
    # A superuser may act in every role.
    assert list(role_holders([Role.COUNCIL])) == [superuser, council_member]
