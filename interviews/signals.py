"""Each priority area has trigram indexes of its own for searching its findings
(interviews.area_search). Areas are written by smeportal.areas, which stands below this app
and knows nothing of findings, so the receivers that build and drop the indexes live here."""

from __future__ import annotations

from django.db import connections
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from smeportal.areas.models import PriorityArea

from .area_search import area_indexes_create, area_indexes_drop


@receiver(post_save, sender=PriorityArea, dispatch_uid="area_search_indexes_create")
def _area_created(sender, instance, created, using="default", **kwargs) -> None:
    if created:
        area_indexes_create(instance.pk, using=connections[using])


@receiver(post_delete, sender=PriorityArea, dispatch_uid="area_search_indexes_drop")
def _area_deleted(sender, instance, using="default", **kwargs) -> None:
    area_indexes_drop(instance.pk, using=connections[using])
