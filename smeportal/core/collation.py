"""Swedish alphabetical order (… x y z å ä ö) in the database, on Postgres and SQLite alike.

Postgres has ICU's Swedish collation; SQLite gets a Python collation registered on every new
connection. `swedish(expression)` wraps an expression for order_by().
"""

from __future__ import annotations

import functools
import unicodedata

from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models.functions import Collate
from django.dispatch import receiver

SQLITE_COLLATION = "swedish"
POSTGRES_COLLATION = "sv-x-icu"
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzåäö"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Letters Swedish sorts as another: é as e, ü as y, æ as ä and ø as ö.
_FOLD = {"æ": "ä", "ø": "ö", "ü": "y"}


def _fold_letter(letter: str) -> str:
    if letter in _RANK:
        return letter
    if letter in _FOLD:
        return _FOLD[letter]
    base = unicodedata.normalize("NFD", letter)[0]
    return base if base in _RANK else letter


@functools.lru_cache(maxsize=4096)
def swedish_sort_key(text: str) -> tuple:
    """Key for sorted(): letters in Swedish order, case and accents only break ties."""
    folded = [_fold_letter(letter) for letter in (text or "").lower()]
    primary = tuple(_RANK.get(letter, 100 + ord(letter)) for letter in folded)
    return (primary, text or "")


def _sqlite_compare(left: str, right: str) -> int:
    left_key, right_key = swedish_sort_key(left), swedish_sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


@receiver(connection_created)
def _register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _sqlite_compare)


def swedish(expression: str):
    """An order_by() expression that sorts the text column in Swedish order."""
    name = POSTGRES_COLLATION if connection.vendor == "postgresql" else SQLITE_COLLATION
    return Collate(expression, name)
