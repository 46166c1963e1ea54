"""The rows of an uploaded import, kept between its preview and its confirmation.

Every Excel import is preview first, then commit: the preview reads and checks the workbook and
shows what would be written; the confirmation writes it. Between the two steps the rows read from
the file (as read_data_rows returned them) are kept under MEDIA_ROOT/imports/ for the uploading
user only, and the confirmation checks them again, so what is written is what was checked; it
does not parse the workbook a second time (issue 12: at an import's row cap that alone cost as
much as the parse the import is measured against).

A stored upload names its scope, what it was uploaded for (the interview import, or one
indicator's measurements), and a token opens it only there. Uploads nobody confirmed are
removed after a day, so personal data does not linger in MEDIA_ROOT.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from .uploads import DataRows

IMPORT_DIR = "imports"
STORED_IMPORT_MAX_AGE = timedelta(days=1)
# Uploads stored before scopes were recorded were all the interview import's.
_UNSCOPED = "interviews"


class StoredImportNotFound(LookupError):
    """No stored upload with this token for this user and scope (unknown, expired or another's)."""


def _import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / IMPORT_DIR


def _stored_paths(token: uuid.UUID) -> tuple[Path, Path]:
    """The stored rows and the upload's facts (owner, scope, name, when)."""
    base = _import_dir() / str(uuid.UUID(str(token)))
    return base.with_suffix(".rows.json"), base.with_suffix(".json")


# datetime before date: a datetime is a date too.
_STORED_KINDS = {"datetime": datetime, "date": date, "time": time}


def _cell_to_json(value: Any) -> Any:
    """A cell value as openpyxl read it, in JSON (dates and times tagged with their kind).

    json.dumps calls it for the values JSON has no type for; numbers, text and blanks are
    written as they are.
    """
    for kind, python_type in _STORED_KINDS.items():
        if isinstance(value, python_type):
            return {kind: value.isoformat()}
    if isinstance(value, timedelta):
        return {"seconds": value.total_seconds()}
    return str(value)


def _cell_from_json(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    ((kind, text),) = value.items()
    if kind == "seconds":
        return timedelta(seconds=text)
    return _STORED_KINDS[kind].fromisoformat(text)


def stored_import_save(*, rows: DataRows, scope: str, file_name: str, user) -> uuid.UUID:
    """Keep a checked upload's rows for its user and scope until it is confirmed; its token."""
    _discard_stale_imports()
    directory = _import_dir()
    directory.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4()
    rows_path, meta_path = _stored_paths(token)
    # Each row as [number, {header: value}]; the encoder calls _cell_to_json only for dates,
    # times and durations, not for every cell.
    rows_path.write_text(
        json.dumps(rows, ensure_ascii=False, default=_cell_to_json), encoding="utf-8"
    )
    meta = {
        "user_id": user.pk,
        "scope": scope,
        "name": Path(str(file_name or "")).name,
        "stored_at": timezone.now().isoformat(),
    }
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    return token


def stored_import_open(*, token: uuid.UUID, scope: str, user) -> tuple[DataRows, str]:
    """The stored rows and the file's original name; StoredImportNotFound unless the user's
    upload for this scope, stored within STORED_IMPORT_MAX_AGE."""
    rows_path, meta_path = _stored_paths(token)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise StoredImportNotFound(str(token)) from None
    stored_at = datetime.fromisoformat(meta.get("stored_at", "1970-01-01T00:00:00+00:00"))
    if (
        meta.get("user_id") != user.pk
        or meta.get("scope", _UNSCOPED) != scope
        or not rows_path.exists()
        or timezone.now() - stored_at > STORED_IMPORT_MAX_AGE
    ):
        raise StoredImportNotFound(str(token))
    try:
        stored = json.loads(rows_path.read_text(encoding="utf-8"))
        rows = [
            (number, {header: _cell_from_json(value) for header, value in values.items()})
            for number, values in stored
        ]
    except (OSError, ValueError, KeyError, TypeError):
        raise StoredImportNotFound(str(token)) from None
    return rows, str(meta.get("name", ""))


def stored_import_delete(*, token: uuid.UUID) -> None:
    for path in _stored_paths(token):
        path.unlink(missing_ok=True)


def _discard_stale_imports() -> None:
    """Remove uploads nobody confirmed, so personal data does not linger in MEDIA_ROOT."""
    directory = _import_dir()
    if not directory.is_dir():
        return
    cutoff = (timezone.now() - STORED_IMPORT_MAX_AGE).timestamp()
    for path in directory.iterdir():
        if path.suffix in {".xlsx", ".json"} and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
