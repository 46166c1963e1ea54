"""Writes to priority areas. Areas in use are archived, never deleted."""

from __future__ import annotations

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from .models import PriorityArea
from .selectors import area_is_referenced


class AreaInUseError(Exception):
    """The area is referenced by other records and can only be archived."""


def area_save(*, area: PriorityArea) -> PriorityArea:
    """Validate and save a new or changed area."""
    area.full_clean()
    area.save()
    return area


def area_set_archived(*, area: PriorityArea, archived: bool) -> PriorityArea:
    """Archive an area (hidden from new work, kept for history) or bring it back."""
    area.is_archived = archived
    area.save(update_fields=["is_archived"])
    return area


@transaction.atomic
def area_delete(*, area: PriorityArea) -> None:
    """Delete an area that nothing refers to; otherwise raise AreaInUseError."""
    message = _(
        "“%(name)s” is used by interviews, proposals or the action plan and cannot be "
        "deleted. Archive it instead: it is then hidden from new work but kept in history."
    ) % {"name": area.name}
    if area_is_referenced(area):
        raise AreaInUseError(message)
    try:
        area.delete()
    except (ProtectedError, RestrictedError) as error:
        raise AreaInUseError(message) from error
