"""Reads of the open data's settings."""

from __future__ import annotations

from .models import SETTINGS_PK, OpenDataSettings


def opendata_settings() -> OpenDataSettings:
    """The settings row, or the defaults (unsaved) until an administrator saves it (one query)."""
    return OpenDataSettings.objects.filter(pk=SETTINGS_PK).first() or OpenDataSettings(
        pk=SETTINGS_PK
    )
