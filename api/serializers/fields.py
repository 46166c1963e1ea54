"""Fields shared by the API's serializers."""

from __future__ import annotations

from rest_framework import serializers


class Coded(serializers.Serializer):
    """A coded value with its label in the caller's language: {"code": "klar", "label": "Klar"}."""

    code = serializers.CharField()
    label = serializers.CharField()


def coded(choices, value) -> dict:
    """{"code", "label"} of a TextChoices value (labels are read in the active language)."""
    try:
        label = str(choices(value).label)
    except ValueError:  # a value no longer among the choices keeps its code as its label
        label = value
    return {"code": value, "label": label}
