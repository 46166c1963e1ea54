from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "utkast", _("Draft")
    ADOPTED = "antagen", _("Adopted")


class PartyKind(models.TextChoices):
    """Who is responsible for an activity."""

    DEPARTMENT = "forvaltning", _("Municipal department")
    BUSINESS_ORGANISATION = "naringslivsorganisation", _("Business organisation")
    COUNCIL = "tillvaxtradet", _("Tillväxtrådet")
    COMPANY = "foretag", _("Company")


class ActivityStatus(models.TextChoices):
    PLANNED = "planerad", _("Planned")
    ONGOING = "pagar", _("Ongoing")
    DONE = "klar", _("Done")
    PAUSED = "pausad", _("Paused")
    CANCELLED = "avbruten", _("Cancelled")


class PartStatus(models.TextChoices):
    """The state of one side's share of an activity (the municipality's or the business side's)."""

    NOT_STARTED = "ej_paborjad", _("Not started")
    ONGOING = "pagar", _("Ongoing")
    DONE = "klar", _("Done")


class Direction(models.TextChoices):
    HIGHER = "hogre", _("Higher is better")
    LOWER = "lagre", _("Lower is better")


class IndicatorSource(models.TextChoices):
    SVENSKT_NARINGSLIV = "svenskt_naringsliv", _("Svenskt Näringsliv, Lokalt företagsklimat")
    SKR_INSIKT = "skr_insikt", _("SKR Insikt (service to businesses)")
    OWN = "egen", _("Own measure")
    OTHER = "annan", _("Other source")
    # Values fetched every month from Kolada's open API (actionplan.kolada).
    KOLADA = "kolada", _("Kolada (fetched automatically)")


class MeasurementSource(models.TextChoices):
    """Where a measurement came from: a fetch from Kolada never overwrites the others.

    The labels are short: they fill a column of the indicator page's measurement table."""

    HAND = "hand", _("By hand")
    IMPORT = "import", _("Excel import")
    KOLADA = "kolada", _("Kolada")
    API = "api", _("API")


class KoladaGender(models.TextChoices):
    """Which of Kolada's series an indicator follows: everyone, women or men."""

    TOTAL = "T", _("Total")
    WOMEN = "K", _("Women")
    MEN = "M", _("Men")


class KoladaFetchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Fetching")
    OK = "ok", _("Fetched")
    UNREACHABLE = "unreachable", _("Kolada could not be reached")
    FAILED = "failed", _("Failed")


class ReportingInterval(models.IntegerChoices):
    """How often a new measurement is expected, in months."""

    MONTHLY = 1, _("Monthly")
    QUARTERLY = 3, _("Quarterly")
    HALF_YEARLY = 6, _("Every six months")
    YEARLY = 12, _("Yearly")


class IndicatorStatus(models.TextChoices):
    ON_TRACK = "i_fas", _("On track")
    AT_RISK = "risk", _("At risk")
    BEHIND = "efter", _("Behind")
    # The latest measurement is older than the reporting interval: whatever it said then, the
    # indicator cannot be called on track now (progress.indicator_state).
    NEEDS_UPDATE = "behover_uppdateras", _("Needs updating")
    NO_DATA = "ingen_matning", _("No measurement yet")


class CelebrationKind(models.TextChoices):
    MILESTONE_DONE = "delmal", _("Milestone reached")
    ACTIVITY_DONE = "aktivitet", _("Activity completed")
    TARGET_REACHED = "malvarde", _("Indicator target reached")
