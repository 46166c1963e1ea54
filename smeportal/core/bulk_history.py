"""The "created" history records of rows inserted in bulk, copied by the database.

simple_history's bulk_create_with_history builds a historical model instance per row in Python
and inserts those: for an import of 5,000 findings that is as much work again as the findings
themselves (issue 12). `bulk_create_with_history_rows` inserts the rows with bulk_create and
then writes their history in one INSERT ... SELECT per chunk of rows, reading the columns the
history tracks from the rows just written. The records are the ones bulk_history_create writes:
history type "+", the given user and date, an empty change reason. Rows changed in bulk get
their "changed" records ("~") the same way (`history_copy_changed`), after the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import connection, models

# Rows per INSERT ... SELECT on SQLite: within its limit on query parameters.
CHUNK = 5_000


def history_copy_created(
    model: type[models.Model], pks: Sequence, *, user, date: datetime, history_type: str = "+"
) -> None:
    """Write the "created" history record of each row `pks` of `model`, in pk order (or,
    with another `history_type`, that kind of record of each row as it is now)."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = model.history.model
    quote = connection.ops.quote_name
    history_columns = {field.attname: field.column for field in history._meta.concrete_fields}
    tracked = [field for field in history.tracked_fields if field.attname in history_columns]
    target = [quote(history_columns[field.attname]) for field in tracked]
    source = [quote(field.column) for field in tracked]
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    target += [quote(history_columns[name]) for name in extra]
    date_value = history._meta.get_field("history_date").get_db_prep_value(date, connection)
    constants = [date_value, "", history_type, user.pk if user is not None else None]
    pk_column = quote(model._meta.pk.column)
    ordered = sorted(pks)
    # On Postgres the keys go as one array (a list of thousands of parameters took longer to
    # bind and plan than the copy itself); SQLite has no arrays and a cap on parameters.
    as_array = connection.vendor == "postgresql"
    chunk_size = max(len(ordered), 1) if as_array else CHUNK
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), chunk_size):
            chunk = ordered[start : start + chunk_size]
            if as_array:
                keys, params = "= ANY(%s)", [chunk]
            else:
                keys, params = f"IN ({', '.join(['%s'] * len(chunk))})", chunk
            # Table and column names come from the models, never from input.
            sql = (
                f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(target)}) "  # noqa: S608
                f"SELECT {', '.join(source)}, %s, %s, %s, %s "
                f"FROM {quote(model._meta.db_table)} "
                f"WHERE {pk_column} {keys} ORDER BY {pk_column}"
            )
            cursor.execute(sql, [*constants, *params])


def history_copy_changed(model: type[models.Model], pks: Sequence, *, user, date: datetime) -> None:
    """Write a "changed" history record of each row `pks` of `model` as it is now."""
    history_copy_created(model, pks, user=user, date=date, history_type="~")


def bulk_create_with_history_rows(
    objs: list[models.Model], model: type[models.Model], *, user, date: datetime
) -> list[models.Model]:
    """bulk_create `objs` and write each one's "created" history record (see the module)."""
    created = model._default_manager.bulk_create(objs)
    history_copy_created(model, [obj.pk for obj in created], user=user, date=date)
    return created
