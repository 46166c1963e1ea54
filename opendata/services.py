"""Writes of the open data's settings."""

from __future__ import annotations

from django.db import transaction

from .models import SETTINGS_PK, OpenDataSettings


@transaction.atomic
def opendata_settings_save(*, open_data_settings: OpenDataSettings, user) -> OpenDataSettings:
    """Save the one settings row as the administrator left it (the licence, publisher and
    contact every file and the DCAT description name from then on); history keeps the old."""
    open_data_settings.pk = SETTINGS_PK
    open_data_settings.updated_by = user
    open_data_settings.full_clean()
    open_data_settings.save()
    return open_data_settings
