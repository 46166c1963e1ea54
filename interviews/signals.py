"""Each priority area has trigram indexes of its own for searching its findings
(interviews.area_search). Areas are written by smeportal.areas, which stands below this app
and knows nothing of findings, so the receivers that build and drop the indexes live here.

They act once the area's transaction has committed: Postgres builds no index on a table with
checks still pending in the transaction (findings written before the area, their deferred
foreign keys), and outside it the index is built without holding up other writers. Until
then, and should the build fail, a search of the area is answered without its index: the same
findings, found more slowly."""

from __future__ import annotations

from django.db import connections, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from smeportal.areas.models import PriorityArea

from .area_search import area_indexes_create, area_indexes_drop


@receiver(post_save, sender=PriorityArea, dispatch_uid="area_search_indexes_create")
def _area_created(sender, instance, created, using="default", **kwargs) -> None:
    if created:

        def build_indexes() -> None:
            area_indexes_create(area_id, using=connections[using])

        area_id = instance.pk
        transaction.on_commit(build_indexes, using=using, robust=True)


@receiver(post_delete, sender=PriorityArea, dispatch_uid="area_search_indexes_drop")
def _area_deleted(sender, instance, using="default", **kwargs) -> None:
    def drop_indexes() -> None:
        area_indexes_drop(area_id, using=connections[using])

    area_id = instance.pk
    transaction.on_commit(drop_indexes, using=using, robust=True)
