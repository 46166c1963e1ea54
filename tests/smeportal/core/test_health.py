from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_health_tells_an_anonymous_caller_only_that_the_portal_is_up(client):
    response = client.get(reverse("core:healthz"), REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", ["developer", "facilitator", "council_member"])
def test_health_gives_no_details_to_other_roles(role, request):
    client = Client()
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("core:healthz")).json() == {"status": "ok"}


@pytest.mark.django_db
def test_health_gives_an_administrator_the_details(admin_client, settings):
    response = admin_client.get(reverse("core:healthz"))
    assert response.status_code == 200
    report = response.json()
    assert report["database"] == "ok"
    assert report["status"] == "ok"
    assert report["version"] == settings.VERSION
    assert report["broker"] == "eager"


@pytest.mark.django_db
def test_health_reports_redis_when_a_broker_is_configured(admin_client, settings):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (set in CI)")
    client = admin_client
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = os.environ["REDIS_URL"]
    assert client.get(reverse("core:healthz")).json()["broker"] == "ok"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json()["broker"] == "down"


@pytest.mark.parametrize(
    "database_url",
    ["sqlite:////nonexistent-directory/smeportal.sqlite3", "postgres://postgres@127.0.0.1:1/none"],
)
def test_health_is_503_when_the_database_is_unreachable(database_url):
    """A real unreachable database, in a fresh interpreter so the test database is untouched."""
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz/');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
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
    assert outcome["status"] == 503
    assert outcome["body"] == {"status": "down"}
