"""Requests without a decision by their due date: on the handler's start page and in the
daily digest, both bounded however many there are."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from records.services import record_request_create, request_decide
from reminders.selectors import DIGEST_ITEMS, digests_for
from reminders.services import daily_digests_queue
from smeportal.outbox.models import OutgoingMessage
from tests.querycounts import page_queries

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


def _request(handler, received_on: datetime.date, description: str = "Intervjuerna"):
    return record_request_create(
        received_on=received_on,
        channel="e-post",
        description=description,
        handler=handler,
        user=handler,
    )


def test_an_overdue_request_is_in_the_handlers_digest_until_it_is_decided(registrar):
    overdue = _request(registrar, datetime.date(2026, 11, 20))
    _request(registrar, datetime.date(2026, 11, 30))  # due 2 December: not yet
    [digest] = digests_for(TODAY)
    assert [item.title for item in digest.requests.items] == [overdue.number]
    assert daily_digests_queue(today=TODAY) == 1
    message = OutgoingMessage.objects.get()
    assert overdue.number in message.body_text
    assert f"/allmanna-handlingar/{overdue.pk}/" in message.body_text
    request_decide(
        record_request=overdue, outcome="helhet", grounds=[], reasoning="", user=registrar
    )
    assert digests_for(TODAY) == []


def test_the_digest_caps_the_requests(registrar):
    for day in range(DIGEST_ITEMS + 3):
        _request(registrar, datetime.date(2026, 10, 1) + datetime.timedelta(days=day))
    [digest] = digests_for(TODAY)
    assert len(digest.requests.items) == DIGEST_ITEMS
    assert digest.requests.left_out == 3


@freeze_time("2026-12-01 09:00")
def test_the_start_page_shows_the_handlers_overdue_requests_at_a_constant_cost(
    registrar, registrar_client
):
    first = _request(registrar, datetime.date(2026, 11, 2))
    assert timezone.localdate() == TODAY
    response, few = page_queries(registrar_client, reverse("core:home"))
    body = response.content.decode()
    assert first.number in body
    assert reverse("records:request_detail", args=[first.pk]) in body
    for day in range(15):
        _request(registrar, datetime.date(2026, 10, 1) + datetime.timedelta(days=day))
    response, many = page_queries(registrar_client, reverse("core:home"))
    assert few == many
    assert "?overdue=on" in response.content.decode()


@freeze_time("2026-12-01 09:00")
def test_the_start_page_shows_nothing_of_it_to_others(registrar, developer_client, council_client):
    _request(registrar, datetime.date(2026, 11, 2))
    for client in (developer_client, council_client):
        body = client.get(reverse("core:home")).content.decode()
        assert "/allmanna-handlingar/" not in body
