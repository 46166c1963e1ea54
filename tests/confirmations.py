"""Carrying out a destructive action in tests the way a user does: ask, then confirm."""

from __future__ import annotations

import re

from smeportal.core.form_tokens import CONFIRMATION_FIELD

_TOKEN = re.compile(rf'name="{CONFIRMATION_FIELD}" value="([^"]+)"')
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def confirmation_form(response) -> tuple[str, list[tuple[str, str]]]:
    """The token and the hidden fields of a confirmation page."""
    import html

    body = response.content.decode()
    match = _TOKEN.search(body)
    assert match, "no confirmation form on the page"
    fields = [
        (name, html.unescape(value))
        for name, value in _HIDDEN.findall(body)
        if name not in {CONFIRMATION_FIELD, "csrfmiddlewaretoken", "next"}
    ]
    return html.unescape(match.group(1)), fields


def post_confirmed(client, url: str, data: dict | None = None, **extra):
    """POST the action, then confirm it on the confirmation page the server answers with."""
    first = client.post(url, data or {}, **extra)
    assert first.status_code == 200, first.status_code
    token, fields = confirmation_form(first)
    payload: dict[str, list[str]] = {}
    for name, value in fields:
        payload.setdefault(name, []).append(value)
    payload[CONFIRMATION_FIELD] = [token]
    return client.post(url, payload, **extra)
