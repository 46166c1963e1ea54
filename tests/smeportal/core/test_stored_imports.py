"""An upload kept between an import's preview and its confirmation opens only for its user and
scope, for a day, with the cells as they were read."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from freezegun import freeze_time

from smeportal.core.stored_imports import (
    StoredImportNotFound,
    stored_import_delete,
    stored_import_open,
    stored_import_save,
)
from tests.factories import UserFactory

ROWS = [
    (
        2,
        {
            "Datum": datetime.datetime(2024, 6, 1, 0, 0),
            "Värde": 3.4,
            "Kommentar": "Enkäten",
            "Dag": datetime.date(2024, 6, 1),
            "Tid": datetime.time(9, 30),
            "Längd": datetime.timedelta(minutes=45),
            "Antal": 12,
            "Ja": True,
            "Tomt": None,
        },
    ),
    (4, {"Datum": "2024-07-01", "Värde": "3,5", "Kommentar": None}),
]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def user(db):
    return UserFactory()


def _save(user, scope="measurements:1"):
    return stored_import_save(rows=ROWS, scope=scope, file_name="../data/fil.xlsx", user=user)


def test_the_rows_come_back_as_they_were_read(user):
    token = _save(user)
    rows, name = stored_import_open(token=token, scope="measurements:1", user=user)
    assert rows == ROWS
    assert name == "fil.xlsx"  # the name only, never a path


def test_another_scope_user_or_token_finds_nothing(user):
    token = _save(user)
    with pytest.raises(StoredImportNotFound):
        stored_import_open(token=token, scope="measurements:2", user=user)
    with pytest.raises(StoredImportNotFound):
        stored_import_open(token=token, scope="interviews", user=user)
    with pytest.raises(StoredImportNotFound):
        stored_import_open(token=token, scope="measurements:1", user=UserFactory())
    with pytest.raises(StoredImportNotFound):
        stored_import_open(token=uuid.uuid4(), scope="measurements:1", user=user)


def test_an_upload_stored_before_scopes_were_recorded_is_the_interview_imports(user, settings):
    token = _save(user, scope="interviews")
    meta_path = settings.MEDIA_ROOT / "imports" / f"{token}.json"
    meta = json.loads(meta_path.read_text())
    del meta["scope"]
    meta_path.write_text(json.dumps(meta))
    assert stored_import_open(token=token, scope="interviews", user=user)[0] == ROWS
    with pytest.raises(StoredImportNotFound):
        stored_import_open(token=token, scope="measurements:1", user=user)


def test_an_upload_expires_after_a_day_and_can_be_deleted(user, settings):
    with freeze_time("2025-09-01 10:00"):
        token = _save(user)
    with freeze_time("2025-09-02 09:59"):
        assert stored_import_open(token=token, scope="measurements:1", user=user)
    with freeze_time("2025-09-02 10:01"), pytest.raises(StoredImportNotFound):
        stored_import_open(token=token, scope="measurements:1", user=user)
    stored_import_delete(token=token)
    assert not any((settings.MEDIA_ROOT / "imports").iterdir())
