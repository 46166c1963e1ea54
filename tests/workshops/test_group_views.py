from __future__ import annotations

import pytest
from django.urls import reverse

from smeportal.areas.models import PriorityArea
from tests.factories import PriorityAreaFactory, WorkshopFactory, WorkshopGroupFactory
from workshops.models import WorkshopGroup


def area(order: int) -> PriorityArea:
    return PriorityArea.objects.get(order=order)


def group_data(**changes) -> dict:
    return {
        "name": "Bord 3",
        "area": area(3).pk,
        "member_count": "9",
        "facilitator": "",
        "notes": "Långa handläggningstider för bygglov var det stora samtalsämnet.",
        **changes,
    }


@pytest.mark.django_db
def test_facilitator_adds_a_group(facilitator_client, facilitator):
    workshop = WorkshopFactory()
    response = facilitator_client.post(
        reverse("workshops:group_create", args=[workshop.pk]),
        group_data(facilitator=facilitator.pk),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:workshop_detail", args=[workshop.pk])
    group = WorkshopGroup.objects.get()
    assert (group.workshop, group.name, group.area, group.member_count, group.facilitator) == (
        workshop,
        "Bord 3",
        area(3),
        9,
        facilitator,
    )


@pytest.mark.django_db
def test_save_and_add_another_returns_to_an_empty_group_form(facilitator_client):
    workshop = WorkshopFactory()
    url = reverse("workshops:group_create", args=[workshop.pk])
    response = facilitator_client.post(url, group_data(add_more="1"))
    assert response.status_code == 302
    assert response["Location"] == url


@pytest.mark.django_db
def test_a_second_group_with_the_same_name_is_a_form_error(facilitator_client):
    workshop = WorkshopFactory()
    WorkshopGroupFactory(workshop=workshop, name="Bord 3")
    response = facilitator_client.post(
        reverse("workshops:group_create", args=[workshop.pk]), group_data(name="bord 3 ")
    )
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert 'id="form-errors"' in response.content.decode()
    assert WorkshopGroup.objects.count() == 1


@pytest.mark.django_db
def test_the_same_name_in_another_workshop_is_fine(facilitator_client):
    WorkshopGroupFactory(name="Bord 3")
    workshop = WorkshopFactory()
    response = facilitator_client.post(
        reverse("workshops:group_create", args=[workshop.pk]), group_data()
    )
    assert response.status_code == 302
    assert WorkshopGroup.objects.filter(name="Bord 3").count() == 2


@pytest.mark.django_db
def test_editing_a_group_keeps_its_own_name_and_changes_the_rest(facilitator_client):
    group = WorkshopGroupFactory(name="Bord 3", area=area(1))
    WorkshopGroupFactory(workshop=group.workshop, name="Bord 4")
    url = reverse("workshops:group_update", args=[group.pk])
    response = facilitator_client.post(url, group_data(area=area(4).pk, member_count="11"))
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.area, group.member_count) == ("Bord 3", area(4), 11)
    response = facilitator_client.post(url, group_data(name="Bord 4"))
    assert response.status_code == 400
    assert "name" in response.context["form"].errors


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"member_count": "-2"}, "member_count"),
        ({"member_count": "tolv"}, "member_count"),
        ({"member_count": "501"}, "member_count"),
        ({"area": "999999"}, "area"),
        ({"area": ""}, "area"),
        ({"facilitator": "999999"}, "facilitator"),
    ],
)
@pytest.mark.django_db
def test_bad_input_gives_a_form_error(facilitator_client, changes, field):
    workshop = WorkshopFactory()
    response = facilitator_client.post(
        reverse("workshops:group_create", args=[workshop.pk]), group_data(**changes)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not WorkshopGroup.objects.exists()


@pytest.mark.django_db
def test_only_active_areas_are_offered_by_name(facilitator_client):
    archived = PriorityAreaFactory(name="Gammalt område", is_archived=True)
    workshop = WorkshopFactory()
    response = facilitator_client.get(reverse("workshops:group_create", args=[workshop.pk]))
    body = response.content.decode()
    assert "Kompetensförsörjning" in body
    assert "Gammalt område" not in body
    response = facilitator_client.post(
        reverse("workshops:group_create", args=[workshop.pk]), group_data(area=archived.pk)
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_facilitator_can_only_be_a_facilitator_or_administrator(facilitator_client, developer):
    workshop = WorkshopFactory()
    response = facilitator_client.post(
        reverse("workshops:group_create", args=[workshop.pk]), group_data(facilitator=developer.pk)
    )
    assert response.status_code == 400
    assert "facilitator" in response.context["form"].errors


@pytest.mark.django_db
def test_unknown_workshop_or_group_is_404(facilitator_client):
    assert facilitator_client.get(reverse("workshops:group_create", args=[999])).status_code == 404
    assert (
        facilitator_client.post(reverse("workshops:group_create", args=[999]), group_data())
    ).status_code == 404
    assert facilitator_client.get(reverse("workshops:group_update", args=[999])).status_code == 404


@pytest.mark.parametrize("client_name", ["council_client", "developer_client"])
@pytest.mark.django_db
def test_readers_cannot_add_or_edit_groups(request, client_name):
    client = request.getfixturevalue(client_name)
    group = WorkshopGroupFactory(name="Bord 1")
    create = reverse("workshops:group_create", args=[group.workshop_id])
    update = reverse("workshops:group_update", args=[group.pk])
    assert client.get(create).status_code == 403
    assert client.post(create, group_data()).status_code == 403
    assert client.get(update).status_code == 403
    assert client.post(update, group_data(name="Bord 9")).status_code == 403
    assert list(WorkshopGroup.objects.values_list("name", flat=True)) == ["Bord 1"]


@pytest.mark.django_db
def test_administrator_edits_a_group(admin_client):
    group = WorkshopGroupFactory(name="Bord 1")
    response = admin_client.post(
        reverse("workshops:group_update", args=[group.pk]), group_data(name="Bord 1A")
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Bord 1A"
