from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smeportal.areas.models import PriorityArea
from smeportal.core.dates import validate_past_date, validate_plausible_date
from smeportal.core.text import (
    DESCRIPTION_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    PARAGRAPH_MAX_LENGTH,
    BoundedTextField,
)

from .choices import (
    District,
    FindingType,
    Flag,
    FollowUpStatus,
    Importance,
    Industry,
    InterviewFormat,
    InterviewStatus,
    QuoteConsent,
    SizeClass,
)
from .orgnumbers import validate_organisation_number
from .postcodes import validate_postal_code

# The name an anonymised contact person keeps (audit: a retention decision removed who it was).
ANONYMISED_NAME = "Anonymiserad"

# A company interviewed this recently gets a notice, so two colleagues do not visit it unknowingly.
RECENT_INTERVIEW_DAYS = 183


class Company(models.Model):
    """A company in the dialogue. One per organisation number."""

    name = models.CharField(_("company name"), max_length=200)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        unique=True,
        validators=[validate_organisation_number],
        help_text=_(
            "Ten digits, e.g. 556036-0793. Sole traders use the owner's personal identity number."
        ),
    )
    is_personal_data = models.BooleanField(
        _("personal data (sole trader)"),
        default=False,
        editable=False,
        help_text=_("Set when the organisation number is a personal identity number."),
    )
    industry = models.CharField(_("industry (SNI section)"), max_length=1, choices=Industry.choices)
    size_class = models.CharField(_("size class"), max_length=6, choices=SizeClass.choices)
    district = models.CharField(_("district"), max_length=20, choices=District.choices)
    website = models.URLField(
        _("website"), blank=True, validators=[URLValidator(["http", "https"])]
    )
    notes = BoundedTextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    # Where a letter for post is sent (“Ni sa – vi gjorde”). A sole trader's address is the
    # owner's, so personal data like the rest of the company's record: shown only to those who
    # may see companies (interviews.view) and letters (letters.send).
    postal_address = models.CharField(
        _("postal address"),
        max_length=200,
        blank=True,
        help_text=_("Street and number, or box, e.g. Kungsgatan 5 or Box 123."),
    )
    postal_code = models.CharField(
        _("postcode"),
        max_length=6,
        blank=True,
        validators=[validate_postal_code],
        help_text=_("Five digits, e.g. 632 20."),
    )
    postal_town = models.CharField(_("postal town"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(verbose_name=_("history of company"))

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_postal_address(self) -> bool:
        """Enough for the post to deliver a letter: the street or box, postcode and town."""
        return bool(self.postal_address and self.postal_code and self.postal_town)


def postal_address_missing(prefix: str = "") -> models.Q:
    """The companies (through `prefix`, e.g. "company__") that lack an address for post: the
    query form of Company.has_postal_address."""
    return (
        models.Q(**{f"{prefix}postal_address": ""})
        | models.Q(**{f"{prefix}postal_code": ""})
        | models.Q(**{f"{prefix}postal_town": ""})
    )


class Contact(models.Model):
    """A person at a company (kontaktperson). Personal data: shown only to business developers."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("company")
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(
        _("role"), max_length=100, blank=True, help_text=_("For example VD, owner or HR manager.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Agreed to be contacted about what came of the dialogue ("Ni sa – vi gjorde"): when, and
    # who recorded it. Without a date the person gets no letter by e-mail.
    results_consent_on = models.DateField(
        _("agreed to hear about the results on"), null=True, blank=True
    )
    results_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreement recorded by"),
    )
    language = models.CharField(
        _("language for letters"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="sv",
        help_text=_("The language the “You said – we did” letter to this person is written in."),
    )
    history = HistoricalRecords(verbose_name=_("history of contact"))

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class Interview(models.Model):
    """An in-depth interview with a company's leaders, coded into findings.

    `version` grows by one on every save through the services; an edit based on an older
    version is refused so that a colleague's change made meanwhile is not overwritten.
    """

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="interviews", verbose_name=_("company")
    )
    date = models.DateField(_("date"), validators=[validate_past_date])
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="interviews", verbose_name=_("interviewers")
    )
    interviewees = models.ManyToManyField(
        Contact, blank=True, related_name="interviews", verbose_name=_("interviewees")
    )
    format = models.CharField(
        _("format"), max_length=10, choices=InterviewFormat.choices, default=InterviewFormat.VISIT
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(600)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.DRAFT
    )
    grade = models.PositiveSmallIntegerField(
        _("business-climate grade (1–6)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_(
            "The company's overall grade of the local business climate, on Svenskt "
            "Näringsliv's scale from 1 (poor) to 6 (excellent)."
        ),
    )
    consent = models.CharField(
        _("consent for quotes"),
        max_length=10,
        choices=QuoteConsent.choices,
        default=QuoteConsent.INTERNAL_ONLY,
    )
    notes = BoundedTextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(
        verbose_name=_("history of interview"), m2m_fields=[interviewers, interviewees]
    )

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["-date", "-pk"]
        indexes = [
            # The list's default order and its date filters; retention's "held before".
            models.Index(fields=["date", "id"], name="interview_date_id"),
            # A company's interviews, newest first; "not interviewed since" (retention).
            models.Index(fields=["company", "date"], name="interview_company_date"),
            # The list sorted by grade or status (ties: the newest id first).
            models.Index(fields=["grade", "id"], name="interview_grade_id"),
            models.Index(fields=["status", "-id"], name="interview_status_id"),
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.date:%Y-%m-%d}"


class ActiveFindingManager(models.Manager):
    """Findings that are not archived."""

    def get_queryset(self):
        return super().get_queryset().filter(is_archived=False)


class AllFindingsManager(models.Manager):
    """Every finding, archived ones included (retention decisions, backup)."""


class Finding(models.Model):
    """What the company said about one priority area (synpunkt), with an optional quote."""

    interview = models.ForeignKey(
        Interview, on_delete=models.PROTECT, related_name="findings", verbose_name=_("interview")
    )
    area = models.ForeignKey(
        PriorityArea,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("priority area"),
    )
    type = models.CharField(_("type"), max_length=10, choices=FindingType.choices)
    text = BoundedTextField(_("finding"), max_length=DESCRIPTION_MAX_LENGTH)
    importance = models.PositiveSmallIntegerField(
        _("importance"), choices=Importance.choices, default=Importance.MEDIUM
    )
    quote = BoundedTextField(_("verbatim quote"), blank=True, max_length=PARAGRAPH_MAX_LENGTH)
    is_key_quote = models.BooleanField(_("key quote"), default=False)
    is_confidential = models.BooleanField(
        _("confidential (business secret)"),
        default=False,
        help_text=_(
            "Marked parts can be redacted when the interview is released under the "
            "principle of public access (OSL 31:16)."
        ),
    )
    # A finding removed from its interview is archived, not deleted (arkivlagen): it is kept,
    # hidden everywhere, until an administrator's retention decision (gallringsbeslut) covers it.
    is_archived = models.BooleanField(_("archived"), default=False, db_index=True, editable=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("archived by"),
    )
    history = HistoricalRecords(verbose_name=_("history of finding"))

    # The first manager is the default one, which related managers (interview.findings,
    # proposal.evidence, area.findings) and prefetches inherit: archived findings are hidden
    # from every page, list, export and count. `all_objects` sees them (retention, backup).
    objects = ActiveFindingManager()
    all_objects = AllFindingsManager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["area__order", "pk"]
        indexes = [
            # Every list of findings reads an area in this order (interviews.FINDING_ORDER):
            # type and confidentiality are carried along so filters need no table access.
            models.Index(
                fields=["area", "-importance", "-interview", "id"],
                name="finding_area_rank",
                include=["type", "is_confidential"],
                condition=models.Q(is_archived=False),
            ),
            # The same for one type of finding: a text search walking the ideas of an area
            # in list order reads the ideas only, not each finding of the area from the table.
            models.Index(
                fields=["area", "type", "-importance", "-interview", "id"],
                name="finding_area_type_rank",
                include=["is_confidential"],
                condition=models.Q(is_archived=False),
            ),
            # Archived findings awaiting a retention decision, oldest first.
            models.Index(
                fields=["archived_at", "id"],
                name="finding_archived",
                condition=models.Q(is_archived=True),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class FollowUp(models.Model):
    """A flag raised from an interview: red means act now, yellow important but less urgent."""

    interview = models.ForeignKey(
        Interview, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("interview")
    )
    flag = models.CharField(_("flag"), max_length=4, choices=Flag.choices)
    title = models.CharField(_("what needs to be done"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), validators=[validate_plausible_date])
    status = models.CharField(
        _("status"), max_length=6, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    notes = BoundedTextField(_("notes"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    history = HistoricalRecords(verbose_name=_("history of follow-up"))

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_date", "pk"]
        indexes = [
            # "Mina uppföljningar": a user's open ones by due date (and the overdue among them),
            # read in the page's order, a page at a time. The recently done ones have an index
            # of their own on Postgres (migration 0012: SQLite has no NULLS LAST in an index).
            models.Index(
                fields=["owner", "due_date", "id"],
                name="followup_owner_open",
                condition=~models.Q(status=FollowUpStatus.DONE),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != FollowUpStatus.DONE

    def is_overdue(self, today: date | None = None) -> bool:
        """Open and past its due date (today in Swedish time)."""
        today = today or timezone.localdate()
        return self.is_open and self.due_date < today


def validate_findings_for_status(status: str, finding_count: int) -> None:
    """An interview marked done ("klar") holds at least one finding: what else would be done?

    The one rule for the form (interviews.services) and the Excel import alike; the date's
    rule (not in the future) is the date field's own validator, which both check too.
    """
    if status == InterviewStatus.DONE and finding_count == 0:
        raise ValidationError(
            {
                "status": _(
                    "An interview marked done needs at least one finding. Add the findings, "
                    "or save it as a draft until you have them."
                )
            },
            code="done_without_findings",
        )


def recent_interview_cutoff(today: date | None = None) -> date:
    return (today or timezone.localdate()) - timedelta(days=RECENT_INTERVIEW_DAYS)


class InterviewExport(models.Model):
    """A large Excel export of the interview list, built by a Celery worker.

    It holds personal data (notes, quotes, sole traders' numbers), so only the user who asked
    for it, or an administrator, may download it; the file is deleted when it expires
    (interviews.export_jobs). `parameters` are the list's filters as they were asked for (the
    search text is forgotten when the file goes).
    """

    class Status(models.TextChoices):
        QUEUED = "koad", _("Queued")
        RUNNING = "pagar", _("Running")
        DONE = "klar", _("Done")
        FAILED = "misslyckad", _("Failed")

    # SET_NULL: a removed user's export stays until the sweep deletes its file on expiry.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interview_exports",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    parameters = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    expected_rows = models.PositiveIntegerField(_("expected rows"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows written"), default=0)
    sheet_count = models.PositiveSmallIntegerField(_("sheets"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Set with every batch of rows: a delivery that finds the export running with a recent
    # heartbeat leaves it to the worker that is building it.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("file kept until"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error_message = models.TextField(_("error message"), blank=True)
    file = models.FileField(_("file"), upload_to="exports/interviews/%Y/%m/", blank=True)
    file_removed_at = models.DateTimeField(_("file removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("interview export")
        verbose_name_plural = _("interview exports")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    def is_expired(self, now=None) -> bool:
        """Its file is gone, or its time is up (the file is then removed on the next access)."""
        if self.file_removed_at is not None:
            return True
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())
