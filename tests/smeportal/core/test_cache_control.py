"""Cache-Control: no-store for signed-in users' pages; static files stay cacheable.

Every page of the URL walk is checked in tests/security/test_access_matrix.py.
"""

from __future__ import annotations

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse


@pytest.mark.django_db
def test_a_signed_in_page_is_not_stored(developer_client):
    response = developer_client.get(reverse("interviews:interview_list"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_static_files_stay_cacheable_for_a_signed_in_user(developer_client):
    response = developer_client.get(staticfiles_storage.url("css/portal.css"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
