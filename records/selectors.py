"""Reads of requests for public documents: the list, a request's page, what is overdue."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import connections, models
from django.db.models import Exists, F, OuterRef, QuerySet, Value, Window
from django.db.models.functions import Cast, RowNumber

from .models import OPEN_STATUSES, CoveredItem, Mask, RecordRequest, ReleasedDocument


def request_list(
    *,
    status: str = "",
    handler_id: int | None = None,
    overdue: bool = False,
    today: date | None = None,
) -> QuerySet[RecordRequest]:
    """The requests by due date (the one to decide first on top), filtered."""
    requests = RecordRequest.objects.select_related("handler").order_by("due_on", "pk")
    if status:
        requests = requests.filter(status=status)
    if handler_id:
        requests = requests.filter(handler_id=handler_id)
    if overdue:
        requests = requests.filter(status__in=OPEN_STATUSES, due_on__lt=today or date.today())
    return requests


def overdue_requests(*, today: date, handler=None) -> QuerySet[RecordRequest]:
    """Open requests whose decision is past its due date, the oldest first."""
    requests = RecordRequest.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    if handler is not None:
        requests = requests.filter(handler=handler)
    return requests.order_by("due_on", "pk")


def requests_for_page() -> QuerySet[RecordRequest]:
    """Requests with their handler, and whether any file or review decision is kept with them:
    a request that has none (most, until they are decided) has its page skip reading them."""
    return RecordRequest.objects.select_related("handler").annotate(
        has_documents=Exists(ReleasedDocument.objects.filter(request=OuterRef("pk"))),
        has_review_decisions=Exists(Mask.objects.filter(item__request=OuterRef("pk"))),
    )


def request_items(record_request: RecordRequest) -> QuerySet[CoveredItem]:
    # Who added an item is in its history, not on the request's page: no join for it.
    return record_request.items.order_by("pk")


def request_documents(record_request: RecordRequest) -> QuerySet[ReleasedDocument]:
    return record_request.documents.select_related("created_by").order_by("-created_at", "-pk")


def request_review_log(record_request: RecordRequest) -> QuerySet[Mask]:
    """Every review decision on the request: who masked or lifted what, when and why."""
    return (
        Mask.objects.filter(item__request=record_request)
        .select_related("ground", "created_by")
        .order_by("item_id", "pk")
    )


def items_for_review() -> QuerySet[CoveredItem]:
    """Covered items with their request, and whether the handler took any review decision on
    them: an item reviewed by its default masks only has its page skip reading its log."""
    return CoveredItem.objects.select_related("request").annotate(
        has_review_decisions=Exists(Mask.objects.filter(item=OuterRef("pk")))
    )


def item_review_log(item: CoveredItem) -> list[Mask]:
    """The review decisions on one item, in the order they were taken, with their grounds and
    authors: the log of the item's page and its review (content.Review.of_masks) both."""
    return list(item.masks.select_related("ground", "created_by").order_by("pk"))


# The columns of choices_together()'s statement besides the list, the key and the rank, by kind:
# the parts of a UNION have the same columns, of compatible types, so each field a list reads
# goes to a free column of its kind, and the columns a list does not use are empty.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text_a", "text_b"),
    "number": ("number_a", "number_b"),
    "moment": ("moment",),
}
# Typed: Postgres joins the parts two at a time, and takes an untyped NULL in the first two
# for text.
_EMPTY = {
    "text": Value("", output_field=models.CharField()),
    "number": Cast(Value(None), models.IntegerField()),
    "moment": Cast(Value(None), models.DateTimeField()),
}


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple
    # Django's conversions of the values read (SQLite's datetimes are text), by column.
    converters: dict
    # Per list: its model, and which of the columns after the key and rank fill which fields.
    reads: tuple[tuple[type[models.Model], tuple[tuple[str, int], ...]], ...]


# Compiled once per process: (database alias, key) -> statement.
_statements: dict[tuple[str, Hashable], _Statement] = {}


def _column_kind(field) -> str:
    if isinstance(field, models.DateTimeField):
        return "moment"
    if isinstance(field, models.IntegerField):
        return "number"
    if isinstance(field, models.CharField | models.TextField):
        return "text"
    raise ValueError(f"choices_together() reads no {type(field).__name__}")


def _compile(lists: Sequence[tuple[QuerySet, Sequence[str]]], using: str) -> _Statement:
    parts, reads = [], []
    for number, (queryset, names) in enumerate(lists):
        model = queryset.model
        free = {kind: list(columns) for kind, columns in _COLUMNS.items()}
        columns = {column: _EMPTY[kind] for kind, slots in _COLUMNS.items() for column in slots}
        read = []
        for name in names:
            field = model._meta.get_field(name)
            column = free[_column_kind(field)].pop(0)
            columns[column] = F(name)
            read.append((field.attname, list(columns).index(column)))
        reads.append((model, tuple(read)))
        ordering = queryset.query.order_by or model._meta.ordering or ["pk"]
        parts.append(
            queryset.order_by()
            .annotate(
                choice_list=Value(number),
                choice_key=F("pk"),
                choice_rank=Window(RowNumber(), order_by=list(ordering)),
                **columns,
            )
            .values_list("choice_list", "choice_key", "choice_rank", *columns)
        )
    statement = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    compiler = statement.query.get_compiler(using)
    sql, params = compiler.as_sql()
    expressions = [select[0] for select in compiler.select[: compiler.col_count]]
    return _Statement(sql, tuple(params), compiler.get_converters(expressions), tuple(reads))


def choices_together(
    lists: Sequence[tuple[QuerySet, Sequence[str]]], *, key: Hashable, using: str = "default"
) -> list[list[models.Model]]:
    """The objects of several short choice lists (a queryset each, with the fields its labels
    need), each in its queryset's order, read by one UNION ALL statement.

    A request's page offers areas, workshops, plans, reports and secrecy grounds: five queries
    and their compilation cost more than the rest of the page. Each part numbers its rows in
    its queryset's order (a part of a UNION may not be ordered on SQLite); the objects are
    built as only() builds them, so their labels are their own str(). The statement, which
    holds no value of the request, is compiled once per process for each `key`: the lists
    named by a key must always be the same querysets."""
    statement = _statements.get((using, key))
    if statement is None:
        statement = _statements[using, key] = _compile(lists, using)
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        rows = cursor.fetchall()
    objects: list[list[models.Model]] = [[] for _list in statement.reads]
    for row in sorted(rows, key=lambda row: (row[0], row[2])):
        values = list(row)
        for index, (functions, expression) in statement.converters.items():
            for function in functions:
                values[index] = function(values[index], expression, connection)
        list_number, pk, _rank, *columns = values
        model, read = statement.reads[list_number]
        objects[list_number].append(
            model.from_db(
                using,
                [model._meta.pk.attname, *(attname for attname, _index in read)],
                [pk, *(columns[index] for _attname, index in read)],
            )
        )
    return objects
