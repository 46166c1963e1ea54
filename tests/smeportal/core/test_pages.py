from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_accessibility_statement_names_the_standard_and_how_to_report(client):
    body = client.get(reverse("core:accessibility")).content.decode()
    assert "WCAG 2.1" in body
    assert "EN 301 549" in body
    assert "2018:1937" in body
    assert "mailto:" in body


@pytest.mark.django_db
def test_base_layout_has_skip_link_landmarks_and_footer_link(developer_client):
    body = developer_client.get(reverse("core:home")).content.decode()
    assert 'href="#main"' in body
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in body
    assert reverse("core:accessibility") in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("developer_client", "Logga dina intervjuer"),
        ("facilitator_client", "Förbered workshopen"),
        ("council_client", "översiktspanelen"),
        ("admin_client", "Lägg till användare"),
    ],
)
def test_start_page_gives_each_role_its_next_steps(request, fixture, expected):
    body = request.getfixturevalue(fixture).get(reverse("core:home")).content.decode()
    assert expected in body


@pytest.mark.django_db
def test_unknown_page_gives_the_swedish_404(developer_client):
    response = developer_client.get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan kunde inte hittas" in response.content.decode()


@pytest.mark.django_db
def test_403_page_is_swedish(developer_client):
    response = developer_client.get(reverse("areas:list"))
    assert response.status_code == 403
    assert "Du har inte behörighet till sidan" in response.content.decode()
