"""Swedish postcodes (postnummer): five digits, written “NNN NN”.

Stored in the written form, so a letter's address block prints as the post expects it; typed
with or without the space (“63220”, “632 20”). The first digit is never 0: Swedish postcodes
run from 100 00 to 984 99.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

POSTCODE = re.compile(r"[1-9][0-9]{2} [0-9]{2}")
# Only the ASCII digits 0-9 count: other Unicode digits ("²", "٣") are not a postcode.
_TYPED = re.compile(r"\s*([1-9][0-9]{2})\s*([0-9]{2})\s*")


def _invalid(value: str) -> ValidationError:
    return ValidationError(
        _("“%(value)s” is not a Swedish postcode. Write five digits, e.g. 632 20."),
        code="invalid_postcode",
        params={"value": value},
    )


def normalise_postal_code(raw: str) -> str:
    """“63220” or “632 20” as “632 20”; empty stays empty. Raises ValidationError otherwise."""
    value = str(raw or "").strip()
    if not value:
        return ""
    match = _TYPED.fullmatch(value)
    if match is None:
        raise _invalid(value)
    return f"{match.group(1)} {match.group(2)}"


def validate_postal_code(value: str) -> None:
    """The stored form: “NNN NN” (forms normalise what was typed first)."""
    if value and not POSTCODE.fullmatch(value):
        raise _invalid(value)
