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


def _display(record, field, related_labels: dict) -> str:
    value = getattr(record, field.attname)
    if value in (None, ""):
        return "–"
    if field.is_relation:
        return related_labels.get(field.related_model, {}).get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value)


def _related_labels(records) -> dict:
    """One query per related model for the names of the objects the records point at."""
    wanted: dict = {}
    for record in records:
        for field in record.instance_type._meta.concrete_fields:
            if field.is_relation and field.name not in IGNORED_FIELDS:
                value = getattr(record, field.attname)
                if value is not None:
                    wanted.setdefault(field.related_model, set()).add(value)
    return {
        model: {pk: str(obj) for pk, obj in model._default_manager.in_bulk(ids).items()}
        for model, ids in wanted.items()
    }


def history_entries(records, object_label: str = "") -> list[HistoryEntry]:
    """Entries newest first; `records` are one object's (or several objects') history rows.

    Pass records with `select_related("history_user")`; consecutive versions of the same
    object are compared in memory.
    """
    ordered = sorted(records, key=lambda record: record.history_date)
    related_labels = _related_labels(ordered)
    previous_by_object = {}
    entries = []
    for record in ordered:
        fields = [
            field
            for field in record.instance_type._meta.concrete_fields
            if field.name not in IGNORED_FIELDS and field.name != "id"
        ]
        # Activities and their milestones share ids; the model is part of the key.
        key = (record.instance_type, record.id)
        previous = previous_by_object.get(key)
        changes = []
        if previous is not None and record.history_type == "~":
            for field in fields:
                old = _display(previous, field, related_labels)
                new = _display(record, field, related_labels)
                if old != new:
                    changes.append(FieldChange(str(field.verbose_name), old, new))
        previous_by_object[key] = record
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(user) if user else str(_("the system")),
                what=str(CHANGE_TYPES.get(record.history_type, record.history_type)),
                object_label=object_label or str(record.instance_type._meta.verbose_name),
                changes=changes,
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
