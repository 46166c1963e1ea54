from __future__ import annotations

from django.db.models import QuerySet

from .models import PriorityArea


def area_list(*, include_archived: bool = False) -> QuerySet[PriorityArea]:
    """Areas in their set order; archived ones only when asked for (administration pages)."""
    areas = PriorityArea.objects.all()
    if not include_archived:
        areas = areas.filter(is_archived=False)
    return areas.order_by("order", "name")


def area_is_referenced(area: PriorityArea) -> bool:
    """True when any record points at the area, so deleting it would lose information."""
    for relation in area._meta.related_objects:
        accessor = relation.get_accessor_name()
        if relation.many_to_many or relation.one_to_many:
            if getattr(area, accessor).exists():
                return True
    return False
