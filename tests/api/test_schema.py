"""The OpenAPI document validates, and its documentation page reads it for everyone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from tests.swedish import sv

pytestmark = pytest.mark.django_db


def test_the_openapi_document_validates(client):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert "/api/v1/public/proposals/" in paths
    assert "post" in paths["/api/v1/measurements/"]
    assert document["components"]["securitySchemes"]["personalToken"]["scheme"] == "bearer"


def test_the_documentation_page_lists_every_endpoint(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert sv("Published data (open to everyone)") in page
    for path in ("/api/v1/public/indicators/", "/api/v1/interviews/", "/api/v1/measurements/"):
        assert path in page
