"""Values as the portal's machine-readable files hold them: the e-archive's delivery packages
(archive.package) and the open data files (opendata.files).

Dates and times in ISO 8601 (a time in Swedish local time); in CSV, None as an empty cell,
booleans as true/false, and text a spreadsheet would run as a formula with a leading
apostrophe (smeportal.core.xlsx.is_formula_like). What a decimal becomes is each file's choice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from .xlsx import is_formula_like


def iso_value(value: Any) -> Any:
    """A date or time in ISO 8601; any other value unchanged."""
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_text(value: Any) -> str:
    """A plain value (iso_value's result, a number, text) as a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if is_formula_like(text) else text
