"""The database unreachable during a request: a Swedish 503 page, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, OperationalError, ProgrammingError, connections
from django.test import Client, override_settings
from django.urls import path

from smeportal.urls import handler400, handler403, handler404, handler500  # noqa: F401
from smeportal.urls import urlpatterns as portal_urlpatterns

BASE_DIR = Path(__file__).resolve().parents[2]
SWEDISH_503 = "Portalen är tillfälligt otillgänglig"
INTERNALS = ["Traceback", "OperationalError", "sqlite", "psycopg", "connection", 'File "']


@login_not_required
def connection_lost(request):
    raise OperationalError("server closed the connection unexpectedly")


@login_not_required
def bad_query(request):
    # SQLite reports some faults in a query as OperationalError too.
    raise OperationalError("LIKE or GLOB pattern too complex")


@login_not_required
def broken_query(request):
    raise ProgrammingError('relation "interviews_interview" does not exist')


urlpatterns = [
    path("test/anslutning-bruten/", connection_lost),
    path("test/for-komplex/", bad_query),
    path("test/trasig-fraga/", broken_query),
    *portal_urlpatterns,
]


def assert_no_internals(body: str):
    for detail in INTERNALS:
        assert detail not in body


@pytest.fixture
def connection_gone(monkeypatch):
    """The database stops answering mid-request, as when Postgres restarts."""
    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "is_usable", lambda: False)


@override_settings(ROOT_URLCONF=__name__)
def test_a_lost_connection_in_a_view_gives_the_swedish_503_page(db, connection_gone):
    response = Client(raise_request_exception=False).get("/test/anslutning-bruten/")
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert SWEDISH_503 in body
    assert '<html lang="sv">' in body
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert_no_internals(body)


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("url", ["/test/for-komplex/", "/test/trasig-fraga/"])
def test_a_faulty_query_on_a_working_database_stays_an_ordinary_500(db, url):
    response = Client(raise_request_exception=False).get(url)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Något gick fel hos oss" in body
    assert "LIKE" not in body
    assert "relation" not in body


REQUESTS_WITHOUT_A_DATABASE = """
import django, json
django.setup()
from django.test import Client

client = Client(raise_request_exception=False)
outcome = {}

def record(name, response):
    outcome[name] = {
        "status": response.status_code,
        "retry_after": response.get("Retry-After"),
        "body": response.content.decode(),
    }

record("login_post", client.post("/konto/logga-in/", {"username": "ulrika", "password": "x"}))
# A returning user: the session and the user are looked up in middleware, before any view.
client.cookies["sessionid"] = "k" * 32
record("start", client.get("/"))
record("interviews", client.get("/intervjuer/"))
record("unknown", client.get("/finns-inte/"))
# Monitoring asks without a session cookie.
health = Client().get("/healthz/")
outcome["healthz"] = {"status": health.status_code, "body": health.json()}
print(json.dumps(outcome))
"""


@pytest.mark.parametrize(
    "database_url",
    ["sqlite:////nonexistent-directory/smeportal.sqlite3", "postgres://postgres@127.0.0.1:1/none"],
)
def test_pages_are_503_in_swedish_when_the_database_is_unreachable(database_url):
    """A real unreachable database, in a fresh interpreter so the test database is untouched."""
    result = subprocess.run(
        [sys.executable, "-c", REQUESTS_WITHOUT_A_DATABASE],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "smeportal.settings.test",
            "DATABASE_URL": database_url,
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    for name in ("login_post", "start", "interviews", "unknown"):
        page = outcome[name]
        assert page["status"] == 503, name
        assert page["retry_after"] == "60", name
        assert SWEDISH_503 in page["body"], name
        assert_no_internals(page["body"])
    # The health check says down, and nothing more to a caller it does not know.
    assert outcome["healthz"]["status"] == 503
    assert outcome["healthz"]["body"] == {"status": "down"}
    # Operators still get the real error in the log.
    assert "OperationalError" in result.stderr
