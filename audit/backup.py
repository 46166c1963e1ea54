"""Export of every record of the portal to one JSON file, and its restore into an empty database.

`manage.py export_all <path>` and `manage.py import_all <path>` are thin wrappers around
`backup_export` and `backup_import`. The file is one JSON object:

    {"format": "smeportal-backup", "version": 1, "created_at": "...",
     "objects": [<Django "python" serialisation of each record>, ...],
     "counts": {"interviews.interview": 60, "interviews.interview_interviewers": 75, ...}}

What is in it: users and their group memberships, the role groups and their permissions, the
priority areas, everything of interviews, workshops and actionplan, report snapshots and runs
(without their files, which live in the media volume), the information management plan and
the e-archive's delivery packages (without their files), retention decisions, the Celery beat
schedules, the Django admin's log, and every history table (the audit trail). Permissions and
content types are referred to by natural key, because a freshly migrated database numbers them
its own way; every other record keeps its primary key, so foreign keys, many-to-many links and
self-references (a merged proposal's `merged_into`, an activity's `parent`) survive unchanged.
Sessions, content types and permissions themselves are not exported: migrate creates them.

The import runs in one transaction. It refuses a database that holds anything beyond what
migrations create; those seeded rows (the six areas, the role groups, the beat schedules) are
replaced by the file's. Saves are "raw", as with loaddata: no history records, timestamps kept.
At the end the count of every model and link table is compared with the file's, and any
difference rolls the whole import back.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import Path
from typing import TextIO

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from workshops.services import proposal_company_counts_refresh

BACKUP_FORMAT = "smeportal-backup"
BACKUP_VERSION = 1

# In this order: groups before users (users name their groups by natural key).
EXPORTED_APPS = (
    "auth",
    "accounts",
    "areas",
    "interviews",
    "workshops",
    "actionplan",
    "reports",
    # Requests for public records, their review and what was released (not the files).
    "records",
    # The information management plan and the delivery packages (not their files), before
    # the retention decisions that cite the plan's rules.
    "archive",
    "audit",
    # The open data settings (licence, publisher), personal API tokens (their hashes) and the
    # log of API calls.
    "opendata",
    "api",
    "django_celery_beat",
    "admin",
)
# Rows that `migrate` itself creates in a new database; an import replaces them.
SEEDED_MODELS = {"auth.group", "areas.priorityarea", "records.secrecyground"}
SEEDED_APPS = {"django_celery_beat"}
# Models whose references to content types and permissions must travel as natural keys.
NATURAL_KEY_MODELS = {"auth.group", "accounts.user", "admin.logentry"}


class BackupError(Exception):
    """The file cannot be restored here; nothing was changed."""


# Created by migrate (permissions), or a marker django-celery-beat rewrites on every schedule
# save to tell the beat process to reload (periodictasks): not data worth restoring.
# Interview export jobs are working files of a day (their filters may hold a searched name):
# a backup has no use for them and should not keep personal data longer than they do.
NOT_EXPORTED = {
    "auth.permission",
    "django_celery_beat.periodictasks",
    "interviews.interviewexport",
}


def exported_models() -> list[type[models.Model]]:
    """Every model whose rows the backup holds, in the order they are written."""
    return [
        model
        for label in EXPORTED_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in NOT_EXPORTED
    ]


class BackupEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep their microseconds (it cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def _through_models(model: type[models.Model]) -> list[type[models.Model]]:
    return [
        field.remote_field.through
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]


def table_counts() -> dict[str, int]:
    """Rows per exported model and per many-to-many link table, by lower-case label."""
    counts = {}
    for model in exported_models():
        counts[model._meta.label_lower] = model._base_manager.count()
        for through in _through_models(model):
            counts[through._meta.label_lower] = through._base_manager.count()
    return counts


def _queryset(model: type[models.Model], natural: bool):
    queryset = model._base_manager.order_by(model._meta.pk.name)
    for field in model._meta.local_many_to_many:
        # Through the base manager: a link to an archived finding is a link all the same.
        linked = field.related_model._base_manager.all()
        if natural and field.related_model is Permission:
            # A permission's natural key names its content type.
            linked = linked.select_related("content_type")
        queryset = queryset.prefetch_related(models.Prefetch(field.name, queryset=linked))
    if natural:
        related = [
            field.name
            for field in model._meta.concrete_fields
            if field.is_relation and hasattr(field.related_model, "natural_key")
        ]
        queryset = queryset.select_related(*related)
    return queryset


def _serialised(model: type[models.Model]) -> Iterator[dict]:
    natural = model._meta.label_lower in NATURAL_KEY_MODELS
    file_fields = [
        field.name for field in model._meta.concrete_fields if isinstance(field, models.FileField)
    ]
    records = _queryset(model, natural).iterator(chunk_size=2000)
    for record in serializers.serialize("python", records, use_natural_foreign_keys=natural):
        for name in file_fields:
            # Files stay in the media volume; back that up alongside (see README).
            record["fields"][name] = ""
        yield record


def _begin_consistent_read() -> None:
    """On Postgres, read every table as of the same moment while the portal keeps running."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def _open_private(path: Path) -> TextIO:
    """Open `path` for writing, readable and writable by its owner alone (mode 0600).

    The backup holds password hashes and personal data. os.open's mode only applies to a new
    file (and is narrowed by the umask), so the mode is also set on an existing one, before a
    byte is written.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        return os.fdopen(descriptor, "w", encoding="utf-8")
    except BaseException:
        os.close(descriptor)
        raise


def backup_export(path: str | Path) -> dict[str, int]:
    """Write every record to one JSON file at `path` (mode 0600); return the counts in it."""
    path = Path(path)
    # Inside a caller's transaction (a test) its isolation level applies and cannot change.
    outermost = not connection.in_atomic_block
    with transaction.atomic(), _open_private(path) as out:
        if outermost:
            _begin_consistent_read()
        created_at = datetime.now(tz=UTC).isoformat()
        out.write(
            f'{{"format": "{BACKUP_FORMAT}", "version": {BACKUP_VERSION}, '
            f'"created_at": "{created_at}",\n"objects": [\n'
        )
        first = True
        for model in exported_models():
            for record in _serialised(model):
                out.write("" if first else ",\n")
                out.write(json.dumps(record, cls=BackupEncoder, ensure_ascii=False))
                first = False
        counts = table_counts()
        out.write('\n],\n"counts": ')
        out.write(json.dumps(counts, indent=1, sort_keys=True))
        out.write("\n}\n")
    return counts


def _read(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as source:
            data = json.load(source)
    except (OSError, ValueError) as error:
        raise BackupError(f"Cannot read {path}: {error}") from error
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT:
        raise BackupError(f"{path} is not a backup written by export_all.")
    if data.get("version") != BACKUP_VERSION:
        raise BackupError(
            f"{path} is backup format version {data.get('version')}; "
            f"this portal reads version {BACKUP_VERSION}."
        )
    return data


def _is_seeded(model: type[models.Model]) -> bool:
    return model._meta.label_lower in SEEDED_MODELS or model._meta.app_label in SEEDED_APPS


def _refuse_unless_empty() -> None:
    occupied = {
        model._meta.label_lower: model._base_manager.count()
        for model in exported_models()
        if not _is_seeded(model)
    }
    occupied = {label: count for label, count in occupied.items() if count}
    if occupied:
        sample = ", ".join(f"{label}: {count}" for label, count in sorted(occupied.items())[:5])
        raise BackupError(
            "The database already holds data "
            f"({sample}{', …' if len(occupied) > 5 else ''}). import_all restores only into "
            "an empty, freshly migrated database: create a new database, run "
            "`manage.py migrate`, then import. Nothing was changed."
        )


def _clear_seeded() -> None:
    """Remove the rows migrations seeded; the file holds their current state."""
    for model in reversed(exported_models()):
        if _is_seeded(model):
            model._base_manager.all().delete()


def _reset_sequences(imported: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), imported)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _save_links(links: dict[type[models.Model], list]) -> None:
    for through, rows in links.items():
        through._base_manager.bulk_create(rows, batch_size=1000)


def _link_rows(deserialized, links: dict[type[models.Model], list]) -> None:
    """Queue the many-to-many rows of one record, to be written in bulk at the end."""
    model = type(deserialized.object)
    for name, target_ids in (deserialized.m2m_data or {}).items():
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        links[through].extend(
            through(**{f"{source}_id": deserialized.object.pk, f"{target}_id": target_id})
            for target_id in target_ids
        )


def backup_import(path: str | Path) -> dict[str, int]:
    """Restore a file written by backup_export into an empty database, in one transaction.

    Raises BackupError (and changes nothing) if the file is not a backup, the database is not
    empty, or the counts after the import differ from the file's.
    """
    data = _read(Path(path))
    expected = data.get("counts") or {}
    ContentType.objects.clear_cache()
    with transaction.atomic():
        _refuse_unless_empty()
        _clear_seeded()
        links: dict[type[models.Model], list] = defaultdict(list)
        deferred = []
        imported: dict[type[models.Model], None] = {}
        objects = serializers.deserialize(
            "python", data.get("objects") or [], handle_forward_references=True
        )
        for deserialized in objects:
            record = deserialized.object
            # django-celery-beat bumps its "schedule changed" row on every save otherwise.
            record.no_changes = True
            _link_rows(deserialized, links)  # before save(), which forgets them
            deserialized.save(save_m2m=False, force_insert=True)
            if deserialized.deferred_fields:
                deferred.append(deserialized)
            imported[type(record)] = None
        for deserialized in deferred:
            deserialized.save_deferred_fields()
        _save_links(links)
        # The links go in without the relation's signals; a file written before the count
        # was stored has none.
        proposal_company_counts_refresh()
        connection.check_constraints()
        _reset_sequences(list(imported))
        actual = table_counts()
        wrong = {
            label: (count, actual.get(label, 0))
            for label, count in expected.items()
            if actual.get(label, 0) != count
        }
        if wrong:
            detail = ", ".join(
                f"{label}: {want} in the file, {got} imported"
                for label, (want, got) in sorted(wrong.items())
            )
            raise BackupError(f"The import did not match the file and was undone: {detail}.")
    ContentType.objects.clear_cache()
    return actual
