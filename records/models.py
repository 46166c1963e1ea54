"""Requests for public documents (begäran om utlämnande av allmän handling).

A request is a record of its own: when and how it came in, what was asked for in the
requester's words, who handles it and what was decided. The handler says what it covers
(`CoveredItem`), reviews each covered record for secrecy (`Mask`: the default masks are worked
out from the data, rows here are the handler's own masks and the defaults they lifted), and
releases the result; every file handed out or decided is kept as a `ReleasedDocument`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from smeportal.core.text import DESCRIPTION_MAX_LENGTH, PARAGRAPH_MAX_LENGTH, BoundedTextField


class SecrecyGround(models.Model):
    """A legal ground a passage may be masked on, e.g. "31 kap. 16 § OSL". Administrators keep
    the list; a ground in use is deactivated rather than removed."""

    reference = models.CharField(_("legal reference"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    explanation = BoundedTextField(_("explanation"), blank=True, max_length=PARAGRAPH_MAX_LENGTH)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(verbose_name=_("history of secrecy ground"))

    class Meta:
        verbose_name = _("secrecy ground")
        verbose_name_plural = _("secrecy grounds")
        ordering = ["reference"]

    def __str__(self) -> str:
        return self.reference


# The defaults the review starts from (records.review): their references, seeded by a data
# migration. A missing or deactivated ground leaves its default masks out.
BUSINESS_SECRECY = "31 kap. 16 § OSL"
PERSONAL_DATA_SECRECY = "21 kap. 7 § OSL"


class RecordRequest(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "e-post", _("E-mail")
        PHONE = "telefon", _("Phone")
        LETTER = "brev", _("Letter")
        VISIT = "besok", _("Visit to the reception")
        WEB_FORM = "webbformular", _("Web form")

    class Status(models.TextChoices):
        RECEIVED = "mottagen", _("Received")
        IN_REVIEW = "provning", _("Under review")
        DECIDED = "beslutad", _("Decided")
        WITHDRAWN = "aterkallad", _("Withdrawn")

    class Outcome(models.TextChoices):
        RELEASED = "helhet", _("Released in full")
        PARTIAL = "delvis", _("Released in part")
        REFUSED = "avslag", _("Refused")

    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence number"), editable=False)
    number = models.CharField(_("reference number"), max_length=20, unique=True, editable=False)
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("received by"), max_length=12, choices=Channel.choices)
    description = BoundedTextField(
        _("what is asked for (in the requester's words)"), max_length=DESCRIPTION_MAX_LENGTH
    )
    # Anyone may ask without saying who they are: both are optional, always.
    requester_name = models.CharField(_("requester's name"), max_length=200, blank=True)
    requester_contact = models.CharField(_("where to send the answer"), max_length=300, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handler"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    due_on = models.DateField(_("decision due"))
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_grounds = models.ManyToManyField(
        SecrecyGround, blank=True, related_name="+", verbose_name=_("grounds of the decision")
    )
    decision_reasoning = BoundedTextField(
        _("reasoning"), blank=True, max_length=DESCRIPTION_MAX_LENGTH
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("history of request for public documents"))

    class Meta:
        verbose_name = _("request for public documents")
        verbose_name_plural = _("requests for public documents")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="record_request_number")
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="record_request_status_due"),
            models.Index(fields=["handler", "status", "due_on"], name="record_request_handler"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.IN_REVIEW)

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or date.today())


OPEN_STATUSES = (RecordRequest.Status.RECEIVED, RecordRequest.Status.IN_REVIEW)


class CoveredItem(models.Model):
    """One thing the request covers, as the handler chose it."""

    class Kind(models.TextChoices):
        INTERVIEW = "intervju", _("One interview")
        COMPANY_INTERVIEWS = "foretag", _("All interviews with one company")
        FINDINGS = "synpunkter", _("Findings for a priority area and a period")
        WORKSHOP = "workshop", _("A workshop's proposals")
        ACTION_PLAN = "handlingsplan", _("The action plan")
        REPORT = "rapport", _("A report")

    request = models.ForeignKey(
        RecordRequest, on_delete=models.CASCADE, related_name="items", verbose_name=_("request")
    )
    kind = models.CharField(_("what"), max_length=14, choices=Kind.choices)
    # The chosen record's id (the interview, company, workshop, plan or report run); for
    # findings the area. Ids rather than keys: a record removed under a retention decision
    # leaves the request as it was decided.
    target_id = models.PositiveBigIntegerField(_("record id"))
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    label = models.CharField(_("description"), max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("history of covered item"))

    class Meta:
        verbose_name = _("covered item")
        verbose_name_plural = _("covered items")
        ordering = ["request", "pk"]

    def __str__(self) -> str:
        return self.label


class Mask(models.Model):
    """A decision of the handler in the secrecy review of one field of one record: mask a
    passage (MASK), or lift a default mask (UNMASK). The masked text itself stays in the
    database, for the review; it never reaches a released file."""

    class Action(models.TextChoices):
        MASK = "maskera", _("Mask")
        UNMASK = "visa", _("Lift a default mask")

    item = models.ForeignKey(
        CoveredItem, on_delete=models.CASCADE, related_name="masks", verbose_name=_("covered item")
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    # Which field of which record: e.g. ("finding", 12, "text").
    source = models.CharField(_("record type"), max_length=20)
    source_id = models.PositiveBigIntegerField(_("record id"))
    field = models.CharField(_("field"), max_length=30)
    passage = BoundedTextField(_("passage"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    ground = models.ForeignKey(
        SecrecyGround,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ground"),
    )
    reason = BoundedTextField(_("reason"), max_length=PARAGRAPH_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("history of mask"))

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["item", "pk"]
        indexes = [models.Index(fields=["item", "source", "source_id"], name="record_mask_source")]

    def __str__(self) -> str:
        return f"{self.source} {self.source_id} {self.field}"


class ReleasedDocument(models.Model):
    """A file kept with the request: what was released (PDF or workbook) or the decision."""

    class Kind(models.TextChoices):
        RELEASE_PDF = "pdf", _("Released documents (PDF)")
        RELEASE_XLSX = "xlsx", _("Released documents (Excel)")
        DECISION = "beslut", _("Decision")

    class Status(models.TextChoices):
        PENDING = "pagar", _("Being produced")
        DONE = "klar", _("Ready")
        FAILED = "misslyckad", _("Failed")

    request = models.ForeignKey(
        RecordRequest,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("request"),
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Private media: served only through records:document_download, to records.handle.
    file = models.FileField(_("file"), upload_to="records/%Y/", blank=True)
    error_message = models.TextField(_("error message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    created_at = models.DateTimeField(_("released at"), auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("history of released document"))

    class Meta:
        verbose_name = _("released document")
        verbose_name_plural = _("released documents")
        ordering = ["request", "-created_at", "-pk"]

    def __str__(self) -> str:
        # Without the request: the audit trail names many documents without reading each one.
        return f"{self.get_kind_display()} ({self.pk})"
