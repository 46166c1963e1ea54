"""Import files in Swedish or English (issue 13).

An import template is handed out in the reader's interface language, or in the language asked
for with `?sprak=sv|en` (an English-speaking developer may need a Swedish template for a
colleague, and the other way round). An uploaded file is read whatever language its headers
are in, even a mix of the two, as long as each column is there once.

The words of a file (sheet names, column headers, yes/no, the words of the choices) are its
format, so each import keeps them in per-language tables in code and never in the translation
catalogue: a file that imported yesterday imports tomorrow, whatever happens to the catalogue
and whether it is compiled or not. What the portal says about a file is interface text
(gettext, in the reader's language) and names the columns as the file names them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

SWEDISH, ENGLISH = "sv", "en"
FILE_LANGUAGES = (SWEDISH, ENGLISH)
# The query parameter of a template download that chooses its language.
LANGUAGE_PARAMETER = "sprak"


def interface_language() -> str:
    """The reader's language as a file language: English when the interface is, else Swedish."""
    language = translation.get_language() or SWEDISH
    return ENGLISH if language.split("-", 1)[0] == ENGLISH else SWEDISH


def requested_file_language(request) -> str | None:
    """The language a template download asks for: `?sprak=sv|en`, or the interface language
    without it; None for any other value (the view answers 400)."""
    value = request.GET.get(LANGUAGE_PARAMETER)
    if value is None or value == "":
        return interface_language()
    value = value.strip().lower()
    return value if value in FILE_LANGUAGES else None


def unknown_file_language(request):
    """The 400 page for a template asked for in a language the portal has no template in."""
    message = _(
        "There is no template in that language. Choose “%(sv)s” for Swedish or “%(en)s” for "
        "English, or leave the choice out to get the template in the interface language."
    ) % {"sv": f"{LANGUAGE_PARAMETER}={SWEDISH}", "en": f"{LANGUAGE_PARAMETER}={ENGLISH}"}
    return render(request, "errors/400.html", {"message": message}, status=400)


class FileHeaders:
    """Reads the header row of one uploaded file (a `header_positions` of read_data_rows).

    `headers` holds, per language, {column key: header}; the key is the column's Swedish
    header, which is what the rows read from the file are keyed by (and what a stored upload
    holds between preview and commit). A header may omit its "(…)" hint. Each column is looked
    up in both languages, so a file may mix them; a column found twice under two languages'
    names is refused (which of the two holds the data?). The same name twice keeps the first,
    as before.

    After the call, `names` maps each column found to its header as written in the file and
    `language` is the language most of the file's headers are in (the interface language on a
    tie), for the words the messages suggest. Built once per file; the lookup table of all
    spellings once per process.
    """

    def __init__(
        self,
        spellings: Mapping[str, tuple[str, frozenset[str]]],
        *,
        required: Iterable[str],
        headers: Mapping[str, Mapping[str, str]],
        key: Callable[[Any], str],
        text: Callable[[Any], str],
    ):
        self._spellings = spellings
        self._required = tuple(required)
        self._headers = headers
        self._key = key
        self._text = text
        self.language = interface_language()
        self.names: dict[str, str] = {}

    def name(self, column: str) -> str:
        """The column's header as the file writes it, or as the file's language does."""
        return self.names.get(column) or self._headers[self.language][column]

    def __call__(self, header_row: tuple) -> tuple[dict[str, int], list[str]]:
        positions: dict[str, int] = {}
        languages_of: dict[str, frozenset[str]] = {}
        names: dict[str, str] = {}
        for index, cell in enumerate(header_row):
            spelling = self._key(cell)
            if not spelling or spelling not in self._spellings:
                continue
            column, languages = self._spellings[spelling]
            if column in positions:
                if languages.isdisjoint(languages_of[column]):
                    raise ValidationError(
                        _(
                            "The file has the column “%(first)s” twice, also as “%(second)s”. "
                            "Delete one of the two columns and try again."
                        ),
                        code="duplicate_headers",
                        params={"first": names[column], "second": self._text(cell)},
                    )
                continue
            positions[column] = index
            languages_of[column] = languages
            names[column] = self._text(cell)
        votes = Counter(
            language for languages in languages_of.values() if len(languages) == 1
            for language in languages
        )  # fmt: skip
        if votes[ENGLISH] != votes[SWEDISH]:
            self.language = ENGLISH if votes[ENGLISH] > votes[SWEDISH] else SWEDISH
        self.names = names
        missing = [self.name(column) for column in self._required if column not in positions]
        return positions, missing


def header_spellings(
    headers: Mapping[str, Mapping[str, str]], key: Callable[[Any], str]
) -> dict[str, tuple[str, frozenset[str]]]:
    """Every accepted spelling (as `key` reduces it) of every header, in every language, to
    (column key, the languages that spell it so). Two columns may not share a spelling."""
    found: dict[str, tuple[str, set[str]]] = {}
    for language, columns in headers.items():
        for column, header in columns.items():
            for spelling in {key(header), key(header.split(" (", 1)[0])}:
                owner, languages = found.setdefault(spelling, (column, set()))
                if owner != column:
                    raise ValueError(f"“{header}” ({language}) is also a header of “{owner}”")
                languages.add(language)
    return {spelling: (column, frozenset(langs)) for spelling, (column, langs) in found.items()}
