"""htmx acts only on what the portal wrote, and hands the CSRF token to no one else.

The CSRF header is set by static/js/portal.js (htmx:configRequest, same origin, from a <meta>
tag), not by hx-headers on <body>; htmx runs without eval, script tags in swapped content, a
history cache or requests to other origins; and the portal spells its htmx attributes data-hx-*
(valid HTML). tests/browser/test_htmx_browser.py checks the same in Chromium.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[2]
# An htmx attribute without the data- prefix, e.g. ` hx-post=` (but not ` data-hx-post=`).
PLAIN_HTMX_ATTRIBUTE = re.compile(r"(?<![\w-])hx-[a-z][a-z:-]*\s*=", re.IGNORECASE)
META = re.compile(r"""<meta name="(?P<name>[^"]+)" content=(?P<q>["'])(?P<content>.*?)(?P=q)>""")


def metas(page: str) -> dict[str, str]:
    return {match["name"]: html.unescape(match["content"]) for match in META.finditer(page)}


def test_templates_and_scripts_spell_htmx_attributes_data_hx():
    found = []
    for path in sorted(
        [*(BASE_DIR / "templates").rglob("*.html"), *(BASE_DIR / "static").rglob("*.js")]
    ):
        text = path.read_text(encoding="utf-8")
        for match in PLAIN_HTMX_ATTRIBUTE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(BASE_DIR)}:{line}: {match.group()}")
    assert found == []


def test_the_templates_use_htmx_somewhere():
    # The check above must have something to look at.
    text = (BASE_DIR / "templates" / "workshops" / "fast_entry.html").read_text(encoding="utf-8")
    assert "data-hx-post=" in text


@pytest.mark.django_db
def test_htmx_runs_without_eval_scripts_history_or_other_origins(client):
    page = client.get(reverse("login")).content.decode()
    config = json.loads(metas(page)["htmx-config"])
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    assert config["selfRequestsOnly"] is True
    assert config["historyCacheSize"] == 0


@pytest.mark.django_db
def test_the_body_gives_htmx_no_headers(developer_client):
    page = developer_client.get(reverse("core:home")).content.decode()
    assert "hx-headers" not in page
    assert re.search(r"<body>", page)


@pytest.mark.django_db
def test_the_meta_token_is_accepted_as_the_csrf_header(developer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(developer)
    page = client.get(reverse("core:home")).content.decode()
    token = metas(page)["csrf-token"]
    url = reverse("set_language")
    assert client.post(url, {"language": "sv"}).status_code == 403  # without it: refused
    response = client.post(url, {"language": "sv"}, headers={"X-CSRFToken": token})
    assert response.status_code == 302
