"""The first few rows of each group, read from an index per group (Postgres).

Pages that show "the first five per priority area" and "counted up to 1,000 per area" read one
short slice per area from the index that serves the area's order, joined by UNION ALL: a
millisecond, where numbering every row of every area (a window function) reads them all. The
ORM compiles a union part by part, six times over for six areas, which costs more than the
query; here the part is compiled once and its SQL repeated with each group's key.

SQLite cannot order and slice the parts of a union; the callers number the rows there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connection
from django.db.models import QuerySet

# A key no group has, to find the key's place among the compiled query's parameters.
_SENTINEL = -2_000_000_017


def union_of_slices(queryset: QuerySet, field: str, keys: Sequence, limit: int) -> tuple[str, list]:
    """SQL and parameters of `queryset.filter(field=key)[:limit]` for each key, UNION ALL.

    The queryset sets the order and the columns (values_list); the SQL fits in a `pk__in`
    (RawSQL) or a subquery.
    """
    if not keys:
        raise ValueError("union_of_slices needs at least one key")
    slice_of = compiled_slice(lambda key: queryset.filter(**{field: key}), limit, once=True)
    return union_all([slice_of(key) for key in keys])


def union_all(parts: Sequence[tuple[str, list]]) -> tuple[str, list]:
    """The parts' SQL (each with its ORDER BY and LIMIT) joined by UNION ALL, and their
    parameters in the same order."""
    sql = " UNION ALL ".join(f"({part_sql})" for part_sql, _ in parts)
    return sql, [value for _, params in parts for value in params]


def compiled_slice(
    build: Callable[[int], QuerySet], limit: int, *, once: bool = False
) -> Callable[[int], tuple[str, list]]:
    """`build(key)[:limit]` compiled once: a function giving its SQL and parameters for a key.

    The key may stand in several conditions (a text search within an area: the area's own
    index is matched only when the area is a constant of each condition); `once`: in exactly
    one. It must stand in the parameters only where `build` put it.
    """
    sql, params = build(_SENTINEL)[:limit].query.sql_with_params()
    places = [index for index, value in enumerate(params) if value == _SENTINEL]
    if not places or (once and len(places) != 1):
        raise ValueError("the key must be a parameter of the query, once where asked")

    def of(key: int) -> tuple[str, list]:
        keyed = list(params)
        for place in places:
            keyed[place] = key
        return sql, keyed

    return of


def rows_of_slices(queryset: QuerySet, field: str, keys: Sequence, limit: int) -> list[tuple]:
    """The rows of union_of_slices, as tuples of the queryset's values_list columns."""
    if not keys:
        return []
    sql, params = union_of_slices(queryset, field, keys, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def counts_of_slices(queryset: QuerySet, field: str, keys: Sequence, limit: int) -> dict:
    """Per key, how many rows of `queryset` it has, counted up to `limit` (one query)."""
    if not keys:
        return {}
    sql, params = union_of_slices(queryset.order_by().values_list(field), field, keys, limit)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT capped.key, COUNT(*) FROM ({sql}) AS capped (key) GROUP BY capped.key",  # noqa: S608
            params,
        )
        return dict(cursor.fetchall())
