"""Readable change history from django-simple-history records, without a query per record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

CHANGE_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
# Bookkeeping fields that are not worth showing as changes.
# company_count: a proposal's derived count (workshops), recounted without a history record;
# a version only holds what it was when the proposal was last saved.
IGNORED_FIELDS = {"updated_at", "created_at", "version", "closed_at", "company_count"}


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


def history_entries(records, object_label: str = "") -> list[HistoryEntry]:
    """Entries newest first; `records` are one object's (or several objects') history rows.

    Pass records with `select_related("history_user")`; consecutive versions of the same
    object are compared in memory, and only the related objects a change names are read.
    """
    ordered = sorted(records, key=lambda record: record.history_date)
    fields_of: dict = {}
    previous_by_object = {}
    raw_changes = []
    for record in ordered:
        model = record.instance_type
        if model not in fields_of:
            fields_of[model] = [
                field
                for field in model._meta.concrete_fields
                if field.name not in IGNORED_FIELDS and field.name != "id"
            ]
        # Activities and their milestones share ids; the model is part of the key.
        key = (model, record.id)
        previous = previous_by_object.get(key)
        changes = []
        if previous is not None and record.history_type == "~":
            for field in fields_of[model]:
                old, new = stored_value(previous, field), stored_value(record, field)
                if old != new:
                    changes.append((field, old, new))
        previous_by_object[key] = record
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
                object_label=object_label or str(record.instance_type._meta.verbose_name),
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
