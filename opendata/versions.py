"""When each dataset last changed, so that harvesters can poll cheaply.

The published objects carry no "changed at" of their own (a title edited, a proposal
unpublished, a new summary), so the portal notices a change by reading the rows: a dataset's
version is the number of its rows, a digest of them, and the time the portal first saw that
digest (DatasetVersion, in the database so that the date survives the cache). The digest
follows the data, not the language: label columns are left out.

A version is kept in the cache for settings.PUBLIC_PAGE_CACHE_SECONDS, like the public page, so
a conditional request costs a cache read and the settings' row; a change shows in the files'
ETag and Last-Modified and in the DCAT description within that time, and the "last changed"
time is when the portal first read the new rows (at most that long after the change).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from .datasets import Dataset
from .files import json_value
from .models import DatasetVersion


@dataclass(frozen=True)
class Version:
    row_count: int
    digest: str
    modified: datetime


def _cache_key(dataset: Dataset) -> str:
    return f"opendata:version:{dataset.slug}"


def _read(dataset: Dataset) -> tuple[int, str]:
    """(rows, digest) of the dataset as it is now (its rows' queries, in one pass)."""
    keys = [column.key for column in dataset.columns if not column.is_label]
    digest = hashlib.sha256(json.dumps(keys).encode())
    count = 0
    for row in dataset.rows("sv"):
        line = json.dumps([json_value(row[key]) for key in keys], ensure_ascii=False)
        digest.update(line.encode() + b"\n")
        count += 1
    return count, digest.hexdigest()


def dataset_versions(datasets: Iterable[Dataset]) -> dict[str, Version]:
    """The current version of each dataset, by slug: from the cache, else read anew (the
    rows' queries of each dataset not cached, and one query for their stored versions)."""
    datasets = list(datasets)
    keys = {dataset.slug: _cache_key(dataset) for dataset in datasets}
    cached = cache.get_many(list(keys.values()))
    versions = {
        dataset.slug: cached[keys[dataset.slug]]
        for dataset in datasets
        if isinstance(cached.get(keys[dataset.slug]), Version)
    }
    missing = [dataset for dataset in datasets if dataset.slug not in versions]
    if not missing:
        return versions
    stored = {
        state.dataset: state
        for state in DatasetVersion.objects.filter(dataset__in=[d.slug for d in missing])
    }
    now = timezone.now()
    fresh = {}
    for dataset in missing:
        row_count, digest = _read(dataset)
        state = stored.get(dataset.slug)
        if state is None or state.digest != digest or state.row_count != row_count:
            state = _record(dataset.slug, row_count=row_count, digest=digest, modified=now)
        fresh[dataset.slug] = Version(row_count=row_count, digest=digest, modified=state.modified)
    cache.set_many(
        {keys[slug]: version for slug, version in fresh.items()},
        timeout=settings.PUBLIC_PAGE_CACHE_SECONDS,
    )
    return {**versions, **fresh}


def _record(slug: str, *, row_count: int, digest: str, modified: datetime) -> DatasetVersion:
    """Store a dataset's new version. Two requests that notice the same change at once both
    write it; the later time wins, which is harmless."""
    state = DatasetVersion(dataset=slug, digest=digest, row_count=row_count, modified=modified)
    try:
        with transaction.atomic():
            state.save()
    except IntegrityError:  # the other request inserted the row between our update and insert
        state = DatasetVersion.objects.get(dataset=slug)
    return state
