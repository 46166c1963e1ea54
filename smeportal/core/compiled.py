"""Reads of the busiest pages, compiled to SQL once per process and run with each request's ids.

Django turns a queryset into SQL on every request. On a detail or list page that costs more
than anything else the page does: 1.5–3 ms of Python for a read with joins and an ORDER BY
(the ORM hashes every selected column to match the ordering against it), against half a
millisecond to run it. A page's read differs from one request to the next only in the ids it
is for (the interview's, the activity's, a page of findings), so it is compiled once with
stand-in ids and then run with the real ones: the ORM's own SQL with its parameters bound, its
values converted as the ORM converts them, on Postgres and SQLite alike
(smeportal/core/slices.py repeats a compiled part of a union in the same way).

Used by the pages of interviews, workshops, letters and the action plan.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler

# Ids are positive, so no real parameter of a read has one of these values; within the range of
# a 32-bit integer, where the ORM takes them as ids and not as values out of range.
_FIRST_STAND_IN = -2_000_000_001
# The largest id a column holds.
_MAX_ID = 2**63 - 1
# A read is compiled once per length of its lists of ids, for lists up to this long (a page's
# rows): a longer list is rare, and goes through the ORM.
MAX_COMPILED_IDS = 100

Key = int | Sequence[int]


@dataclass(frozen=True)
class _Compiled:
    alias: str
    vendor: str
    sql: str
    params: tuple
    places: tuple[tuple[int, ...], ...]  # per stand-in id, where it is among the parameters
    compiler: SQLCompiler | None  # None for SQL of the page's own


class CompiledRead:
    """A `values_list()` read whose SQL is compiled once per process and thread (and per number
    of ids in a list of ids), then run with the ids it is asked for.

    `build` gets one argument per key, an id or a list of ids, and returns the queryset (or
    SQL and its parameters, built from the ORM's: smeportal.core.slices); the ids may appear
    only as parameters (filters, subqueries), never in the shape of the read, and every other
    parameter must be a constant (a value of the request, such as today's date, would be
    compiled in and kept). `rows()` returns what `list(build(*keys))` returns (the rows of
    the SQL), in one query. A list of ids holds each id once, as an IN list does.
    """

    def __init__(self, build: Callable[..., QuerySet | tuple[str, Sequence]]):
        self._build = build
        # Per thread: a compiled read keeps its compiler (to convert values as the ORM does),
        # which belongs to its thread's connection.
        self._local = threading.local()

    def rows(self, *keys: Key) -> list[tuple]:
        ids = [list(key) if not isinstance(key, int) else key for key in keys]
        flat = [value for key in ids for value in (key if isinstance(key, list) else [key])]
        if any(value < 1 or value > _MAX_ID for value in flat) or any(
            isinstance(key, list) and not 0 < len(key) <= MAX_COMPILED_IDS for key in ids
        ):
            # No row has such an id, or there is none: the ORM knows what that means here
            # (`pk__in=[]` reads nothing, without a query). Or a long list of ids.
            return self._read(self._build(*ids))
        shape = tuple(len(key) if isinstance(key, list) else None for key in ids)
        by_shape: dict[tuple, _Compiled] = self._local.__dict__.setdefault("by_shape", {})
        compiled = by_shape.get(shape)
        if compiled is None or connections[compiled.alias].vendor != compiled.vendor:
            compiled = by_shape[shape] = self._compile(shape)
        params = list(compiled.params)
        for value, places in zip(flat, compiled.places, strict=True):
            for place in places:
                params[place] = value
        with connections[compiled.alias].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        compiler = compiled.compiler
        if compiler is None:
            return fetched
        if compiler.has_extra_select:
            # Columns the SQL needs but the read does not return (an ORDER BY of a DISTINCT
            # read): the ORM cuts them off, and so here.
            fetched = [row[: compiler.col_count] for row in fetched]
        return list(compiler.results_iter(results=[fetched], tuple_expected=True))

    @staticmethod
    def _read(built: QuerySet | tuple[str, Sequence]) -> list[tuple]:
        if isinstance(built, QuerySet):
            return list(built)
        sql, params = built
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _compile(self, shape: tuple) -> _Compiled:
        stand_ins = iter(range(_FIRST_STAND_IN, _FIRST_STAND_IN - 100_000, -1))
        args = [
            next(stand_ins) if size is None else [next(stand_ins) for _ in range(size)]
            for size in shape
        ]
        built = self._build(*args)
        if isinstance(built, QuerySet):
            if not built._fields:
                raise ValueError("a compiled read is a values_list() of named fields")
            alias = built.db
            compiler = built.query.get_compiler(alias)
            sql, params = compiler.as_sql()
        else:
            alias, compiler = DEFAULT_DB_ALIAS, None
            sql, params = built
        flat = [value for arg in args for value in (arg if isinstance(arg, list) else [arg])]
        places = []
        for stand_in in flat:
            found = tuple(
                index
                for index, param in enumerate(params)
                if type(param) is int and param == stand_in
            )
            if not found:
                raise ValueError("an id of a compiled read must be one of its parameters")
            places.append(found)
        return _Compiled(
            alias=alias,
            vendor=connections[alias].vendor,
            sql=sql,
            params=tuple(params),
            places=tuple(places),
            compiler=compiler,
        )


def columns(model: type[Model], *names: str) -> list[str]:
    """These columns of the model (all of them without names), its key first, in the model's
    order: the order in which instance() takes their values."""
    every = [field.attname for field in model._meta.concrete_fields]
    if not names:
        return every
    wanted = {"id", *names}
    chosen = [column for column in every if column in wanted]
    if len(chosen) != len(wanted) or chosen[0] != "id":
        raise ValueError(f"not columns of {model.__name__}: {names}")
    return chosen


def instance(model: type[Model], names: Sequence[str], values: Sequence) -> Model:
    """A model instance of these columns (columns() of the model) and values, the others
    deferred, as the ORM builds one from a row. A page may use only the columns it read: any
    other would cost a query of its own."""
    return model.from_db(DEFAULT_DB_ALIAS, names, values)


def related(path: str, names: Sequence[str]) -> list[str]:
    """The lookups of a related model's columns (columns() of it) but its key, which the
    foreign key on `path` holds: `related("plan", ["id", "title"])` is ["plan__title"]."""
    return [f"{path}__{name}" for name in names[1:]]


def prefetched(obj: Model, name: str, related_objects: Sequence[Model]) -> None:
    """`obj.<name>.all()` gives these objects without a query, as after prefetch_related() (a
    many-to-many relation, whose ids the page read itself). Django's related managers drop
    them on add(), remove() and set(), as they drop prefetched ones."""
    manager = getattr(obj, name)
    queryset = manager.get_queryset()
    queryset._result_cache = list(related_objects)
    queryset._prefetch_done = True
    if not hasattr(obj, "_prefetched_objects_cache"):
        obj._prefetched_objects_cache = {}
    obj._prefetched_objects_cache[manager.prefetch_cache_name] = queryset
