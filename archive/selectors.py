"""Reads of the archive app: the plan, the packages, and when records were delivered."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Min, QuerySet

from workshops.models import Workshop

from .models import DeliveredRecord, DeliveryPackage, InformationRule, RecordType


def information_plan() -> list[tuple[str, InformationRule | None]]:
    """Every record type with its rule (None where the plan has none yet), in the plan's order."""
    rules = {rule.record_type: rule for rule in InformationRule.objects.all()}
    return [(record_type, rules.get(record_type)) for record_type in RecordType]


def disposal_rules(record_types: Iterable[str]) -> QuerySet[InformationRule]:
    """The rules that dispose of records of these types after a period."""
    return InformationRule.objects.filter(
        record_type__in=list(record_types),
        action=InformationRule.Action.DISPOSE,
        period__gt=0,
    ).order_by("record_type")


def delivery_package_list() -> QuerySet[DeliveryPackage]:
    return DeliveryPackage.objects.select_related("produced_by", "workshop").order_by(
        "-requested_at", "-pk"
    )


def delivered_on(model_label: str, object_ids: Iterable[int]) -> dict[int, datetime]:
    """When each of these records was first delivered in a finished package (one query)."""
    rows = (
        DeliveredRecord.objects.filter(
            model_label=model_label,
            object_id__in=list(object_ids),
            package__status=DeliveryPackage.Status.DONE,
        )
        .order_by()
        .values("object_id")
        .annotate(first=Min("package__produced_at"))
        .values_list("object_id", "first")
    )
    return dict(rows)


def workshop_choices() -> QuerySet[Workshop]:
    return Workshop.objects.order_by("-date", "title")
