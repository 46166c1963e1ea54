from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from interviews.models import Finding
from smeportal.areas.models import PriorityArea
from smeportal.core.dates import validate_plausible_date
from smeportal.core.text import (
    DESCRIPTION_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    PARAGRAPH_MAX_LENGTH,
    BoundedTextField,
)

from .choices import SETTLED_STATUSES, Actor, ProposalStatus, Scale, TimeHorizon, WorkshopStatus

# Proposals still to be decided: live (not merged away) and not settled. The condition of the
# partial index proposal_unsettled_ranking: a query filters with this very Q to use it.
UNSETTLED = models.Q(merged_into__isnull=True) & ~models.Q(status__in=SETTLED_STATUSES)


class Workshop(models.Model):
    """A dialogue event such as the SME dialogue of 11 November, where groups make proposals."""

    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), validators=[validate_plausible_date])
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = BoundedTextField(_("description"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=WorkshopStatus.choices, default=WorkshopStatus.PLANNED
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_workshops",
        verbose_name=_("facilitators"),
    )
    participants_total = models.PositiveIntegerField(
        _("participants in total"), default=0, validators=[MaxValueValidator(10000)]
    )
    participants_companies = models.PositiveIntegerField(
        _("participants from companies"), default=0, validators=[MaxValueValidator(10000)]
    )
    participants_municipality = models.PositiveIntegerField(
        _("participants from the municipality"), default=0, validators=[MaxValueValidator(10000)]
    )
    participants_other = models.PositiveIntegerField(
        _("other participants"), default=0, validators=[MaxValueValidator(10000)]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("history of workshop"))

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        split = (
            self.participants_companies + self.participants_municipality + self.participants_other
        )
        if split > self.participants_total:
            raise ValidationError(
                {
                    "participants_total": _(
                        "The total (%(total)s) is smaller than the sum of companies, municipality and "
                        "others (%(split)s)."
                    )
                    % {"total": self.participants_total, "split": split}
                }
            )


class WorkshopGroup(models.Model):
    """A table of participants working on one priority area."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.PROTECT, related_name="groups", verbose_name=_("workshop")
    )
    name = models.CharField(_("name or table number"), max_length=100)
    area = models.ForeignKey(
        PriorityArea,
        on_delete=models.PROTECT,
        related_name="groups",
        verbose_name=_("priority area"),
    )
    member_count = models.PositiveSmallIntegerField(
        _("number of members"), default=0, validators=[MaxValueValidator(500)]
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_groups",
        verbose_name=_("facilitator"),
    )
    notes = BoundedTextField(
        _("notes from the discussion"), blank=True, max_length=NOTES_MAX_LENGTH
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["area__order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "name"], name="unique_group_name_per_workshop"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Proposal(models.Model):
    """What a group proposes that the municipality, the business community or both do.

    A merged proposal is kept: `merged_into` points at the survivor, which carries its votes
    and evidence. The area starts as the group's but can be changed.
    """

    group = models.ForeignKey(
        WorkshopGroup, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("group")
    )
    area = models.ForeignKey(
        PriorityArea,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("priority area"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = BoundedTextField(_("description"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    actor = models.CharField(_("who acts"), max_length=12, choices=Actor.choices)
    horizon = models.CharField(
        _("time horizon"),
        max_length=10,
        choices=TimeHorizon.choices,
        default=TimeHorizon.ONE_TO_THREE,
    )
    effect = models.PositiveSmallIntegerField(
        _("expected effect"), choices=Scale.choices, default=Scale.MEDIUM
    )
    effort = models.PositiveSmallIntegerField(
        _("effort"), choices=Scale.choices, default=Scale.MEDIUM
    )
    votes = models.PositiveIntegerField(
        _("votes"), default=0, validators=[MinValueValidator(0), MaxValueValidator(10000)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.NEW
    )
    rejection_reason = BoundedTextField(
        _("reason for rejection"), blank=True, max_length=PARAGRAPH_MAX_LENGTH
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    evidence = models.ManyToManyField(
        Finding,
        blank=True,
        related_name="proposals",
        verbose_name=_("findings behind it"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # How many distinct companies stand behind the proposal through its evidence (finding ->
    # interview -> company). Derived, stored so that the action plan can rank thousands of
    # proposals without counting through the evidence on every request (issue 12); kept exact
    # by workshops.services.proposal_company_counts_refresh, which every writer of the
    # evidence links or of what they point at calls (see workshops/signals.py).
    company_count = models.PositiveIntegerField(_("companies behind it"), default=0, editable=False)
    # Staff choose what the anonymous public page (public/) shows; nothing is public by default.
    is_public = models.BooleanField(
        _("show on the public page"),
        default=False,
        help_text=_(
            "Shown to everyone on the public results page, with its title, area, who acts and "
            "status; never the description, the evidence or who entered it."
        ),
    )
    history = HistoricalRecords(verbose_name=_("history of proposal"), m2m_fields=[evidence])

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-votes", "pk"]
        indexes = [
            # The action plan's ranking within an area (actionplan.selectors).
            models.Index(fields=["area", "-company_count", "-votes"], name="proposal_area_ranking"),
            # The same of the proposals still to be decided (the coverage page and a new
            # activity's choices), which also counts them per area from the index alone.
            models.Index(
                fields=["area", "-company_count", "-votes"],
                name="proposal_unsettled_ranking",
                condition=UNSETTLED,
            ),
            # The public page's proposals per area (public.selectors).
            models.Index(
                fields=["area", "-votes"],
                name="proposal_public_by_area",
                condition=models.Q(is_public=True, merged_into__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    @property
    def is_on_public_page(self) -> bool:
        """Whether the public page lists it (public_site.selectors): staff marked it public,
        and it is neither merged away nor in an archived area. Reads `area`: load it."""
        return self.is_public and not self.is_merged and not self.area.is_archived


class ProposalMerge(models.Model):
    """One merge of duplicate proposals into the one kept, as it was done: what undoing it
    restores exactly (workshops.services.proposals_merge and proposal_merge_undo).

    `details` holds, as ids and numbers: the survivor's votes and status before and after,
    the findings the merge added to its evidence and its evidence and activities after; per
    duplicate its status before and the proposals merged into it earlier, which the merge
    pointed on to the survivor (a lineage always names the final survivor); and the activity
    links moved from the duplicates to the survivor.
    """

    survivor = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="merges", verbose_name=_("kept proposal")
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    details = models.JSONField(_("what the merge changed"), default=dict)

    class Meta:
        verbose_name = _("merge of proposals")
        verbose_name_plural = _("merges of proposals")
        ordering = ["-merged_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.survivor} ({self.merged_at:%Y-%m-%d})"

    @property
    def duplicate_ids(self) -> list[int]:
        return [duplicate["id"] for duplicate in self.details.get("duplicates", [])]
