"""Masking a person's name in free text, for contacts anonymised under a retention decision.

A contact's name is personal data wherever it is written, and business developers write it in
interview notes, company notes, follow-ups and findings ("Åsa vill ha besked om bygglovet").
Anonymising the contact record alone would leave it there, so the decision also masks, in
those texts, the full name and each part of it with two letters or more, as whole words,
whatever the case (Unicode-aware: "ÅSA", "åsa", "Öberg"). A Swedish genitive is part of the
word ("Åsas", "Lars:s") so it goes too. Short or common name parts ("Per", "Bo") may mask an
ordinary word as well: the rule prefers losing a word to keeping a name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Written into the data (Swedish, as the records are), not a translated interface string.
REDACTED_NAME = "[namn borttaget]"
MIN_PART_LENGTH = 2

_LETTERS = re.compile(r"[^\W\d_]+")
# Between the parts of a full name as people write it: spaces, hyphens, apostrophes, dots.
_SEPARATOR = r"[\s\-\u2010\u2011\u2013'\u2019.]+"


def _normal(text: str) -> str:
    # The same letter may be stored composed (Å) or decomposed (A + ring): compare one form.
    return unicodedata.normalize("NFC", text)


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of the names, in full or by a part of 2+ letters, or None."""
    alternatives: set[str] = set()
    for name in names:
        parts = _LETTERS.findall(_normal(name or ""))
        if len(parts) > 1:
            alternatives.add(_SEPARATOR.join(re.escape(part) for part in parts))
        alternatives.update(re.escape(part) for part in parts if len(part) >= MIN_PART_LENGTH)
    if not alternatives:
        return None
    # Longest first, so a full name is masked once rather than part by part.
    ordered = sorted(alternatives, key=lambda alternative: (-len(alternative), alternative))
    return re.compile(rf"(?<!\w)(?:{'|'.join(ordered)})(?::?s)?(?!\w)", re.IGNORECASE)


def redact(text: str, pattern: re.Pattern[str] | None) -> str:
    """The text with every match of the pattern replaced by REDACTED_NAME; unchanged if none."""
    if not text or pattern is None:
        return text
    masked, count = pattern.subn(REDACTED_NAME, _normal(text))
    return masked if count else text
