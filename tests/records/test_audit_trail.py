"""The audit trail shows who released what, and the review's decisions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from records.models import ReleasedDocument
from records.services import released_document_build, request_release

pytestmark = pytest.mark.django_db


def test_the_audit_trail_shows_who_released_what(admin_client, covered, record_request, registrar):
    [document] = request_release(record_request=record_request, user=registrar, with_workbook=False)
    released_document_build(document_id=document.pk)
    assert ReleasedDocument.objects.get().history.count() >= 2
    response = admin_client.get(
        reverse("audit:audit_list"), {"object_type": "records.releaseddocument"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert registrar.get_full_name() in body or registrar.username in body
    requests = admin_client.get(
        reverse("audit:audit_list"), {"object_type": "records.recordrequest"}
    )
    assert record_request.number in requests.content.decode()
