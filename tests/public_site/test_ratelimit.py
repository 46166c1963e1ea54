"""One address may open the public pages a limited number of times a minute."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit_of_three(settings):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 3


@pytest.mark.parametrize("name", ["public:results", "public:feed"])
def test_an_address_over_the_limit_is_told_to_wait(limit_of_three, anonymous, db, name):
    url = reverse(name)
    for _ in range(3):
        assert anonymous.get(url).status_code == 200

    response = anonymous.get(url)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert '<html lang="sv">' in page
    assert "Försök igen om" in page or "try again in" in page


def test_other_addresses_are_not_limited(limit_of_three, anonymous, db):
    url = reverse("public:results")
    for _ in range(4):
        anonymous.get(url)

    other = Client(REMOTE_ADDR="192.0.2.7")

    assert other.get(url).status_code == 200


def test_the_address_behind_trusted_proxies_counts(limit_of_three, settings, db):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("public:results")
    first = Client(HTTP_X_FORWARDED_FOR="198.51.100.1")
    for _ in range(4):
        first.get(url)

    assert first.get(url).status_code == 429
    assert Client(HTTP_X_FORWARDED_FOR="198.51.100.2").get(url).status_code == 200


def test_signed_in_staff_are_not_limited(limit_of_three, council_client):
    url = reverse("public:results")

    assert all(council_client.get(url).status_code == 200 for _ in range(5))


def test_no_limit_when_it_is_switched_off(settings, anonymous, db):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 0

    assert all(anonymous.get(reverse("public:results")).status_code == 200 for _ in range(5))
