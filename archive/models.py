"""The information management plan (informationshanteringsplan) and delivery packages (FGS).

The plan is data an administrator keeps: for each kind of record the portal holds, whether it
is kept for good (bevaras) or disposed of (gallras) after a period counted from a moment that
fits the kind (an interview's date, when a message was sent, ...), and the decision the rule
rests on. Retention (audit) proposes candidates from the plan's disposal rules and cites the
rule in its decision.

A delivery package (leveranspaket, a submission information package) is a ZIP of records for
the e-archive: a METS document after Riksarkivet's FGS Paketstruktur, the records as CSV and
JSON with their schemas, and the reports as PDF/A. `DeliveredRecord` says which records went
into which package, so other pages can say "delivered to the e-archive on ...".
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from smeportal.core.dates import validate_plausible_date
from smeportal.core.text import PARAGRAPH_MAX_LENGTH, BoundedTextField


class RecordType(models.TextChoices):
    """The kinds of records the portal holds, as the plan names them."""

    COMPANIES = "foretag", _("Companies")
    CONTACTS = "kontaktpersoner", _("Contact persons")
    INTERVIEWS = "intervjuer", _("Interviews")
    FINDINGS = "synpunkter", _("Archived findings")
    FOLLOW_UPS = "uppfoljningar", _("Follow-ups")
    WORKSHOPS = "workshoppar", _("Workshops and groups")
    PROPOSALS = "forslag", _("Proposals")
    ACTIVITIES = "aktiviteter", _("Action plan and activities")
    INDICATORS = "matetal", _("Indicators and measurements")
    REPORTS = "rapporter", _("Summary reports")
    REQUESTS = "begaranden", _("Requests for public records")
    OUTBOX = "utskick", _("E-mail sent by the portal")
    AUDIT_TRAIL = "granskningslogg", _("Audit trail (change history)")
    API_CALLS = "api_anrop", _("The API's call log")


class CountedFrom(models.TextChoices):
    """The moment a disposal period is counted from."""

    INTERVIEW_DATE = "intervjudatum", _("the interview's date")
    LAST_INTERVIEW = "senaste_intervju", _("the last interview with the company or person")
    ARCHIVED = "arkiverad", _("when the finding was archived")
    CLOSED = "avslutad", _("when the follow-up was closed")
    WORKSHOP_DATE = "workshopdatum", _("the workshop's date")
    PLAN_ENDED = "plan_slut", _("the end of the action plan's period")
    MEASURED = "matdatum", _("the measurement's date")
    REPORT_MADE = "rapport_skapad", _("when the report was made")
    DECIDED = "beslutad", _("when the request was decided")
    SENT = "skickat", _("when the message was sent")
    CHANGED = "andrad", _("when the change was made")
    CALLED = "anropad", _("when the call was made")


# The moments that fit each kind of record. Where retention (audit) carries out the rule, the
# one moment listed is the one its candidate search counts from.
COUNTED_FROM_FOR: dict[str, tuple[str, ...]] = {
    RecordType.COMPANIES: (CountedFrom.LAST_INTERVIEW,),
    RecordType.CONTACTS: (CountedFrom.LAST_INTERVIEW,),
    RecordType.INTERVIEWS: (CountedFrom.INTERVIEW_DATE,),
    RecordType.FINDINGS: (CountedFrom.ARCHIVED,),
    RecordType.FOLLOW_UPS: (CountedFrom.CLOSED, CountedFrom.INTERVIEW_DATE),
    RecordType.WORKSHOPS: (CountedFrom.WORKSHOP_DATE,),
    RecordType.PROPOSALS: (CountedFrom.WORKSHOP_DATE,),
    RecordType.ACTIVITIES: (CountedFrom.PLAN_ENDED,),
    RecordType.INDICATORS: (CountedFrom.MEASURED, CountedFrom.PLAN_ENDED),
    RecordType.REPORTS: (CountedFrom.REPORT_MADE,),
    RecordType.REQUESTS: (CountedFrom.DECIDED,),
    RecordType.OUTBOX: (CountedFrom.SENT,),
    RecordType.AUDIT_TRAIL: (CountedFrom.CHANGED,),
    RecordType.API_CALLS: (CountedFrom.CALLED,),
}


class InformationRule(models.Model):
    """One rule of the plan: what happens to one kind of record, and on what decision."""

    class Action(models.TextChoices):
        KEEP = "bevaras", _("Kept for good (bevaras)")
        DISPOSE = "gallras", _("Disposed of (gallras)")

    class Unit(models.TextChoices):
        YEARS = "ar", _("years")
        MONTHS = "manader", _("months")

    record_type = models.CharField(
        _("record type"), max_length=20, choices=RecordType.choices, unique=True
    )
    action = models.CharField(_("keep or dispose of"), max_length=8, choices=Action.choices)
    period = models.PositiveSmallIntegerField(
        _("period"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1200)],
        help_text=_("How long the records are kept before they are disposed of."),
    )
    period_unit = models.CharField(
        _("unit"), max_length=8, choices=Unit.choices, default=Unit.YEARS, blank=True
    )
    counted_from = models.CharField(
        _("counted from"), max_length=20, choices=CountedFrom.choices, blank=True
    )
    decision_reference = models.CharField(
        _("decision reference"),
        max_length=200,
        help_text=_("The decision the rule rests on, e.g. “KS 2025/123 § 4”."),
    )
    decision_date = models.DateField(_("decision adopted on"), validators=[validate_plausible_date])
    note = BoundedTextField(_("note"), max_length=PARAGRAPH_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(verbose_name=_("history of information management rule"))

    class Meta:
        verbose_name = _("information management rule")
        verbose_name_plural = _("information management plan")
        ordering = ["record_type"]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.period_text}"

    @property
    def is_disposal(self) -> bool:
        return self.action == self.Action.DISPOSE

    @property
    def months(self) -> int:
        """The disposal period in months (0 for a rule that keeps the records)."""
        if not self.is_disposal or not self.period:
            return 0
        return self.period * 12 if self.period_unit == self.Unit.YEARS else self.period

    @property
    def period_text(self) -> str:
        """“gallras 5 år efter intervjudatum” or “bevaras”, in the interface language."""
        if not self.is_disposal:
            return str(_("kept for good"))
        if self.period_unit == self.Unit.MONTHS:
            length = ngettext("%(count)s month", "%(count)s months", self.period)
        else:
            length = ngettext("%(count)s year", "%(count)s years", self.period)
        length = length % {"count": self.period}
        return str(
            _("disposed of %(length)s after %(moment)s")
            % {"length": length, "moment": self.get_counted_from_display()}
        )

    def clean(self):
        super().clean()
        errors: dict[str, str] = {}
        if self.action == self.Action.DISPOSE:
            if not self.period:
                errors["period"] = _("A disposal rule needs a period of at least 1.")
            if not self.period_unit:
                errors["period_unit"] = _("Choose years or months.")
            allowed = COUNTED_FROM_FOR.get(self.record_type, ())
            if not self.counted_from:
                errors["counted_from"] = _("Say what the period is counted from.")
            elif self.record_type and self.counted_from not in allowed:
                errors["counted_from"] = _(
                    "For %(type)s the period can be counted from: %(choices)s."
                ) % {
                    "type": self.get_record_type_display().lower(),
                    "choices": ", ".join(str(CountedFrom(value).label) for value in allowed),
                }
        elif self.action == self.Action.KEEP:
            if self.period:
                errors["period"] = _("Records kept for good have no disposal period.")
            # A kept-for-ever rule counts from nothing.
            self.counted_from = ""
            self.period_unit = ""
        if errors:
            raise ValidationError(errors)


class DeliveryPackage(models.Model):
    """One delivery package for the e-archive (FGS): what it covers, its file and its checks."""

    class Kind(models.TextChoices):
        INTERVIEW_YEAR = "intervjuar", _("A closed year's interviews")
        DIALOGUE_ROUND = "dialogomgang", _("A whole dialogue round (a workshop)")

    class Status(models.TextChoices):
        QUEUED = "koad", _("Queued")
        RUNNING = "pagar", _("Being produced")
        DONE = "klar", _("Done")
        FAILED = "misslyckad", _("Failed")

    class Verification(models.TextChoices):
        NOT_VERIFIED = "", _("Not verified")
        RUNNING = "pagar", _("Being verified")
        PASSED = "godkand", _("Passed")
        FAILED = "underkand", _("Failed")

    kind = models.CharField(_("what the package covers"), max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        _("interview year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("workshop"),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ordered by"),
    )
    requested_at = models.DateTimeField(_("ordered at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    produced_at = models.DateTimeField(_("produced at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    error_message = models.TextField(_("error message"), blank=True)
    file = models.FileField(_("file"), upload_to="archive/packages/%Y/", blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    record_count = models.PositiveIntegerField(_("records"), default=0)
    verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    verification_requested_at = models.DateTimeField(
        _("verification started at"), null=True, blank=True
    )
    verification = models.CharField(
        _("verification result"),
        max_length=10,
        choices=Verification.choices,
        default=Verification.NOT_VERIFIED,
        blank=True,
    )
    verification_report = models.TextField(_("verification report"), blank=True)
    history = HistoricalRecords(verbose_name=_("history of delivery package"))

    class Meta:
        verbose_name = _("delivery package")
        verbose_name_plural = _("delivery packages")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return self.description or f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def is_being_verified(self) -> bool:
        return self.verification == self.Verification.RUNNING

    def clean(self):
        super().clean()
        if self.kind == self.Kind.INTERVIEW_YEAR and not self.year:
            raise ValidationError(
                {"year": _("Choose the year whose interviews go in the package.")}
            )
        if self.kind == self.Kind.DIALOGUE_ROUND and not self.workshop_id:
            raise ValidationError({"workshop": _("Choose the workshop of the dialogue round.")})


class DeliveredRecord(models.Model):
    """One record a package holds: its type and id only, so pages can say when it was delivered."""

    package = models.ForeignKey(
        DeliveryPackage,
        on_delete=models.CASCADE,
        related_name="records",
        verbose_name=_("delivery package"),
    )
    model_label = models.CharField(_("object type"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("object id"))

    class Meta:
        verbose_name = _("delivered record")
        verbose_name_plural = _("delivered records")
        indexes = [models.Index(fields=["model_label", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "model_label", "object_id"], name="archive_delivered_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model_label} #{self.object_id}"
