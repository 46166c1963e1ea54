"""Reads of the audit app: the audit trail across the domain's history tables, retention.

The audit trail lists django-simple-history records of nine models newest first. A page is read
in the same queries whatever the amount of history and whichever models its rows are of (the
bench compares the demo with 100,000 interviews, whose first pages hold other models):

1. one COUNT over a UNION ALL of the history tables, capped, for the paginator;
2. one UNION ALL over the history tables that selects only (history id, date, model) of the
   page, ordered and sliced in the database, each table giving at most the rows up to the
   page's end;
3. one UNION ALL for the page's records and the record before each (to show what changed),
   with, joined, the columns that name the objects their keys point at (NAME_FIELDS), and the
   links of the tracked many-to-many fields (an interview's interviewers, a proposal's
   findings) as they were at those records, with the linked objects' names joined. Its parts
   have each kind of column in the same places, NULL where a part has fewer.

Users are named from the user filter's list, which the page reads anyway. The union of 3 has
parts only for the models the page holds records of (fewer parts for the database to plan), and
is made even when it holds none (a part for no rows), so that the count does not depend on the
page's rows. These queries are written as SQL from the models' metadata, not through the
ORM: compiling the ORM's unions, subqueries and joins on every view took three times as long as
the database took to answer them, and was most of the page's time.
"""

from __future__ import annotations

import calendar
import functools
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from types import SimpleNamespace
from typing import NamedTuple

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import (
    Count,
    DateField,
    Exists,
    Max,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.db.models.lookups import IsNull, LessThan
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from actionplan.models import ActionPlan, Activity, Goal, Indicator, Measurement
from api.models import ApiCall
from archive.models import DeliveryPackage, InformationRule, RecordType
from archive.selectors import delivered_on
from interviews.models import ANONYMISED_NAME, Company, Contact, Finding, FollowUp, Interview
from interviews.selectors import company_matches
from records.models import CoveredItem, Mask, RecordRequest, ReleasedDocument, SecrecyGround
from smeportal.areas.models import PriorityArea
from smeportal.core.choices import choice_labels
from smeportal.core.history import (
    CHANGE_TYPES,
    IGNORED_FIELDS,
    FieldChange,
    displayed,
    stored_value,
)
from smeportal.outbox.models import OutgoingMessage
from workshops.models import Proposal, Workshop, WorkshopGroup

from .models import RetentionDecision, RetentionDecisionItem

AUDITED_MODELS: tuple[type[Model], ...] = (
    Company,
    Contact,
    Interview,
    Finding,
    FollowUp,
    Proposal,
    Activity,
    Indicator,
    Measurement,
    # Requests for public documents: who registered, reviewed, released and decided what.
    RecordRequest,
    Mask,
    ReleasedDocument,
    # The information management plan, and who delivered what to the e-archive.
    InformationRule,
    DeliveryPackage,
)
ARCHIVED = _("Moved to the archive")
# Contacts anonymised under a retention decision get ANONYMISED_NAME (interviews.models, where
# the letters read it too); they are not offered again.
# The retention page lists at most this many candidates (a decision may still cover every
# match, counted exactly); narrow the criteria to see and pick others.
CANDIDATE_LIMIT = 50


@functools.cache
def audited_models() -> dict[str, type[Model]]:
    """The audited models keyed by their label ("interviews.finding")."""
    return {model._meta.label_lower: model for model in AUDITED_MODELS}


@functools.cache
def history_model_of(label: str) -> type[Model]:
    """The history model of an audited model. `Model.history` builds a manager class on each
    access (inspect.getmembers, about 0.3 ms): a page asked for it some 130 times."""
    return audited_models()[label].history.model


def audited_model_choices() -> list[tuple[str, str]]:
    """(label, Swedish name) of each audited model, for the object type filter."""
    return [
        (label, capfirst(model._meta.verbose_name)) for label, model in audited_models().items()
    ]


def audit_user_choices() -> QuerySet:
    return get_user_model().objects.order_by("first_name", "last_name", "username")


def day_start(day: date) -> datetime:
    """Midnight at the start of a day, Swedish time."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    model_label: str = ""
    date_from: date | None = None
    date_to: date | None = None  # inclusive

    def labels(self) -> list[str]:
        """The labels of the models whose records the filter shows."""
        return [
            label for label in audited_models() if not self.model_label or label == self.model_label
        ]


def _truncated(text: str, length: int) -> str:
    """`text|truncatechars:length`, without walking a text that is short enough already."""
    if len(text) <= length and unicodedata.is_normalized("NFC", text):
        return text
    return Truncator(text).chars(length)


@dataclass
class LinkChange:
    """Objects linked or unlinked through a many-to-many field (a proposal's findings)."""

    label: str
    added: list[str]
    removed: list[str]


@dataclass
class AuditRow:
    """One change on the audit trail. What the table prints (`when_text`, `label_text`,
    `lines`, `link_lines`) is formatted here once: 50 rows through the template's filters
    (date, truncatechars, capfirst) took half of the page's rendering."""

    when: datetime
    who: str
    action: str
    object_type: str
    object_label: str
    changes: list[FieldChange] = field(default_factory=list)
    link_changes: list[LinkChange] = field(default_factory=list)
    when_text: str = field(init=False)
    label_text: str = field(init=False)
    lines: list[tuple[str, str, str]] = field(init=False)
    link_lines: list[tuple[str, list[str], list[str]]] = field(init=False)

    def __post_init__(self):
        self.when_text = f"{timezone.localtime(self.when):%Y-%m-%d %H:%M}"
        self.label_text = _truncated(self.object_label, 80)
        self.lines = [
            (capfirst(change.label), _truncated(change.old, 60), _truncated(change.new, 60))
            for change in self.changes
        ]
        self.link_lines = [
            (
                capfirst(change.label),
                [_truncated(name, 60) for name in change.added],
                [_truncated(name, 60) for name in change.removed],
            )
            for change in self.link_changes
        ]


# What the __str__ of each model that a history record or a tracked link points at reads. The
# trail names those objects from these columns, joined to the records, instead of loading them
# whole (tests/audit/test_audit_names.py checks that the names equal str()). Users are named
# from the user filter's list. The first column of each cannot be empty: an empty one means the
# object is gone.
NAME_FIELDS: dict[type[Model], tuple[str, ...]] = {
    Company: ("name",),
    Contact: ("name", "role"),
    Interview: ("date", "company__name"),
    Finding: ("text",),
    PriorityArea: ("name", "name_en"),
    Workshop: ("title",),  # a delivery package of a dialogue round names its workshop
    WorkshopGroup: ("name",),
    Proposal: ("title",),
    ActionPlan: ("title", "start_year", "end_year"),
    Activity: ("title",),
    Goal: ("title",),
    Indicator: ("name",),
    RecordRequest: ("number",),
    CoveredItem: ("label",),
    SecrecyGround: ("reference",),
}


def _stand_in(model: type[Model], pk, values: dict[str, object]) -> Model | None:
    """An unsaved copy of an object holding only what its __str__ reads (`values`, by the
    paths of NAME_FIELDS); None when the object is gone."""
    if next(iter(values.values())) is None:
        return None
    own: dict[str, object] = {}
    nested: dict[str, dict[str, object]] = defaultdict(dict)
    for path, value in values.items():
        name, _sep, rest = path.partition("__")
        if rest:
            nested[name][rest] = value
        else:
            own[name] = value
    own[model._meta.pk.attname] = pk
    # Positional, the other fields None: keyword arguments would compute their defaults.
    instance = model(*(own.get(model_field.attname) for model_field in model._meta.concrete_fields))
    for name, nested_values in nested.items():
        model_field = model._meta.get_field(name)
        target = _stand_in(model_field.related_model, None, nested_values)
        if target is not None:
            model_field.set_cached_value(instance, target)
    return instance


def _name(instance: Model) -> str:
    try:
        return str(instance)
    except ObjectDoesNotExist:  # it names itself by an object that is gone
        return f"#{instance.pk}"


# --- Reading the trail (SQL from the models' metadata: see the module's docstring) -----------


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@functools.lru_cache(maxsize=256)
def _converters(fields: tuple, database) -> tuple:
    """(column index, converter functions, column) for the columns Django converts on this
    database (SQLite hands dates, date-times, decimals and booleans back as text or numbers;
    Postgres needs nothing)."""
    found = []
    for index, model_field in enumerate(fields):
        if model_field is None:
            continue
        column = model_field.get_col(model_field.model._meta.db_table)
        functions = database.ops.get_db_converters(column) + column.get_db_converters(database)
        if functions:
            found.append((index, tuple(functions), column))
    return tuple(found)


def _fetch(sql: str, params: list, fields: tuple) -> list:
    """The rows of one of the trail's queries, each column converted as Django would convert
    the field given for it (None, or no field: taken as it comes)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _converted(cursor.fetchall(), fields)


def _converted(rows: list, fields: tuple) -> list:
    """The rows with each column converted as Django converts the field given for it."""
    database = connections[DEFAULT_DB_ALIAS]
    converters = _converters(fields, database)
    if not converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for index, functions, column in converters:
            value = row[index]
            for function in functions:
                value = function(value, column, database)
            row[index] = value
        converted.append(row)
    return converted


def _filter_sql(audit_filter: AuditFilter) -> tuple[str, list]:
    """The WHERE clause that applies the filter to any history table, and its parameters."""
    conditions, params = [], []
    if audit_filter.user_id:
        conditions.append(f"{_quote('history_user_id')} = %s")
        params.append(audit_filter.user_id)
    for operator, day in (
        (">=", audit_filter.date_from),
        ("<", audit_filter.date_to and audit_filter.date_to + timedelta(days=1)),
    ):
        if day:
            conditions.append(f"{_quote('history_date')} {operator} %s")
            params.append(connection.ops.adapt_datetimefield_value(day_start(day)))
    return (f" WHERE {' AND '.join(conditions)}" if conditions else ""), params


def audit_trail_count(audit_filter: AuditFilter, *, limit: int | None = None) -> int:
    """How many history records match the filter, counting at most `limit`.

    One query: a UNION ALL over the history tables, cut at `limit` rows in whatever order is
    cheapest (the page's 700,000 records at scale are never counted whole).
    """
    labels = audit_filter.labels()
    if not labels:
        return 0
    where, params = _filter_sql(audit_filter)
    union = " UNION ALL ".join(
        f"SELECT 1 AS one FROM {_quote(history_model_of(label)._meta.db_table)}{where}"  # noqa: S608 (names from the models)
        for label in labels
    )
    params = params * len(labels)
    if limit is not None:
        union += " LIMIT %s"
        params.append(limit)
    [(count,)] = _fetch(f"SELECT COUNT(*) FROM ({union}) trail", params, (None,))  # noqa: S608
    return count


class TrailKey(NamedTuple):
    """One history record on a page of the trail."""

    history_id: int
    history_date: datetime
    label: str


def audit_trail_keys(audit_filter: AuditFilter, start: int, stop: int) -> list[TrailKey]:
    """The matching records from position `start` to `stop`, newest first.

    One query: a UNION ALL over the history tables that the database orders and slices, each
    table giving only its `stop` newest records (read from its date index, or its (user, date)
    index: 0.8 s for a user's 200,000 changes sorted whole, at 100,000 interviews).
    """
    labels = audit_filter.labels()
    if stop <= start or not labels:
        return []
    where, filter_params = _filter_sql(audit_filter)
    history_id, history_date = _quote("history_id"), _quote("history_date")
    parts, params = [], []
    for index, label in enumerate(labels):
        parts.append(
            f"SELECT * FROM (SELECT {history_id}, {history_date}, %s AS audit_model "  # noqa: S608
            f"FROM {_quote(history_model_of(label)._meta.db_table)}{where} "
            f"ORDER BY {history_date} DESC, {history_id} DESC LIMIT %s) part{index}"
        )
        params += [label, *filter_params, stop]
    sql = (
        f"SELECT * FROM ({' UNION ALL '.join(parts)}) trail "  # noqa: S608
        f"ORDER BY {history_date} DESC, {history_id} DESC, audit_model LIMIT %s OFFSET %s"
    )
    date_field = history_model_of(labels[0])._meta.get_field("history_date")
    rows = _fetch(sql, [*params, stop - start, start], (None, date_field, None))
    return [TrailKey(*row) for row in rows]


def _path_column(model: type[Model], alias: str, path: str, joins: dict[str, str]):
    """(SQL column, field) of a NAME_FIELDS path from a table, adding the joins it needs."""
    name, _sep, rest = path.partition("__")
    model_field = model._meta.get_field(name)
    if not rest:
        return f"{alias}.{_quote(model_field.column)}", model_field
    target = model_field.related_model
    joined = f"{alias}_{name}"
    joins.setdefault(
        joined,
        f"LEFT OUTER JOIN {_quote(target._meta.db_table)} {joined} "
        f"ON {joined}.{_quote(target._meta.pk.column)} = {alias}.{_quote(model_field.column)}",
    )
    return _path_column(target, joined, rest, joins)


def _names_joined(model_field, alias: str, joins: dict[str, str]) -> list[tuple[str, object]]:
    """(SQL column, field) of the columns that name what a key (from the table `alias`)
    points at, joined (none for a user: users are named from the user filter's list)."""
    target = model_field.related_model
    if target is get_user_model():
        return []
    joined = f"{alias}_{model_field.name}"
    joins.setdefault(
        joined,
        f"LEFT OUTER JOIN {_quote(target._meta.db_table)} {joined} "
        f"ON {joined}.{_quote(target._meta.pk.column)} = {alias}.{_quote(model_field.column)}",
    )
    return [_path_column(target, joined, path, joins) for path in NAME_FIELDS[target]]


def _record_columns(label: str) -> tuple[list[tuple[str, object, str]], str, tuple]:
    """([(SQL column, field, attribute name)], FROM clause, per key (field, the attribute
    names naming its target)) of a model's history records.

    Only the columns the trail shows: the record's own, the object's fields as they were then,
    and, joined, the columns that name the objects its keys pointed at (a proposal's record
    used to join eleven whole tables).
    """
    model, history_model = audited_models()[label], history_model_of(label)
    selected: list[tuple[str, object, str]] = []
    for name in ("history_id", "history_date", "history_type", "history_user"):
        history_field = history_model._meta.get_field(name)
        selected.append((f"h.{_quote(history_field.column)}", history_field, history_field.attname))
    for model_field in model._meta.concrete_fields:
        history_field = history_model._meta.get_field(model_field.name)
        selected.append((f"h.{_quote(history_field.column)}", history_field, model_field.attname))
    joins: dict[str, str] = {}
    keys = []
    for model_field in model._meta.concrete_fields:
        if not model_field.is_relation:
            continue
        names = _names_joined(history_model._meta.get_field(model_field.name), "h", joins)
        attributes = tuple(
            f"{model_field.name}__{path}" for path in NAME_FIELDS.get(model_field.related_model, ())
        )
        selected += [
            (column, name_field, attribute)
            for (column, name_field), attribute in zip(names, attributes, strict=True)
        ]
        keys.append((model_field, attributes))
    tables = f"{_quote(history_model._meta.db_table)} h {' '.join(joins.values())}"
    return selected, tables, tuple(keys)


# The SQL type of each kind of column in the union of the models' records. Where a part has
# fewer columns of a kind than another, NULL of the type fills their places, so that every part
# of the union has the same types in the same places (Postgres requires it). A field of another
# kind on an audited model fails here (KeyError) until it is given its type.
_COLUMN_TYPES = {
    **dict.fromkeys(
        (
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
        ),
        "BIGINT",
    ),
    "CharField": "TEXT",
    "TextField": "TEXT",
    "BooleanField": "BOOLEAN",
    "DateField": "DATE",
    "DateTimeField": "TIMESTAMP WITH TIME ZONE",
    "DecimalField": "NUMERIC",
}


def _column_type(model_field) -> str:
    if model_field.is_relation:
        model_field = model_field.target_field
    return _COLUMN_TYPES[model_field.get_internal_type()]


def _wanted_and_previous(label: str, column: str) -> str:
    """`column IN (…)`: a model's wanted records ({ids}) and the record before each.

    The record before is found by MAX over the object's own records (its id index) rather
    than by ORDER BY ... LIMIT 1: with the latter Postgres walked the whole history backwards
    for a record without a predecessor (130 ms a row at 600,000 finding records).
    """
    history_model = history_model_of(label)
    table = _quote(history_model._meta.db_table)
    history_id = _quote("history_id")
    object_id = _quote(history_model._meta.get_field(audited_models()[label]._meta.pk.name).column)
    return (
        f"{column} IN (SELECT page.{history_id} FROM {table} page "  # noqa: S608
        f"WHERE page.{history_id} {{ids}} UNION ALL "
        f"SELECT (SELECT MAX(earlier.{history_id}) FROM {table} earlier "
        f"WHERE earlier.{object_id} = page.{object_id} "
        f"AND earlier.{history_id} < page.{history_id}) AS previous_history_id "
        f"FROM {table} page WHERE page.{history_id} {{ids}})"
    )


def _link_columns(m2m_history, target: str) -> tuple[list[tuple[str, object, str]], str]:
    """([(SQL column, field, attribute name)], FROM clause) of a tracked field's link records:
    the record they belong to, the linked object's id and, joined, its name's columns."""
    joins: dict[str, str] = {}
    history_field = m2m_history._meta.get_field("history")
    target_field = m2m_history._meta.get_field(target)
    selected = [
        (f"m.{_quote(history_field.column)}", history_field, "history_id"),
        (f"m.{_quote(target_field.column)}", target_field, "target_id"),
    ]
    selected += [
        (column, name_field, path)
        for (column, name_field), path in zip(
            _names_joined(target_field, "m", joins),
            NAME_FIELDS.get(target_field.related_model, ()),
            strict=True,
        )
    ]
    return selected, f"{_quote(m2m_history._meta.db_table)} m {' '.join(joins.values())}"


@dataclass(frozen=True)
class _Part:
    """A part of the union that reads a page's records: one model's records, or the links of
    one of its tracked fields (`m2m_field`). Where its columns are, and what they hold."""

    label: str
    sql: str  # "{ids}" where the page's ids go ("IN (…)"), twice
    positions: tuple[int, ...]
    fields: tuple
    attributes: tuple[str, ...]
    keys: tuple = ()
    m2m_field: Model | None = None


@functools.cache
def _records_query(labels: tuple[str, ...], vendor: str) -> tuple[_Part, ...]:
    """The parts of the one query that reads the page's records of the models in `labels`,
    the record before each, and the links of their tracked fields.

    Column 0 says which part a row comes from; then the columns of each SQL type, as many as
    the part with the most of them has.
    """
    described = []  # (label, selected, FROM clause, WHERE column, keys, m2m field)
    for label in labels:
        selected, tables, keys = _record_columns(label)
        described.append((label, selected, tables, "h", keys, None))
    for label, m2m_field, m2m_history, target in _m2m_histories(labels):
        selected, tables = _link_columns(m2m_history, target)
        described.append((label, selected, tables, "m", (), m2m_field))
    types = list(dict.fromkeys(_COLUMN_TYPES.values()))
    widths = {
        sql_type: max(
            sum(_column_type(model_field) == sql_type for _c, model_field, _a in selected)
            for _l, selected, *_rest in described
        )
        for sql_type in types
    }
    offsets, position = {}, 1
    for sql_type in types:
        offsets[sql_type] = position
        position += widths[sql_type]
    parts = []
    for index, (label, selected, tables, alias, keys, m2m_field) in enumerate(described):
        select = [
            f"CAST(NULL AS {sql_type})" for sql_type in types for _n in range(widths[sql_type])
        ]
        select.insert(0, str(index))
        used = dict.fromkeys(types, 0)
        positions = []
        for column, model_field, _attribute in selected:
            sql_type = _column_type(model_field)
            place = offsets[sql_type] + used[sql_type]
            used[sql_type] += 1
            select[place] = column
            positions.append(place)
        where = _wanted_and_previous(label, f"{alias}.{_quote('history_id')}")
        parts.append(
            _Part(
                label=label,
                sql=f"SELECT {', '.join(select)} FROM {tables} WHERE {where}",  # noqa: S608
                positions=tuple(positions),
                fields=tuple(model_field for _c, model_field, _a in selected),
                attributes=tuple(attribute for _c, _f, attribute in selected),
                keys=keys,
                m2m_field=m2m_field,
            )
        )
    return tuple(parts)


def _asked(ids) -> list:
    """The ids to look up; [0] (no row has it) for none, so that the query is still made."""
    return list(ids) or [0]


def _in(ids: list) -> tuple[str, list]:
    """`IN (%s, …)` for these ids; (0) for none (no row has it), so that the query is made."""
    ids = _asked(dict.fromkeys(ids))
    return f"IN ({', '.join(['%s'] * len(ids))})", ids


def _target(model: type[Model], pk, values: dict, users: dict, objects: dict, names: dict):
    """The object a key or a link points at (a stand-in, or the user), once per request;
    None when it is gone. Its name goes into `names`."""
    known = objects[model]
    if pk not in known:
        if model is get_user_model():
            known[pk] = users.get(pk)
        else:
            known[pk] = _stand_in(model, pk, values)
        if known[pk] is not None:
            names[model][pk] = _name(known[pk])
    return known[pk]


def _records(
    wanted: dict[str, list[int]], labels: list[str], users: dict, objects: dict, names: dict
) -> dict[str, dict[int, SimpleNamespace]]:
    """Per model label, the `wanted` history records and the record before each, by history
    id: the values the trail shows, as attributes; the objects their keys point at (as
    `related`, by field); the ids linked through each tracked field then (as `links`, by
    field). Those objects, and their names, go into `objects` and `names` by model and pk.

    One UNION ALL query over the history tables, and the link history tables, of the models
    the page holds records of (of the first model in `labels` when it holds none): still one
    query, and the database plans no part that would find nothing.
    """
    present = [label for label in labels if wanted.get(label)] or labels[:1]
    parts = _records_query(tuple(present), connection.vendor)
    union, params = [], []
    for part in parts:
        condition, ids = _in(wanted.get(part.label, []))
        union.append(part.sql.replace("{ids}", condition))
        params += ids + ids
    by_part: dict[int, list] = defaultdict(list)
    for row in _fetch(" UNION ALL ".join(union), params, ()):
        by_part[row[0]].append(row)
    records: dict[str, dict[int, SimpleNamespace]] = {label: {} for label in labels}
    linked = defaultdict(list)
    for label, m2m_field, _history, _target_key in _m2m_histories(tuple(present)):
        linked[label].append(m2m_field)
    for index, part in enumerate(parts):  # the records' parts come first
        rows = _converted(
            [[row[position] for position in part.positions] for row in by_part.get(index, [])],
            part.fields,
        )
        found = records[part.label]
        if part.m2m_field is not None:
            target_model = part.m2m_field.related_model
            for history_id, target_id, *name_values in rows:
                record = found.get(history_id)
                if record is not None:
                    record.links[part.m2m_field].add(target_id)
                    values = dict(zip(NAME_FIELDS.get(target_model, ()), name_values, strict=True))
                    _target(target_model, target_id, values, users, objects, names)
            continue
        for row in rows:
            record = SimpleNamespace(**dict(zip(part.attributes, row, strict=True)))
            record.related = {}
            record.links = {m2m_field: set() for m2m_field in linked[part.label]}
            for model_field, paths in part.keys:
                pk = getattr(record, model_field.attname)
                if pk is None:
                    continue
                prefix = len(model_field.name) + 2
                target = _target(
                    model_field.related_model,
                    pk,
                    {path[prefix:]: getattr(record, path) for path in paths},
                    users,
                    objects,
                    names,
                )
                if target is not None:
                    record.related[model_field] = target
            found[record.history_id] = record
    return records


def _previous(records: dict[int, SimpleNamespace], model: type[Model]) -> dict[int, object]:
    """Per history id, the record of the same object before it among `records`.

    For a wanted record that is the object's record before it: `records` holds that one, and
    none of the object's between the two (there is none).
    """
    by_object: dict[object, list[int]] = defaultdict(list)
    for history_id in sorted(records):
        by_object[getattr(records[history_id], model._meta.pk.attname)].append(history_id)
    return {
        later: records[earlier]
        for history_ids in by_object.values()
        for earlier, later in pairwise(history_ids)
    }


def _object_label(model: type[Model], record: SimpleNamespace) -> str:
    """The object as it was in this record, named by its own __str__."""
    instance = model(
        *(getattr(record, model_field.attname) for model_field in model._meta.concrete_fields)
    )
    for model_field, target in record.related.items():
        model_field.set_cached_value(instance, target)
    return _name(instance)


@functools.cache
def _m2m_histories(labels: tuple[str, ...]) -> list[tuple[str, Model, object, str]]:
    """(model label, tracked many-to-many field, its history model, target key) per field.

    django-simple-history keeps a copy of the links with every record of a model that tracks
    them (an interview's interviewers, a proposal's findings).
    """
    fields = []
    for label in labels:
        history_model = history_model_of(label)
        for m2m_field in getattr(history_model, "_history_m2m_fields", []):
            through = m2m_field.remote_field.through
            m2m_history = next(
                relation.related_model
                for relation in history_model._meta.related_objects
                if getattr(relation.related_model, "instance_type", None) is through
            )
            fields.append((label, m2m_field, m2m_history, m2m_field.m2m_reverse_field_name()))
    return fields


def _value(record, model_field, labels: dict) -> str:
    value = getattr(record, model_field.attname)
    if isinstance(value, datetime):
        # Swedish time to the minute, as everywhere else in the portal.
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return displayed(stored_value(record, model_field), model_field, labels)


@functools.cache
def _compared_fields(model: type[Model]) -> tuple[tuple[Model, str], ...]:
    """(field, attname) of the fields whose changes the trail shows."""
    return tuple(
        (model_field, model_field.attname)
        for model_field in model._meta.concrete_fields
        if model_field.name not in IGNORED_FIELDS and not model_field.primary_key
    )


def _changes(model: type[Model], previous, record, labels: dict) -> list[FieldChange]:
    changes = []
    for model_field, attname in _compared_fields(model):
        # Equal stored values show equally: only a difference is worth formatting.
        if getattr(previous, attname) == getattr(record, attname):
            continue
        old = _value(previous, model_field, labels)
        new = _value(record, model_field, labels)
        if old != new:
            changes.append(FieldChange(str(model_field.verbose_name), old, new))
    return changes


def _link_changes(old_links: dict, new_links: dict, labels: dict) -> list[LinkChange]:
    changes = []
    for m2m_field, new_ids in new_links.items():
        old_ids = old_links.get(m2m_field, set())
        if old_ids != new_ids:
            names = labels.get(m2m_field.related_model, {})
            changes.append(
                LinkChange(
                    str(m2m_field.verbose_name),
                    added=sorted(names.get(pk, f"#{pk}") for pk in new_ids - old_ids),
                    removed=sorted(names.get(pk, f"#{pk}") for pk in old_ids - new_ids),
                )
            )
    return changes


def _action(record, previous, actions: dict[str, str]) -> str:
    """What the record did, from `actions` (CHANGE_TYPES and ARCHIVED, translated)."""
    was_archived = getattr(previous, "is_archived", False)
    if record.history_type == "~" and getattr(record, "is_archived", False) and not was_archived:
        return actions["archived"]
    return actions.get(record.history_type, record.history_type)


def audit_rows(
    keys: list[TrailKey], labels: list[str] | None = None, *, users: dict | None = None
) -> list[AuditRow]:
    """The page's rows, in the order of `keys` (audit_trail_keys).

    `labels` are the models the filter covers (AuditFilter.labels()). `users` are the users
    by id (the user filter reads them all anyway); without them they are read here.
    """
    models = audited_models()
    labels = list(models) if labels is None else labels
    if users is None:
        users = {user.pk: user for user in audit_user_choices()}
    objects: dict[type[Model], dict] = defaultdict(dict)
    names: dict[type[Model], dict] = defaultdict(dict)
    user_names = names[get_user_model()]
    user_names.update((pk, str(user)) for pk, user in users.items())
    wanted: dict[str, list[int]] = defaultdict(list)
    for key in keys:
        wanted[key.label].append(key.history_id)
    records = _records(wanted, labels, users, objects, names)
    previous = {label: _previous(records[label], models[label]) for label in wanted}
    system = str(_("the system"))
    actions = {key: str(action) for key, action in CHANGE_TYPES.items()}
    actions["archived"] = str(ARCHIVED)
    type_names = {label: capfirst(str(models[label]._meta.verbose_name)) for label in labels}
    rows = []
    for key in keys:
        found = records[key.label]
        record = found.get(key.history_id)
        if record is None:  # removed between the two queries (a retention decision)
            continue
        earlier = previous[key.label].get(key.history_id)
        changes: list[FieldChange] = []
        link_changes: list[LinkChange] = []
        if record.history_type == "~" and earlier is not None:
            changes = _changes(models[key.label], earlier, record, names)
            link_changes = _link_changes(earlier.links, record.links, names)
        rows.append(
            AuditRow(
                when=record.history_date,
                who=user_names.get(record.history_user_id, system),
                action=_action(record, earlier, actions),
                object_type=type_names[key.label],
                object_label=_object_label(models[key.label], record),
                changes=changes,
                link_changes=link_changes,
            )
        )
    return rows


# --- Retention --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionCriteria:
    """Which records a retention decision may cover: a scope, an age and a name search.

    `sole_traders_only` narrows the company scope to sole traders (whose name and number are
    personal data).
    """

    scope: str
    older_than_years: int = 0
    search: str = ""
    sole_traders_only: bool = False
    # From a rule of the information management plan (archive.InformationRule.months): the
    # period in months, and the rule the decision cites.
    older_than_months: int = 0
    rule_id: int | None = None

    @property
    def months(self) -> int:
        """The whole period in months; 0 lists every record of the kind."""
        return self.older_than_years * 12 + self.older_than_months

    def cutoff(self, today: date | None = None) -> date:
        """Today less the period (the 31st becomes the month's last day, 29 February the 28th)."""
        today = today or timezone.localdate()
        return months_before(today, self.months)


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier, or that month's last day if it is shorter."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


# The kinds of records of the information management plan that retention carries out, and the
# scope that does it. Each rule's counted-from is the one the scope's search counts from
# (archive.models.COUNTED_FROM_FOR allows only that one for these kinds).
RULE_SCOPES: dict[str, str] = {
    RecordType.FINDINGS: RetentionDecision.Scope.ARCHIVED_FINDINGS,
    RecordType.INTERVIEWS: RetentionDecision.Scope.INTERVIEWS,
    RecordType.CONTACTS: RetentionDecision.Scope.CONTACTS,
    RecordType.COMPANIES: RetentionDecision.Scope.COMPANIES,
    RecordType.OUTBOX: RetentionDecision.Scope.MESSAGES,
    RecordType.API_CALLS: RetentionDecision.Scope.API_CALLS,
}


def retention_rules() -> QuerySet[InformationRule]:
    """The plan's rules for the kinds of records retention carries out (kept ones too, so
    that the page can say why they cannot be chosen)."""
    return InformationRule.objects.filter(record_type__in=list(RULE_SCOPES)).order_by("record_type")


def criteria_from_rule(
    rule: InformationRule, *, search: str = "", sole_traders_only: bool = False
) -> RetentionCriteria:
    """The criteria a disposal rule of the plan gives: its kind of records and its period."""
    return RetentionCriteria(
        scope=RULE_SCOPES[rule.record_type],
        older_than_months=rule.months,
        search=search,
        sole_traders_only=sole_traders_only,
        rule_id=rule.pk,
    )


def _not_interviewed_since(model: type[Contact | Company], cutoff: date) -> Q:
    """The contacts or companies with no interview on or after the cutoff (or none at all).

    On Postgres each one's latest interview is kept by the database (interviews migrations
    0018 and 0019): 29,000 contacts are listed and counted without joining their 132,000
    interviewee links, 20,000 companies without probing their interviews. Elsewhere the
    interviews are asked.
    """
    if connection.vendor == "postgresql":
        # A column of the portal's own (no value of a user's): the model knows it not.
        column = f'"{model._meta.db_table}"."last_interview_on"'
        latest = RawSQL(column, (), output_field=DateField())  # noqa: S611
        return Q(LessThan(latest, cutoff)) | Q(IsNull(latest, True))
    if model is Company:
        recent = Interview.objects.filter(company=OuterRef("pk"), date__gte=cutoff)
    else:
        recent = Interview.interviewees.through.objects.filter(
            contact=OuterRef("pk"), interview__date__gte=cutoff
        )
    return ~Exists(recent)


# What the retention page shows of an archived finding besides itself.
_ARCHIVED_FINDING_SHOWN = ("area", "interview__company", "archived_by")


def retention_candidates(criteria: RetentionCriteria) -> QuerySet:
    """The records a decision with these criteria may cover, oldest first.

    - archived findings, archived before the cutoff;
    - interviews held before the cutoff (with their findings and follow-ups);
    - contact persons not yet anonymised and not interviewed since the cutoff;
    - companies not interviewed since the cutoff (or never), sole traders only if asked;
    - e-mail the portal sent (or gave up sending) before the cutoff; not one still queued.
    With 0 years the cutoff is tomorrow, i.e. every record of the kind.
    """
    scope = RetentionDecision.Scope
    cutoff = criteria.cutoff()
    if criteria.months == 0:
        cutoff = timezone.localdate() + timedelta(days=1)
    search = criteria.search.strip()
    if criteria.scope == scope.ARCHIVED_FINDINGS:
        findings = (
            Finding.all_objects.filter(is_archived=True, archived_at__lt=day_start(cutoff))
            .select_related(*_ARCHIVED_FINDING_SHOWN)
            .order_by("archived_at", "pk")
        )
        if search:
            findings = findings.filter(interview__company__name__folded_contains=search)
        return findings
    if criteria.scope == scope.INTERVIEWS:
        interviews = (
            Interview.objects.filter(date__lt=cutoff)
            .select_related("company")
            .order_by("date", "pk")
        )
        if search:
            interviews = interviews.filter(company__name__folded_contains=search)
        return interviews
    if criteria.scope == scope.CONTACTS:
        contacts = (
            Contact.objects.exclude(name=ANONYMISED_NAME)
            .filter(_not_interviewed_since(Contact, cutoff))
            .select_related("company")
            .order_by("company__name", "name", "pk")
        )
        if search:
            contacts = contacts.filter(
                Q(name__folded_contains=search) | Q(company__name__folded_contains=search)
            )
        return contacts
    if criteria.scope == scope.COMPANIES:
        companies = Company.objects.filter(_not_interviewed_since(Company, cutoff)).order_by(
            "name", "pk"
        )
        if criteria.sole_traders_only:
            companies = companies.filter(is_personal_data=True)
        if search:
            companies = companies.filter(company_matches(search))
        return companies
    if criteria.scope == scope.MESSAGES:
        messages = OutgoingMessage.objects.filter(
            status__in=[OutgoingMessage.Status.SENT, OutgoingMessage.Status.FAILED],
            created_at__lt=day_start(cutoff),
        ).order_by("created_at", "pk")
        if search:
            messages = messages.filter(
                Q(to__folded_contains=search) | Q(subject__folded_contains=search)
            )
        return messages.only("pk", "to", "subject", "purpose", "status", "created_at", "sent_at")
    if criteria.scope == scope.API_CALLS:
        calls = (
            ApiCall.objects.filter(at__lt=day_start(cutoff))
            .select_related("user")
            .order_by("at", "pk")
        )
        if search:
            calls = calls.filter(
                Q(path__folded_contains=search) | Q(user__username__folded_contains=search)
            )
        return calls.only(
            "pk",
            "at",
            "method",
            "path",
            "status_code",
            "user__username",
            "user__first_name",
            "user__last_name",
        )
    raise ValueError(f"unknown retention scope {criteria.scope!r}")


def first_candidates(scope: str, candidates: QuerySet, limit: int) -> list:
    """The first `limit` candidates in the list's order, with what the page shows of them.

    Archived findings are picked by their keys first, from the index of archived findings in
    the list's order, and only those rows are then joined: asked as one ordered join, a
    planner that misjudged how many findings are archived (45 for 5,000, after an ANALYZE at
    100,000 interviews) joined every one of them to its interview and company before sorting,
    70 ms instead of 1. The other scopes' orders are their joins' own (a company's name).
    """
    if scope == RetentionDecision.Scope.CONTACTS:
        # What the rows show (retention_candidate_rows): a contact's and its company's other
        # columns, read into 200 instances of each, cost more than the SQL.
        return list(candidates.only("name", "role", "company__name")[:limit])
    if scope != RetentionDecision.Scope.ARCHIVED_FINDINGS:
        return list(candidates[:limit])
    keys = list(candidates.values_list("pk", flat=True)[:limit])
    # By their keys alone (the criteria again would walk the archived findings to find them),
    # and even for none (0 is no key): the page makes the same queries with or without them.
    # Only the columns the rows show: 250 instances of wide models cost more than the SQL.
    shown = Finding.all_objects.select_related(*_ARCHIVED_FINDING_SHOWN).only(
        "archived_at",
        "text",
        "area__order",
        "area__name",
        "area__name_en",
        "interview__date",
        "interview__company__name",
        "archived_by__username",
        "archived_by__first_name",
        "archived_by__last_name",
    )
    return list(shown.filter(pk__in=keys or [0]).order_by("archived_at", "pk"))


# The model of the records each scope covers.
SCOPE_MODELS: dict[str, type[Model]] = {
    RetentionDecision.Scope.ARCHIVED_FINDINGS: Finding,
    RetentionDecision.Scope.INTERVIEWS: Interview,
    RetentionDecision.Scope.CONTACTS: Contact,
    RetentionDecision.Scope.COMPANIES: Company,
    RetentionDecision.Scope.MESSAGES: OutgoingMessage,
    RetentionDecision.Scope.API_CALLS: ApiCall,
}


def retention_candidate_facts(scope: str, candidates: list) -> list:
    """What the retention page shows beside each listed candidate, for those rows only.

    Every candidate gets `delivered_on`: when a delivery package for the e-archive first held
    it (archive), or None. Interviews get `finding_total` (archived findings included) and
    `follow_up_total`;
    contacts `last_interview`; companies `last_interview`, `interview_total` and
    `contact_total`. Computed over every candidate these would aggregate 600,000 findings
    to show 200 rows.
    """
    # Asked even for no candidates, so that the page's queries do not depend on the data.
    ids = _asked(candidate.pk for candidate in candidates)
    delivered = delivered_on(SCOPE_MODELS[scope]._meta.label_lower, ids)
    for candidate in candidates:
        candidate.delivered_on = delivered.get(candidate.pk)
    if scope == RetentionDecision.Scope.INTERVIEWS:
        findings = _totals(Finding.all_objects.filter(interview__in=ids), "interview")
        follow_ups = _totals(FollowUp.objects.filter(interview__in=ids), "interview")
        for interview in candidates:
            interview.finding_total = findings.get(interview.pk, 0)
            interview.follow_up_total = follow_ups.get(interview.pk, 0)
    elif scope == RetentionDecision.Scope.CONTACTS:
        # Per contact through its own index: as one GROUP BY over the 200 ids Postgres scanned
        # every interviewee link instead (30 ms at 100,000 interviews).
        latest = (
            Interview.interviewees.through.objects.filter(contact=OuterRef("pk"))
            .order_by()
            .values("contact")
            .annotate(last=Max("interview__date"))
            .values("last")
        )
        last = dict(
            Contact.objects.filter(pk__in=ids)
            .order_by()
            .annotate(last=Subquery(latest))
            .values_list("pk", "last")
        )
        for contact in candidates:
            contact.last_interview = last.get(contact.pk)
    elif scope == RetentionDecision.Scope.COMPANIES:
        interviews = (
            Interview.objects.filter(company__in=ids)
            .order_by()
            .values("company")
            .annotate(total=Count("pk"), last=Max("date"))
        )
        by_company = {row["company"]: row for row in interviews}
        contacts = _totals(Contact.objects.filter(company__in=ids), "company")
        for company in candidates:
            row = by_company.get(company.pk, {})
            company.last_interview = row.get("last")
            company.interview_total = row.get("total", 0)
            company.contact_total = contacts.get(company.pk, 0)
    return candidates


@dataclass(frozen=True)
class CandidateRow:
    """One listed candidate as the retention page shows it, formatted once in Python.

    `name` labels its checkbox; `cells` are the table's cells after it as (value, whether it
    stays on one line). 200 rows through the template's lookups and filters (truncatechars,
    date, get_FOO_display) took three quarters of the page's time.
    """

    pk: int
    checked: bool
    name: str
    cells: list[tuple[object, bool]]


def _day(value: date | datetime | None) -> str:
    """`value|date:"Y-m-d"|default:"–"`: a point in time on its Swedish day."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def retention_candidate_rows(scope: str, candidates: list, chosen: set[str]) -> list[CandidateRow]:
    """The listed candidates (with their facts, retention_candidate_facts) as table rows."""
    scopes = RetentionDecision.Scope
    rows = []
    if scope == scopes.ARCHIVED_FINDINGS:
        for finding in candidates:
            interview = finding.interview
            cells = [
                (_day(finding.archived_at), True),
                (str(finding.archived_by) if finding.archived_by else "–", False),
                (f"{interview.company.name}, {_day(interview.date)}", False),
                (finding.area.display_name, False),
                (_truncated(finding.text, 120), False),
            ]
            rows.append((finding.pk, _truncated(finding.text, 60), cells))
    elif scope == scopes.INTERVIEWS:
        statuses = choice_labels(Interview, "status")
        for interview in candidates:
            day = _day(interview.date)
            cells = [
                (day, True),
                (interview.company.name, False),
                (statuses.get(interview.status, interview.status), False),
                (interview.finding_total, False),
                (interview.follow_up_total, False),
            ]
            rows.append((interview.pk, f"{interview.company.name} {day}", cells))
    elif scope == scopes.MESSAGES:
        purposes = choice_labels(OutgoingMessage, "purpose")
        statuses = choice_labels(OutgoingMessage, "status")
        for message in candidates:
            cells = [
                (_day(message.created_at), True),
                (message.to, False),
                (_truncated(message.subject, 80), False),
                (purposes.get(message.purpose, message.purpose), False),
                (statuses.get(message.status, message.status), False),
            ]
            rows.append((message.pk, f"{message.subject} → {message.to}", cells))
    elif scope == scopes.API_CALLS:
        for call in candidates:
            day = _day(call.at)
            cells = [
                (day, True),
                (str(call.user), False),
                (f"{call.method} {_truncated(call.path, 100)}", False),
                (call.status_code, False),
            ]
            rows.append((call.pk, f"{call.method} {call.path}, {day}", cells))
    elif scope == scopes.COMPANIES:
        yes, no = str(_("Yes")), str(_("No"))
        for company in candidates:
            cells = [
                (company.name, False),
                (company.organisation_number, True),
                (yes if company.is_personal_data else no, False),
                (_day(company.last_interview), True),
                (company.interview_total or 0, False),
                (company.contact_total or 0, False),
            ]
            rows.append((company.pk, company.name, cells))
    else:
        for contact in candidates:
            company_name = contact.company.name
            cells = [
                (contact.name, False),
                (company_name, False),
                (contact.role or "–", False),
                (_day(contact.last_interview), True),
            ]
            rows.append((contact.pk, f"{contact.name}, {company_name}", cells))
    delivered = {candidate.pk: getattr(candidate, "delivered_on", None) for candidate in candidates}
    return [
        CandidateRow(
            pk=pk,
            checked=str(pk) in chosen,
            name=name,
            cells=[*cells, (_delivered_text(delivered.get(pk)), False)],
        )
        for pk, name, cells in rows
    ]


def _delivered_text(when: datetime | None) -> str:
    if when is None:
        return "–"
    return str(_("Delivered to the e-archive on %(date)s") % {"date": _day(when)})


def _totals(queryset: QuerySet, field_name: str) -> dict[int, int]:
    rows = queryset.order_by().values(field_name).annotate(total=Count("pk"))
    return {row[field_name]: row["total"] for row in rows}


def decision_counts(decision: RetentionDecision) -> list[tuple[str, int]]:
    """(object type in the interface language, count) of what a decision covered."""
    rows = []
    for label, count in decision.counts.items():
        try:
            name = capfirst(apps.get_model(label)._meta.verbose_name_plural)
        except LookupError:
            name = label
        rows.append((str(name), count))
    return rows


def _type_name(label: str) -> str:
    """A model label in the interface language; a history table says whose history it is."""
    try:
        model = apps.get_model(label)
    except LookupError:
        return label
    instance_type = getattr(model, "instance_type", None)
    if instance_type is not None:
        return str(
            _("Change history of %(type)s") % {"type": instance_type._meta.verbose_name_plural}
        )
    return str(capfirst(model._meta.verbose_name_plural))


def decision_effects(decisions: list[RetentionDecision]) -> dict[int, list[tuple[str, int]]]:
    """Per decision, what carrying it out changed besides the records it covers (one query):
    ("Intervjuer: namn maskerat", 3), ("Rapportkörningar: rapportfilen borttagen", 1), …"""
    items = (
        RetentionDecisionItem.objects.filter(decision__in=[decision.pk for decision in decisions])
        .exclude(action__in=RetentionDecisionItem.COVERED_ACTIONS)
        .order_by()
        .values_list("decision_id", "model_label", "action")
        .annotate(total=Count("pk"))
        .order_by("decision_id", "action", "model_label")
    )
    effects: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for decision_id, label, action, total in items:
        action_label = RetentionDecisionItem.Action(action).label
        effects[decision_id].append((f"{_type_name(label)}: {action_label}", total))
    return effects


def retention_decision_list() -> QuerySet[RetentionDecision]:
    return RetentionDecision.objects.select_related("decided_by", "rule").order_by(
        "-decided_at", "-pk"
    )
