"""The message catalogues are complete: every Swedish screen text has a translation."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_catalogue_is_complete_and_has_no_fuzzy_entries(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert len(catalogue) > 50


def test_swedish_placeholders_match_the_source():
    catalogue = polib.pofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.po"))
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    for entry in catalogue.translated_entries():
        expected = set(placeholder.findall(entry.msgid + (entry.msgid_plural or "")))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert set(placeholder.findall(translation)) <= expected, entry.msgid
            if not entry.msgid_plural:
                assert set(placeholder.findall(translation)) == expected, entry.msgid
