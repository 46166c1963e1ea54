"""Hypothesis strategies for hostile form input: what a careless paste or a deliberate attack
can put in any field of any form."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

# Left out of the posted data altogether (a missing field, not an empty one).
OMIT = object()

CONTROL_CHARACTERS = [
    "\x00",  # NUL: PostgreSQL refuses it in text ("A string literal cannot contain NUL")
    "\x1b[31m",  # an ANSI escape
    "\x07",
    "\x08",
    "\x7f",
    "\r\n",
    "\t",
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark
    "\u2028",  # line separator
]
EMOJI = ["😀", "👩🏽‍💻", "🇸🇪", "🏳️‍🌈"]
SPECIAL_STRINGS = [
    "",
    " ",
    "   ",
    "\t\n ",
    "\u00a0",  # no-break space
    "\u3000",  # ideographic space
    "null",
    "None",
    "undefined",
    "true",
    "<script>alert(1)</script>",
    "'; DROP TABLE interviews_company; --",
    "{{ 7|add:7 }}{% debug %}",
    "%(name)s %s {0}",
    '=HYPERLINK("http://example.invalid")',
    "../../../etc/passwd",
    "Åsa Öberg-Ärlig",
    "مرحبا بالعالم",  # right-to-left script
    "Z\u0351\u0352\u0353a\u0354\u0355l\u0356\u0357g\u0358\u0359o",  # combining marks
]
DATES = [
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2025-13-01",
    "0000-00-00",
    "10000-01-01",
    "1900-01-01",
    "not a date",
    "31/12/2025",
    "2025-06-01T12:00:00",
    "-2025-01-01",
]
NUMBERS = [
    "0",
    "-0",
    "-1",
    "-999999999999999999999",
    "99999999999999999999999",
    "2147483648",
    "9223372036854775808",
    "32768",
    "1e309",
    "-1e309",
    "1e-7",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "١٢٣",  # Arabic-Indic digits
    "²",  # a superscript: str.isdigit() is True, int() refuses it
    "0x1F",
    "1_000",
    "3,5",
    "3.14159265358979",
    "9" * 5000,  # longer than int() converts (4,300 digits)
]
IDS = ["0", "-1", "999999999", "9223372036854775807", "9223372036854775808", "abc", "1.5", "²"]

_TEXT_CHARACTERS = st.characters(codec="utf-8")  # any code point except surrogates


def plain_text() -> st.SearchStrategy[str]:
    """Random Unicode text, including control characters, up to 60 characters."""
    return st.text(alphabet=_TEXT_CHARACTERS, max_size=60)


def text_with_controls() -> st.SearchStrategy[str]:
    return st.builds(
        lambda before, special, after: f"{before}{special}{after}",
        st.text(alphabet=_TEXT_CHARACTERS, max_size=10),
        st.sampled_from(CONTROL_CHARACTERS + EMOJI),
        st.text(alphabet=_TEXT_CHARACTERS, max_size=10),
    )


def long_text() -> st.SearchStrategy[str]:
    """10,000 to 100,000 characters."""
    return st.builds(
        lambda unit, length: (unit * length)[:length],
        st.sampled_from(["a", "å", "😀", "9", " ", "\u202e", "ab\x00"]),
        st.integers(min_value=10_000, max_value=100_000),
    )


def hostile_scalar() -> st.SearchStrategy[Any]:
    return st.one_of(
        plain_text(),
        text_with_controls(),
        long_text(),
        st.sampled_from(SPECIAL_STRINGS),
        st.sampled_from(DATES),
        st.sampled_from(NUMBERS),
        st.sampled_from(IDS),
    )


def hostile_value() -> st.SearchStrategy[Any]:
    """A value for one field: a hostile scalar, a list where one value is expected, or nothing."""
    return st.one_of(
        hostile_scalar(),
        st.lists(hostile_scalar(), min_size=2, max_size=3),
        st.just(OMIT),
    )


@st.composite
def hostile_form_data(draw, valid: dict[str, Any]) -> dict[str, Any]:
    """The valid data with one or more fields replaced by hostile values.

    Keeping the other fields valid lets the hostile value travel past validation to the
    service and the database, where a 500 would come from.
    """
    names = sorted(valid)
    if not names:
        return draw(st.dictionaries(plain_text(), hostile_scalar(), max_size=3))
    hostile = draw(st.sets(st.sampled_from(names), min_size=1, max_size=len(names)))
    data: dict[str, Any] = {}
    for name in names:
        value = draw(hostile_value()) if name in hostile else valid[name]
        if value is not OMIT:
            data[name] = value
    return data
