"""Fixed vocabularies of the interview records, Swedish in the interface."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    """SNI 2007 sections (Statistics Sweden's standard industrial classification)."""

    A = "A", _("A – Agriculture, forestry and fishing")
    B = "B", _("B – Mining and quarrying")
    C = "C", _("C – Manufacturing")
    D = "D", _("D – Electricity, gas, steam and air conditioning supply")
    E = "E", _("E – Water supply, sewerage and waste management")
    F = "F", _("F – Construction")
    G = "G", _("G – Wholesale and retail trade; repair of motor vehicles")
    H = "H", _("H – Transportation and storage")
    I = "I", _("I – Accommodation and food service activities")  # noqa: E741
    J = "J", _("J – Information and communication")
    K = "K", _("K – Financial and insurance activities")
    L = "L", _("L – Real estate activities")
    M = "M", _("M – Professional, scientific and technical activities")
    N = "N", _("N – Administrative and support service activities")
    O = "O", _("O – Public administration and defence")  # noqa: E741
    P = "P", _("P – Education")
    Q = "Q", _("Q – Human health and social work activities")
    R = "R", _("R – Arts, entertainment and recreation")
    S = "S", _("S – Other service activities")


class SizeClass(models.TextChoices):
    NONE = "0", _("0 employees")
    MICRO = "1-9", _("1–9 employees")
    SMALL = "10-49", _("10–49 employees")
    MEDIUM = "50-249", _("50–249 employees")
    LARGE = "250+", _("250 or more employees")


class District(models.TextChoices):
    """Parts of Eskilstuna municipality used to see where the interviews were held."""

    CENTRUM = "centrum", "Centrum"
    NORR = "norr", "Eskilstuna norr (Skiftinge, Lagersberg, Råbergstorp)"
    SODER = "soder", "Eskilstuna söder (Fröslunda, Årby, Skogstorp)"
    VASTER = "vaster", "Eskilstuna väster (Gredby, Slagsta, Kjula)"
    OSTER = "oster", "Eskilstuna öster (Hällbybrunn, Mälarbaden)"
    TORSHALLA = "torshalla", "Torshälla"
    ARLA = "arla", "Ärla och Stenkvista"
    KVICKSUND = "kvicksund", "Kvicksund"
    LANDSBYGD = "landsbygd", _("Other countryside")


class InterviewFormat(models.TextChoices):
    VISIT = "besok", _("Visit")
    DIGITAL = "digitalt", _("Digital")
    PHONE = "telefon", _("Phone")


class InterviewStatus(models.TextChoices):
    DRAFT = "utkast", _("Draft")
    DONE = "klar", _("Done")


class QuoteConsent(models.TextChoices):
    INTERNAL_ONLY = "internt", _("Internal use only")
    ANONYMOUS = "anonymt", _("Anonymous quote")
    NAMED = "med_namn", _("Quote with name")


class FindingType(models.TextChoices):
    CHALLENGE = "utmaning", _("Challenge")
    IDEA = "ide", _("Idea")
    STRENGTH = "styrka", _("Strength")


class Importance(models.IntegerChoices):
    LOW = 1, _("1 – low")
    MEDIUM = 2, _("2 – medium")
    HIGH = 3, _("3 – high")


class Flag(models.TextChoices):
    RED = "rod", _("Red flag – act now")
    YELLOW = "gul", _("Yellow flag – important, less urgent")


class FollowUpStatus(models.TextChoices):
    OPEN = "oppen", _("Open")
    IN_PROGRESS = "pagar", _("In progress")
    DONE = "klar", _("Done")
