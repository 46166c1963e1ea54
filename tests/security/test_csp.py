"""Content Security Policy and the other security headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.smeportal.test_settings import PRODUCTION_ENV, run_python

BASE_DIR = Path(__file__).resolve().parents[2]
EXPECTED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["login", "core:home", "interviews:interview_list"])
def test_pages_carry_an_enforced_policy_without_inline_code(client, administrator, url_name):
    if url_name != "login":
        client.force_login(administrator)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert "Content-Security-Policy-Report-Only" not in response
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives(policy) == EXPECTED_DIRECTIVES


@pytest.mark.django_db
def test_error_pages_carry_the_policy_too(admin_client):
    response = admin_client.get("/finns-inte/")
    assert response.status_code == 404
    assert directives(response["Content-Security-Policy"]) == EXPECTED_DIRECTIVES


@pytest.mark.django_db
def test_pages_cannot_be_framed_and_leak_no_referrer(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


INLINE_CODE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "inline <script>"),
    (re.compile(r"<style\b", re.IGNORECASE), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "on…= event handler"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
    (re.compile(r"\s(data-)?hx-on", re.IGNORECASE), "hx-on (needs eval)"),
]


# E-mail: a mail program ignores stylesheets from elsewhere, so a message's styles are inline.
# These templates are never a page of the portal; the outbox shows a message's HTML under a
# policy of its own (sandbox, nothing loaded: smeportal.outbox.views.message_html).
EMAIL_TEMPLATES = sorted((BASE_DIR / "templates").glob("*/email"))


def test_email_templates_hold_no_script():
    for template in sorted(t for folder in EMAIL_TEMPLATES for t in folder.rglob("*.html")):
        text = template.read_text(encoding="utf-8").lower()
        assert "<script" not in text and "javascript:" not in text, template
        assert "<img" not in text and "<link" not in text, template  # nothing fetched


def test_no_template_has_inline_scripts_or_styles():
    """The policy forbids inline code, so a template that carried any would break silently."""
    found = []
    for template in sorted((BASE_DIR / "templates").rglob("*.html")):
        if any(template.is_relative_to(folder) for folder in EMAIL_TEMPLATES):
            continue
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE_CODE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(BASE_DIR)}:{line}: {what}")
    assert found == []


def test_production_sends_the_security_headers():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS > 0, s.SECURE_REFERRER_POLICY,"
        " s.SECURE_CROSS_ORIGIN_OPENER_POLICY, s.X_FRAME_OPTIONS,"
        " 'unsafe-inline' in str(s.CONTENT_SECURITY_POLICY),"
        " bool(getattr(s, 'CONTENT_SECURITY_POLICY_REPORT_ONLY', None)))",
        "smeportal.settings.production",
        PRODUCTION_ENV,
    )
    assert result.stdout.split() == [
        "True",
        "same-origin",
        "same-origin",
        "DENY",
        "False",
        "False",
    ], result.stderr
