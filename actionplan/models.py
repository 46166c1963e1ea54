from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smeportal.areas.models import PriorityArea
from smeportal.core.dates import validate_past_date, validate_plausible_date
from smeportal.core.text import DESCRIPTION_MAX_LENGTH, BoundedTextField
from workshops.models import Proposal

from .choices import (
    ActivityStatus,
    CelebrationKind,
    Direction,
    IndicatorSource,
    KoladaFetchStatus,
    KoladaGender,
    MeasurementSource,
    PartStatus,
    PartyKind,
    PlanStatus,
    ReportingInterval,
)


class ActionPlan(models.Model):
    """The handlingsplan: what the municipality and the business community will do, and when."""

    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("last year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    adopted_on = models.DateField(
        _("adopted on"), null=True, blank=True, validators=[validate_plausible_date]
    )
    history = HistoricalRecords(verbose_name=_("history of action plan"))

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-start_year", "pk"]

    def __str__(self) -> str:
        return f"{self.title} {self.start_year}–{self.end_year}"

    def clean(self):
        errors = {}
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("The last year cannot be before the first.")
        if self.status == PlanStatus.ADOPTED and not self.adopted_on:
            errors["adopted_on"] = _("An adopted plan needs its adoption date.")
        if errors:
            raise ValidationError(errors)


class Indicator(models.Model):
    """A measure (mätetal) with a baseline and a target; progress and status derive from them."""

    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(
        _("unit"),
        max_length=40,
        blank=True,
        help_text=_("For example “grade 1–6”, “place”, “NKI” or “%”."),
    )
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER
    )
    source = models.CharField(
        _("source"), max_length=20, choices=IndicatorSource.choices, default=IndicatorSource.OWN
    )
    source_detail = models.CharField(_("source details"), max_length=200, blank=True)
    # Kolada's key figure (KPI) for the municipality of KOLADA_MUNICIPALITY (actionplan.kolada).
    kolada_kpi = models.CharField(
        _("Kolada KPI"),
        max_length=6,
        blank=True,
        validators=[
            RegexValidator(
                r"\A[A-Z][0-9]{5}\Z",
                _("Enter the KPI as a capital letter and five digits, for example N01004."),
                code="kolada_kpi",
            )
        ],
        help_text=_(
            "Only when the source is Kolada: the key figure's id, for example N01004. Its "
            "yearly values for the municipality are fetched every month."
        ),
    )
    kolada_gender = models.CharField(
        _("Kolada series"),
        max_length=1,
        choices=KoladaGender.choices,
        default=KoladaGender.TOTAL,
        help_text=_("Only when the source is Kolada: the total, or the values for women or men."),
    )
    baseline_value = models.DecimalField(_("baseline value"), max_digits=12, decimal_places=2)
    baseline_date = models.DateField(_("baseline date"), validators=[validate_plausible_date])
    target_value = models.DecimalField(_("target value"), max_digits=12, decimal_places=2)
    target_date = models.DateField(_("target date"), validators=[validate_plausible_date])
    reporting_interval = models.PositiveSmallIntegerField(
        _("reporting interval"),
        choices=ReportingInterval.choices,
        default=ReportingInterval.YEARLY,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("owner"),
    )
    history = HistoricalRecords(verbose_name=_("history of indicator"))

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.source == IndicatorSource.KOLADA and not self.kolada_kpi:
            errors["kolada_kpi"] = _("An indicator fetched from Kolada needs its KPI.")
        elif self.source != IndicatorSource.KOLADA and self.kolada_kpi:
            errors["kolada_kpi"] = _(
                "A KPI is only used when the source is Kolada: choose Kolada as the source or "
                "leave the KPI empty."
            )
        if self.baseline_date and self.target_date and self.target_date <= self.baseline_date:
            errors["target_date"] = _("The target date must come after the baseline date.")
        if self.baseline_value is not None and self.target_value is not None:
            if self.target_value == self.baseline_value:
                errors["target_value"] = _("The target must differ from the baseline.")
            elif (self.direction == Direction.HIGHER) != (self.target_value > self.baseline_value):
                errors["target_value"] = _(
                    "The target does not match the direction: when higher is better the target "
                    "must be above the baseline, when lower is better below it."
                )
        if errors:
            raise ValidationError(errors)


class Measurement(models.Model):
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    date = models.DateField(_("date"), validators=[validate_past_date])
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=MeasurementSource.choices,
        default=MeasurementSource.HAND,
        editable=False,
    )
    # When Kolada gave the value (source Kolada): set by each fetch that added or changed it.
    fetched_at = models.DateTimeField(_("fetched at"), null=True, blank=True, editable=False)
    history = HistoricalRecords(verbose_name=_("history of measurement"))

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date"], name="one_measurement_per_indicator_and_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.date:%Y-%m-%d})"


class KoladaFetch(models.Model):
    """One fetch of an indicator's values from Kolada: queued by the indicator's page or the
    monthly job, run by a worker (actionplan.tasks), and what it did, for the page to tell.

    At most one fetch per indicator is queued or running at a time (the constraint), so a
    second click does not fetch twice.
    """

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="kolada_fetches",
        verbose_name=_("indicator"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=KoladaFetchStatus.choices,
        default=KoladaFetchStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # For the indicator's page, in Swedish as written by the worker; never a stack trace.
    message = models.CharField(_("message"), max_length=500, blank=True)
    kpi_title = models.CharField(_("the KPI's title at Kolada"), max_length=300, blank=True)
    added = models.PositiveIntegerField(_("values added"), default=0)
    updated = models.PositiveIntegerField(_("values updated"), default=0)
    unchanged = models.PositiveIntegerField(_("values unchanged"), default=0)
    kept_by_hand = models.PositiveIntegerField(_("values kept as entered"), default=0)
    # The values Kolada gave that differ from one recorded otherwise, which was kept:
    # [{"date": "2023-12-31", "kolada": "12.30", "kept": "12.00", "source": "hand"}, ...].
    conflicts = models.JSONField(_("conflicts"), default=list, blank=True)

    class Meta:
        verbose_name = _("fetch from Kolada")
        verbose_name_plural = _("fetches from Kolada")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["indicator", "-requested_at", "-id"], name="kolada_fetch_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator"],
                name="one_pending_kolada_fetch_per_indicator",
                condition=models.Q(status__in=["queued", "running"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.get_status_display()} ({self.requested_at:%Y-%m-%d %H:%M})"

    @property
    def is_pending(self) -> bool:
        return self.status in (KoladaFetchStatus.QUEUED, KoladaFetchStatus.RUNNING)


class Goal(models.Model):
    """A shared goal (mål) of the plan for one priority area, measured by indicators."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.PROTECT, related_name="goals", verbose_name=_("action plan")
    )
    area = models.ForeignKey(
        PriorityArea,
        on_delete=models.PROTECT,
        related_name="goals",
        verbose_name=_("priority area"),
    )
    title = models.CharField(_("goal"), max_length=200)
    description = BoundedTextField(_("description"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="goals", verbose_name=_("indicators")
    )
    # Staff choose what the anonymous public page (public/) shows; nothing is public by default.
    is_public = models.BooleanField(
        _("show on the public page"),
        default=False,
        help_text=_(
            "Shown to everyone on the public results page with its indicators (an indicator is "
            "public when a public goal measures it)."
        ),
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["area__order", "pk"]
        indexes = [models.Index(fields=["is_public"], name="goal_public")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_on_public_page(self) -> bool:
        """Whether the public page lists it (public_site.selectors): staff marked it public and
        its area is not archived. Reads `area`: load it."""
        return self.is_public and not self.area.is_archived


class Activity(models.Model):
    """An activity (aktivitet) of the plan, with shared ownership between the two sides.

    Progress rolls up from milestones and sub-activities when it has any; otherwise the
    hand-set `manual_progress` counts (see actionplan.progress).
    """

    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("action plan"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of activity"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = BoundedTextField(_("description"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    areas = models.ManyToManyField(
        PriorityArea, related_name="activities", verbose_name=_("priority areas")
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("goal"),
    )
    party_kind = models.CharField(
        _("responsible party"),
        max_length=24,
        choices=PartyKind.choices,
        default=PartyKind.DEPARTMENT,
    )
    party_name = models.CharField(
        _("name of the responsible party"),
        max_length=200,
        help_text=_("For example Näringslivskontoret, Företagarna Eskilstuna or Tillväxtrådet."),
    )
    contact_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_activities",
        verbose_name=_("contact person in the portal"),
    )
    municipality_part = BoundedTextField(
        _("what the municipality does"), blank=True, max_length=DESCRIPTION_MAX_LENGTH
    )
    municipality_owner = models.CharField(
        _("owner on the municipality's side"), max_length=200, blank=True
    )
    municipality_status = models.CharField(
        _("status of the municipality's part"),
        max_length=12,
        choices=PartStatus.choices,
        default=PartStatus.NOT_STARTED,
    )
    business_part = BoundedTextField(
        _("what the business community does"), blank=True, max_length=DESCRIPTION_MAX_LENGTH
    )
    business_owner = models.CharField(_("owner on the business side"), max_length=200, blank=True)
    business_status = models.CharField(
        _("status of the business community's part"),
        max_length=12,
        choices=PartStatus.choices,
        default=PartStatus.NOT_STARTED,
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, validators=[validate_plausible_date]
    )
    due_date = models.DateField(
        _("due date"), null=True, blank=True, validators=[validate_plausible_date]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    manual_progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("Used only when the activity has no milestones or sub-activities."),
    )
    proposals = models.ManyToManyField(
        Proposal, blank=True, related_name="activities", verbose_name=_("proposals it realises")
    )
    # Staff choose what the anonymous public page (public/) shows; nothing is public by default.
    is_public = models.BooleanField(
        _("show on the public page"),
        default=False,
        help_text=_(
            "Shown to everyone on the public results page with its title, areas, status, due "
            "date and progress; never the description, the contact person or the owners."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The links are part of the audit trail: which proposals an activity realises, and where.
    history = HistoricalRecords(
        verbose_name=_("history of activity"), m2m_fields=[areas, proposals]
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["due_date", "pk"]
        indexes = [
            # The public page's activities and the feed's completed ones (public.selectors).
            models.Index(
                fields=["status", "due_date"],
                name="activity_public",
                condition=models.Q(is_public=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise ValidationError({"due_date": _("The due date cannot be before the start.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An activity cannot be part of itself.")})


class Milestone(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="milestones", verbose_name=_("activity")
    )
    title = models.CharField(_("milestone"), max_length=200)
    date = models.DateField(_("date"), validators=[validate_plausible_date])
    is_done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    history = HistoricalRecords(verbose_name=_("history of milestone"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return self.title


class Celebration(models.Model):
    """Something worth celebrating and telling back to the companies ("Att fira").

    Created once per event: a reached milestone, a completed activity, an indicator that
    reached its target. The unique constraints make a second trigger a no-op.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=CelebrationKind.choices)
    # As written when it happened (in Swedish); pages show `display_title`, built from the
    # facts below in the reader's language.
    title = models.CharField(_("what"), max_length=300)
    # A reached target: the value that reached it.
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True, blank=True)
    occurred_on = models.DateField(_("when"), validators=[validate_plausible_date])
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="celebrations",
        verbose_name=_("activity"),
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="celebrations",
        verbose_name=_("milestone"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="celebrations",
        verbose_name=_("indicator"),
    )
    is_celebrated = models.BooleanField(_("celebrated and communicated"), default=False)
    celebrated_at = models.DateTimeField(_("celebrated at"), null=True, blank=True)
    celebrated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("how it was communicated"), max_length=500, blank=True)
    # Staff choose what the anonymous public page (public/) shows; nothing is public by default.
    is_public = models.BooleanField(
        _("show on the public page"),
        default=False,
        help_text=_(
            "Shown to everyone on the public results page and in its feed; never the note on "
            "how it was communicated."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("celebration")
        verbose_name_plural = _("celebrations")
        ordering = ["-occurred_on", "-pk"]
        # "Att fira" newest first, all or by whether they have been celebrated.
        indexes = [
            models.Index(fields=["-occurred_on", "-id"], name="celebration_newest_first"),
            models.Index(
                fields=["is_celebrated", "-occurred_on", "-id"], name="celebration_state_newest"
            ),
            # The public page's and the feed's celebrations, newest first.
            models.Index(
                fields=["-occurred_on", "-id"],
                name="celebration_public_newest",
                condition=models.Q(is_public=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone"],
                name="one_celebration_per_milestone",
                condition=models.Q(kind="delmal"),
            ),
            models.UniqueConstraint(
                fields=["activity"],
                name="one_celebration_per_activity",
                condition=models.Q(kind="aktivitet"),
            ),
            models.UniqueConstraint(
                fields=["indicator"],
                name="one_celebration_per_indicator",
                condition=models.Q(kind="malvarde"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """What happened, in the reader's language (celebration_title)."""
        return celebration_title(
            self.kind,
            activity=self.activity.title if self.activity_id else None,
            milestone=self.milestone.title if self.milestone_id else None,
            indicator=self.indicator.name if self.indicator_id else None,
            value=self.value,
            stored=self.title,
        )


def celebration_title(
    kind: str,
    *,
    activity: str | None,
    milestone: str | None,
    indicator: str | None,
    value: Decimal | None,
    stored: str,
) -> str:
    """What happened, in the reader's language, from the facts recorded with it (the activity,
    the milestone, the indicator and the value that reached its target); `stored`, the
    sentence written when it happened (in Swedish), when a fact is missing. Serves the entries
    themselves and the dashboard's copy of the latest ones (reports.summary)."""
    from django.utils import formats
    from django.utils.translation import gettext

    if kind == CelebrationKind.ACTIVITY_DONE and activity:
        return gettext("Activity completed: %(title)s") % {"title": activity}
    if kind == CelebrationKind.MILESTONE_DONE and milestone and activity:
        return gettext("Milestone reached: %(title)s (%(activity)s)") % {
            "title": milestone,
            "activity": activity,
        }
    if kind == CelebrationKind.TARGET_REACHED and indicator and value is not None:
        return gettext("Target reached: %(name)s is %(value)s") % {
            "name": indicator,
            "value": formats.localize(Decimal(value).normalize()),
        }
    return stored
