"""What `manage.py seed_scale` shares with the apps' scale seeders: volumes, bulk writes, history.

The scale data set (issue 12) is what a region gathers over eight years: at 100,000 interviews,
20,000 companies, 600,000 findings, 5,000 follow-ups, 200 workshops with 5,000 proposals and
20,000 evidence links, 500 activities and 50 indicators. Each app writes its own part in a
`scale` module (`SCALE_SEED`, found by name like the demo seeders), lowest app first, and
leaves in `ScaleContext.shared` what the apps above it link to (finding ids by area, proposal
ids), so no app imports one above it.

Everything is drawn from random generators with fixed seeds (one per app, so adding a field
to one app does not shift another's data) and written with `bulk_create` in batches: rows
never pass through `save()`, signals or per-row validation, which is what makes 1.5 million
rows a matter of minutes. The history tables (the audit trail) get one "created" record per
object, written the same way.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock
from importlib import import_module
from typing import Any, TextIO

from django.apps import apps
from django.db import models
from django.utils import timezone

SEED = 2030
# The volumes of the issue are given per this many interviews; other sizes scale linearly.
REFERENCE_INTERVIEWS = 100_000
# Rows per INSERT: well under Postgres' 65,535 parameters for the widest model.
BATCH_SIZE = 2_000


@dataclass
class ScaleContext:
    """The size asked for, the clock, and what the seeders hand up to the apps above them."""

    interviews: int
    today: date
    stdout: TextIO | None = None
    shared: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def volume(self, at_reference: float, minimum: int = 1) -> int:
        """`at_reference` rows at 100,000 interviews, scaled to this size (at least `minimum`)."""
        return max(minimum, round(at_reference * self.interviews / REFERENCE_INTERVIEWS))

    def rng(self, name: str) -> random.Random:
        """A generator of its own per part, seeded by name: the same rows on every run."""
        return random.Random(f"{SEED}:{name}")  # noqa: S311 - test data, must be repeatable

    def wrote(self, model: type[models.Model], count: int) -> None:
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + count

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(f"[{time.monotonic() - self.started:7.1f} s] {message}")


def at(day: date, hour: int = 16) -> datetime:
    """An aware moment on a day, as the records' timestamps are stored."""
    return timezone.make_aware(datetime.combine(day, clock(hour, 0)))


def batched(items: Sequence, size: int = BATCH_SIZE) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def bulk_insert(ctx: ScaleContext, model: type[models.Model], objects: list) -> list:
    """Insert in batches; the objects come back with their primary keys set."""
    created = model._base_manager.bulk_create(objects, batch_size=BATCH_SIZE)
    ctx.wrote(model, len(objects))
    return created


def history_insert(
    ctx: ScaleContext,
    model: type[models.Model],
    objects: Iterable[models.Model],
    *,
    when: Callable[[Any], datetime],
    user_id: Callable[[Any], int | None],
    history_type: str = "+",
) -> list:
    """One history record per object ("+" created, "~" changed), dated and signed per object.

    The audit trail and the history shown on the detail pages read these tables, so they need
    the same amount of rows a real portal would hold, not an empty table.
    """
    historical = model.history.model
    fields = [f.attname for f in historical.tracked_fields]
    records = [
        historical(
            history_date=when(obj),
            history_user_id=user_id(obj),
            history_type=history_type,
            history_change_reason=None,
            **{name: getattr(obj, name) for name in fields},
        )
        for obj in objects
    ]
    return bulk_insert(ctx, historical, records)


def m2m_history_insert(
    ctx: ScaleContext,
    model: type[models.Model],
    field_name: str,
    links: Iterable[tuple[int, int, int, int]],
) -> None:
    """The links of a tracked many-to-many field as they stood at each history record.

    `links` are (history id, link row id, object id, linked id), e.g. (historical interview,
    row of the interviewers table, interview, user) for an interview's interviewers.
    """
    through = apps.get_model(model._meta.app_label, f"Historical{model.__name__}_{field_name}")
    relation = model._meta.get_field(field_name)
    own = model._meta.model_name
    other = relation.related_model._meta.model_name
    rows = [
        through(
            **{
                "history_id": history_id,
                "id": link_id,
                f"{own}_id": object_id,
                f"{other}_id": linked_id,
            }
        )
        for history_id, link_id, object_id, linked_id in links
    ]
    bulk_insert(ctx, through, rows)


def m2m_insert(
    ctx: ScaleContext, model: type[models.Model], field_name: str, links: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], int]:
    """Rows of a many-to-many table from (object id, linked id); returns each row's id."""
    relation = model._meta.get_field(field_name)
    through = relation.remote_field.through
    source = f"{relation.m2m_field_name()}_id"
    target = f"{relation.m2m_reverse_field_name()}_id"
    rows = bulk_insert(ctx, through, [through(**{source: a, target: b}) for a, b in links])
    return {(getattr(row, source), getattr(row, target)): row.pk for row in rows}


@contextmanager
def timestamps_as_given(*model_classes: type[models.Model]) -> Iterator[None]:
    """Keep the created/updated times the seeder sets instead of "now".

    `auto_now` and `auto_now_add` would stamp eight years of records with today's time, which
    makes every "newest first" list and date filter meaningless at scale.
    """
    switched = []
    for model in model_classes:
        for model_field in model._meta.concrete_fields:
            if getattr(model_field, "auto_now", False) or getattr(
                model_field, "auto_now_add", False
            ):
                switched.append((model_field, model_field.auto_now, model_field.auto_now_add))
                model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in switched:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


def scale_modules() -> list:
    """Each app's `scale` module with a `SCALE_SEED`, in INSTALLED_APPS order (lowest first).

    Found by name, like the demo seeders, so this app, which every other stands on, imports
    none of them.
    """
    found = []
    for app in apps.get_app_configs():
        try:
            module = import_module(f"{app.name}.scale")
        except ModuleNotFoundError as error:
            if error.name != f"{app.name}.scale":
                raise
            continue
        if hasattr(module, "SCALE_SEED"):
            found.append(module)
    return found
