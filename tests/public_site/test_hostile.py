"""Whatever a visitor sends, the public pages answer without an error: they take no input."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOSTILE = [
    {"page": "-1"},
    {"page": "999999999999999999999"},
    {"lang": "<script>alert(1)</script>"},
    {"q": "' OR 1=1 --"},
    {"area": "\x00"},
    {"next": "//evil.example/"},
]


@pytest.mark.parametrize("name", ["public:results", "public:feed"])
@pytest.mark.parametrize("params", HOSTILE)
def test_query_parameters_are_ignored(anonymous, dialogue, name, params):
    response = anonymous.get(reverse(name), params)

    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    assert b"evil.example" not in response.content


@pytest.mark.parametrize("name", ["public:results", "public:feed"])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_are_refused(anonymous, db, name, method):
    response = getattr(anonymous, method)(reverse(name))

    assert response.status_code == 405


def test_a_head_request_is_answered(anonymous, dialogue):
    assert anonymous.head(reverse("public:results")).status_code == 200


def test_a_language_cookie_of_no_language_falls_back_to_swedish(anonymous, dialogue):
    anonymous.cookies["django_language"] = "xx<script>"

    response = anonymous.get(reverse("public:results"))

    assert response.status_code == 200
    assert b'<html lang="sv">' in response.content
