"""The demo: one request open past its due date, one decided with a partial release."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from records.models import RecordRequest, ReleasedDocument

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_overdue_request_and_a_partial_release(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")
    call_command("seed_demo")
    decided = RecordRequest.objects.get(status="beslutad")
    assert decided.outcome == "delvis"
    assert set(ReleasedDocument.objects.filter(request=decided).values_list("kind", flat=True)) == {
        "pdf",
        "beslut",
    }
    open_request = RecordRequest.objects.get(status="provning")
    assert open_request.is_overdue(timezone.localdate())
    assert open_request.handler.username == "utvecklare"
    call_command("seed_demo")  # again: nothing more
    assert RecordRequest.objects.count() == 2
