"""Reference numbers: one series a year, and no two requests with the same number even when
they are registered at the same moment."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections

from records.models import RecordRequest
from records.services import record_request_create


def _register(handler, year: int = 2026) -> RecordRequest:
    return record_request_create(
        received_on=datetime.date(year, 11, 2),
        channel="e-post",
        description="Intervjuerna",
        handler=handler,
        user=handler,
    )


@pytest.mark.django_db
def test_numbers_follow_each_other_within_a_year_and_start_again_the_next(registrar):
    assert [_register(registrar).number for _ in range(2)] == ["AH 2026/0001", "AH 2026/0002"]
    assert _register(registrar, 2027).number == "AH 2027/0001"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need Postgres")
def test_requests_registered_at_the_same_moment_get_different_numbers(registrar):
    barrier = threading.Barrier(4)
    errors = []

    def register():
        try:
            barrier.wait()
            _register(registrar)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(RecordRequest.objects.values_list("number", flat=True))
    assert numbers == [f"AH 2026/000{n}" for n in range(1, 5)]
