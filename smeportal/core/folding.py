"""Search that ignores case and accents, the same on Postgres and SQLite.

"åkeri", "ÅKERI" and "Akeri" find "Åkeri"; "hallby" finds "Hällby". SQLite's LIKE ignores
case for ASCII letters only, and neither database ignores accents by itself, so both compare
`portal_fold(column)`: lower case without diacritics. On Postgres `portal_fold` is an immutable
SQL function over the unaccent extension (migration core 0003), so that trigram indexes can
be built on it; on SQLite it is this module's `fold`, registered on every new connection. The
searched text is folded here in Python, so `name__folded_contains="Åker"` means
`portal_fold(name) LIKE '%aker%'` on both.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, Lookup, TextField
from django.dispatch import receiver

FUNCTION = "portal_fold"


def fold(text: str | None) -> str | None:
    """Lower case, with the diacritics taken off: "Hällby Åkeri" -> "hallby akeri"."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


@functools.lru_cache(maxsize=4096)
def lenient_key(text: str) -> str:
    """Comparison key for what people type in files and forms: case, accents, dashes,
    underscores and spacing do not matter ("Anna-Lena  Åberg" and "anna–lena aberg" are one).
    The interview import reads headers and choices with it, and it matches contact persons by
    name (interviews.services)."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text).replace("_", " ")
    return " ".join(text.split())


@receiver(connection_created)
def _register_sqlite_fold(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, fold, deterministic=True)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@CharField.register_lookup
@TextField.register_lookup
class FoldedContains(Lookup):
    """`field__folded_contains=text`: the field holds the text, ignoring case and accents."""

    lookup_name = "folded_contains"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [_like_pattern(fold(str(value)))]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{FUNCTION}({lhs}) LIKE {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]
