from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkshopStatus(models.TextChoices):
    PLANNED = "planerad", _("Planned")
    HELD = "genomford", _("Held")


class Actor(models.TextChoices):
    """Who is to act on a proposal."""

    MUNICIPALITY = "kommunen", _("The municipality")
    BUSINESS = "naringslivet", _("The business community")
    TOGETHER = "tillsammans", _("Together")


class TimeHorizon(models.TextChoices):
    WITHIN_A_YEAR = "inom_1_ar", _("Within 1 year")
    ONE_TO_THREE = "1_3_ar", _("1–3 years")
    LONGER = "langre", _("Longer")


class ProposalStatus(models.TextChoices):
    NEW = "ny", _("New")
    UNDER_REVIEW = "under_beredning", _("Under review")
    IN_PLAN = "i_handlingsplan", _("In the action plan")
    REJECTED = "avslagen", _("Rejected")
    # Set only by a merge: the proposal lives on in the one it was merged into.
    MERGED = "sammanslagen", _("Merged")


# Settled proposals: realised in the action plan, rejected, or merged into another. The others
# are still to be decided (workshops.models.UNSETTLED), and the action plan ranks them.
SETTLED_STATUSES = (ProposalStatus.IN_PLAN, ProposalStatus.REJECTED, ProposalStatus.MERGED)


class Scale(models.IntegerChoices):
    LOW = 1, _("1 – low")
    MEDIUM = 2, _("2 – medium")
    HIGH = 3, _("3 – high")


def choice_labels(choices: type[models.Choices]) -> dict:
    """{value: label} in the active language, for a page that shows a label on every row.

    A model's `get_FOO_display()` flattens and translates all of the field's choices on each
    call; a page of proposals or findings looks each label up here instead.
    """
    return {value: str(label) for value, label in choices.choices}
