"""Every page in English holds no Swedish text of the portal's own, and every page in Swedish no
English: each string the catalogue translates differently is looked for, as its source text
on the Swedish page and as its Swedish translation on the English one. The demo's data is in
Swedish (company names, findings), so only interface phrases of two words or more are looked
for: a user's text never makes the test fail, a forgotten {% translate %} does."""

from __future__ import annotations

import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.security.conftest import DemoPortal
from tests.security.test_access_matrix import ACCESS, url_for
from tests.urlwalk import iter_url_patterns

# One process runs this module: its module fixture is built once (make test: --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("language_walk")]

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"
# Placeholders split a message into the fragments looked for.
PLACEHOLDER = re.compile(r"%\([^)]*\)[sd]|%[sd]|\{[^}]*\}|<[^>]+>")
MIN_FRAGMENT = 14


def _fragments(text: str) -> set[str]:
    pieces = (piece.strip(" .,:;–-()“”\"'") for piece in PLACEHOLDER.split(text))
    return {p for p in pieces if len(p) >= MIN_FRAGMENT and " " in p}


def _phrases() -> tuple[set[str], set[str]]:
    """(English fragments, Swedish fragments) of messages translated differently."""
    english, swedish = set(), set()
    for entry in polib.pofile(str(CATALOGUE)):
        pairs = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural:
            pairs = [(entry.msgid, entry.msgstr_plural.get(0, "")),
                     (entry.msgid_plural, entry.msgstr_plural.get(1, ""))]  # fmt: skip
        for source, translated in pairs:
            if not translated or source == translated:
                continue
            english |= _fragments(source)
            swedish |= _fragments(translated)
    shared = english & swedish  # the same words in both languages (names, numbers)
    return english - shared, swedish - shared


def _users_text() -> str:
    """Everything people typed into the demo (in Swedish): a phrase found there may be on a
    page as data. Celebration titles are left out: the portal writes those."""
    from django.apps import apps
    from django.db import models

    texts = []
    for model in apps.get_models():
        # A request for public records is kept as it was registered: the requester's words and
        # the description of what it covers, written in the registrar's language at the time.
        if model._meta.app_label not in {
            "interviews",
            "workshops",
            "actionplan",
            "areas",
            "records",
        }:
            continue
        if model.__name__ == "Celebration" or model.__name__.startswith("Historical"):
            continue
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
        ]
        for row in model._default_manager.values_list(*fields):
            texts.extend(str(value) for value in row if value)
    return "\n".join(texts)


def _visible_text(content: bytes, language: str) -> str:
    text = content.decode("utf-8", "replace")
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    # A part marked as another language is meant to be in it: a letter previewed in the
    # language it is sent in, a message's subject in its recipient's.
    other_language = rf'(?is)<(\w+)\b[^>]*\slang="(?!{language}")[^"]*"[^>]*>.*?</\1\s*>'
    text = re.sub(other_language, " ", text)
    text = re.sub(r"(?s)<!--.*?-->", " ", text)
    # Attributes people read too: labels, placeholders, titles.
    attributes = " ".join(re.findall(r'(?:aria-label|placeholder|title|alt)="([^"]*)"', text))
    text = re.sub(r"<[^>]+>", " ", text) + " " + attributes
    return re.sub(r"\s+", " ", html.unescape(text))


@pytest.fixture(scope="module")
def pages(demo_portal: DemoPortal) -> dict[str, dict[str, str]]:
    """language -> {url: visible text} of every page each role may open (HTML only)."""
    patterns = {name: pattern for name, _route, pattern in iter_url_patterns()}
    found: dict[str, dict[str, str]] = {"sv": {}, "en": {}}
    for name in sorted(set(patterns) & set(ACCESS)):
        readers = ACCESS[name]["GET"] or frozenset()
        for role in sorted(readers, key=str):
            url = url_for(demo_portal, name, patterns[name])
            for language in ("sv", "en"):
                client = demo_portal.client_for(role)
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                reply = demo_portal.request(role, "GET", url)
                client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
                if reply.status == 200 and reply.content.lstrip()[:15].lower().startswith(
                    b"<!doctype html"
                ):
                    found[language][f"{url} ({role})"] = _visible_text(reply.content, language)
            break  # one role a page: the texts are the same templates
    return found


def test_the_walk_reads_the_pages(pages):
    assert len(pages["sv"]) > 40 and set(pages["sv"]) == set(pages["en"])


@pytest.mark.parametrize("language", ["en", "sv"])
def test_no_page_shows_the_other_languages_interface_text(pages, language):
    english, swedish = _phrases()
    typed = _users_text()
    other = {phrase for phrase in (swedish if language == "en" else english) if phrase not in typed}
    leaks = {
        page: sorted(phrase for phrase in other if phrase in text)
        for page, text in pages[language].items()
    }
    leaks = {page: found for page, found in leaks.items() if found}
    assert leaks == {}, leaks
