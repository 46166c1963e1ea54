from __future__ import annotations

import re

import pytest
from django.urls import reverse

from smeportal.areas.models import PriorityArea
from smeportal.areas.selectors import area_list
from tests.confirmations import post_confirmed
from tests.factories import PriorityAreaFactory

SIX_AREA_NAMES = [
    "Kommunikation och dialog mellan näringsliv och kommunkoncern",
    "Attraktivitet, trygghet och stadskärnans utveckling",
    "Service till företag och intern samverkan (bygglov, tillstånd, bemötande)",
    "Kompetensförsörjning",
    "Upphandling inom kommunkoncernen",
    "Tillväxtförutsättningar och hållbar näringslivsutveckling",
]


@pytest.mark.django_db
def test_the_six_areas_are_seeded_in_order():
    assert [area.name for area in area_list()] == SIX_AREA_NAMES


@pytest.mark.django_db
def test_start_page_shows_the_six_areas(developer_client):
    body = developer_client.get(reverse("core:home")).content.decode()
    positions = [body.index(name.replace("(", "(")) for name in SIX_AREA_NAMES[:2]]
    assert positions == sorted(positions)
    for name in SIX_AREA_NAMES:
        assert name in body


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["developer_client", "facilitator_client", "council_client"])
def test_only_administrators_manage_areas(request, fixture):
    client = request.getfixturevalue(fixture)
    area = PriorityArea.objects.first()
    assert client.get(reverse("areas:list")).status_code == 403
    assert client.post(reverse("areas:create"), {"name": "X"}).status_code == 403
    assert client.post(reverse("areas:archive", args=[area.slug])).status_code == 403
    assert client.post(reverse("areas:delete", args=[area.slug])).status_code == 403
    assert PriorityArea.objects.filter(pk=area.pk, is_archived=False).exists()


@pytest.mark.django_db
def test_administrator_creates_and_edits_an_area(admin_client):
    response = admin_client.post(
        reverse("areas:create"),
        {
            "name": "Digitalisering",
            "name_en": "Digitalisation",
            "slug": "digitalisering",
            "description": "Digitala tjänster",
            "order": 7,
            "colour": "#334455",
        },
    )
    assert response.status_code == 302
    area = PriorityArea.objects.get(slug="digitalisering")
    response = admin_client.post(
        reverse("areas:update", args=[area.slug]),
        {
            "name": "Digitalisering och AI",
            "slug": "digitalisering",
            "order": 7,
            "colour": "#334455",
        },
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.name == "Digitalisering och AI"
    assert "Digitalisering och AI" in admin_client.get(reverse("areas:list")).content.decode()


@pytest.mark.django_db
def test_bad_area_input_gives_swedish_errors_and_saves_nothing(admin_client):
    before = PriorityArea.objects.count()
    response = admin_client.post(
        reverse("areas:create"),
        {"name": "Kompetensförsörjning", "slug": "inte en slug", "order": -1, "colour": "red"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Formuläret innehåller fel" in body
    assert "sex hexadecimala" in body or "sex hexsiffror" in body
    assert PriorityArea.objects.count() == before


@pytest.mark.django_db
def test_unknown_area_gives_404(admin_client):
    assert admin_client.get(reverse("areas:update", args=["finns-inte"])).status_code == 404


@pytest.mark.django_db
def test_archive_hides_the_area_from_new_work_and_restore_brings_it_back(admin_client):
    area = PriorityArea.objects.get(slug="upphandling")
    post_confirmed(admin_client, reverse("areas:archive", args=[area.slug]), {"archived": "1"})
    assert area not in area_list()
    assert area in area_list(include_archived=True)
    admin_client.post(reverse("areas:archive", args=[area.slug]), {"archived": "0"})
    assert area in area_list()


@pytest.mark.django_db
def test_an_unreferenced_area_can_be_deleted(admin_client):
    area = PriorityAreaFactory()
    assert admin_client.get(reverse("areas:delete", args=[area.slug])).status_code == 200
    response = post_confirmed(admin_client, reverse("areas:delete", args=[area.slug]))
    assert response.status_code == 302
    assert not PriorityArea.objects.filter(pk=area.pk).exists()


@pytest.mark.django_db
def test_a_referenced_area_cannot_be_deleted_only_archived(admin_client):
    from tests.factories import FindingFactory

    area = PriorityArea.objects.get(slug="kompetensforsorjning")
    FindingFactory(area=area)
    response = admin_client.post(reverse("areas:delete", args=[area.slug]))
    body = response.content.decode()
    assert response.status_code == 409
    assert "kan inte tas bort" in body
    assert "Arkivera" in body
    assert PriorityArea.objects.filter(pk=area.pk).exists()


@pytest.mark.django_db
def test_the_colour_picker_has_no_attributes_html_forbids_on_it(admin_client):
    area = PriorityArea.objects.order_by("order").first()
    body = admin_client.get(reverse("areas:update", args=[area.slug])).content.decode()
    picker = re.search(r'<input type="color"[^>]*>', body).group()
    assert f'value="{area.colour}"' in picker
    assert "maxlength" not in picker and "required" not in picker
    # The field is still required: an empty colour is refused.
    response = admin_client.post(
        reverse("areas:update", args=[area.slug]),
        {"name": area.name, "slug": area.slug, "order": area.order, "colour": ""},
    )
    assert response.status_code == 400
