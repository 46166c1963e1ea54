"""Readable change history from django-simple-history records, without a query per record."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.utils import formats
from django.utils.translation import gettext_lazy as _

CHANGE_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
# Bookkeeping fields that are not worth showing as changes.
# company_count: a proposal's derived count (workshops), recounted without a history record;
# a version only holds what it was when the proposal was last saved.
IGNORED_FIELDS = {"updated_at", "created_at", "version", "closed_at", "company_count"}
# Changes on a history page: an object edited for years has hundreds.
HISTORY_PAGE_SIZE = 25


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    what: str
    object_label: str
    changes: list[FieldChange]


def stored_value(record, field):
    """The value a history record holds for a field (None for empty), as compared."""
    value = getattr(record, field.attname)
    return None if value in (None, "") else value


def displayed(value, field, related_labels: dict) -> str:
    """A stored value as people read it: a related object's name, a choice's label."""
    if value is None:
        return "–"
    if field.is_relation:
        return related_labels.get(field.related_model, {}).get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, Decimal):
        # Swedish numbers, with the column's decimal places: "72,50", not "72.50".
        return formats.number_format(value)
    return str(value)


def _related_labels(raw_changes) -> dict:
    """One query per related model, for the objects named in a change only (a relation that
    never changed, such as a finding's interview, costs nothing)."""
    wanted: dict = {}
    for _record, changes in raw_changes:
        for field, old, new in changes:
            if field.is_relation:
                wanted.setdefault(field.related_model, set()).update(
                    value for value in (old, new) if value is not None
                )
    return {
        model: {pk: str(obj) for pk, obj in model._default_manager.in_bulk(ids).items()}
        for model, ids in wanted.items()
    }


def entries_of(pairs) -> list[HistoryEntry]:
    """Entries newest first, from (record, the same object's previous record or None).

    A change is what differs between the two; only the related objects a change names are
    read (one query per related model).
    """
    fields_of: dict = {}
    raw_changes = []
    for record, previous in pairs:
        model = record.instance_type
        if model not in fields_of:
            fields_of[model] = [
                field
                for field in model._meta.concrete_fields
                if field.name not in IGNORED_FIELDS and field.name != "id"
            ]
        changes = []
        if previous is not None and record.history_type == "~":
            for field in fields_of[model]:
                old, new = stored_value(previous, field), stored_value(record, field)
                if old != new:
                    changes.append((field, old, new))
        raw_changes.append((record, changes))
    related_labels = _related_labels(raw_changes)
    entries = []
    for record, changes in raw_changes:
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(user) if user else str(_("the system")),
                what=str(CHANGE_TYPES.get(record.history_type, record.history_type)),
                object_label=str(record.instance_type._meta.verbose_name),
                changes=[
                    FieldChange(
                        str(field.verbose_name),
                        displayed(old, field, related_labels),
                        displayed(new, field, related_labels),
                    )
                    for field, old, new in changes
                ],
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def history_page(sources: Sequence[QuerySet], page_number) -> tuple[Page, list[HistoryEntry]]:
    """One page of the history of an object and its parts, newest first.

    `sources` are history querysets (an interview's own records and its findings' records);
    an object changed a thousand times costs what one changed once: the page's rows are picked
    from the sources' union by the history date index, and each record is compared with the
    version before it, found by a subquery, whatever its age. Queries: a count, the page, and
    two per source (its records on the page, their previous versions), besides one per kind
    of related object a change names.
    """
    keyed = [
        source.order_by()
        .annotate(source_index=Value(index))
        .values_list("source_index", "history_id", "history_date")
        for index, source in enumerate(sources)
    ]
    union = keyed[0].union(*keyed[1:], all=True).order_by("-history_date", "-history_id")
    page = Paginator(union, HISTORY_PAGE_SIZE).get_page(page_number)
    wanted: dict[int, list[int]] = defaultdict(list)
    for source_index, history_id, _when in page.object_list:
        wanted[source_index].append(history_id)
    pairs = []
    for source_index, source in enumerate(sources):
        pairs += _with_previous(source, wanted.get(source_index, []))
    return page, entries_of(pairs)


def _with_previous(source: QuerySet, history_ids: list[int]) -> list[tuple]:
    """(record, its previous version or None) for the records `history_ids` of a source.

    Two queries, run even when the page holds none of the source's records (no record has
    id 0): a page always costs the same. The previous version is found by a subquery for each
    record read, whatever its age.
    """
    model = source.model
    earlier = model._default_manager.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    records = list(
        source.filter(history_id__in=history_ids or [0])
        .select_related("history_user")
        .annotate(
            previous_history_id=Subquery(
                earlier.order_by("-history_date", "-history_id").values("history_id")[:1]
            )
        )
    )
    previous_ids = [record.previous_history_id for record in records]
    previous = {
        version.history_id: version
        for version in model._default_manager.filter(
            history_id__in=[pk for pk in previous_ids if pk] or [0]
        )
    }
    by_id = {record.history_id: record for record in records}
    return [
        (by_id[pk], previous.get(by_id[pk].previous_history_id))
        for pk in history_ids
        if pk in by_id
    ]
