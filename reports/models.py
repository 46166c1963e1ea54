from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class SummarySnapshot(models.Model):
    """The summary of the six priority areas at one moment, as computed by a report run.

    The dashboard reads the latest snapshot instead of recomputing in a request. `data` follows
    the structure documented in reports/summary.py.
    """

    taken_at = models.DateTimeField(_("taken at"), db_index=True)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    data = models.JSONField(_("figures"))

    class Meta:
        verbose_name = _("summary snapshot")
        verbose_name_plural = _("summary snapshots")
        ordering = ["-taken_at", "-pk"]
        get_latest_by = "taken_at"

    def __str__(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M}"


class ReportRun(models.Model):
    """One build of the summary report workbook, on demand or scheduled."""

    class Status(models.TextChoices):
        QUEUED = "koad", _("Queued")
        RUNNING = "pagar", _("Running")
        DONE = "klar", _("Done")
        FAILED = "misslyckad", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_runs",
        verbose_name=_("requested by"),
    )
    is_scheduled = models.BooleanField(_("scheduled"), default=False)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error_message = models.TextField(_("error message"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    snapshot = models.ForeignKey(
        SummarySnapshot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="runs",
        verbose_name=_("snapshot"),
    )
    # Set when a retention decision removed the workbook because it held records the decision
    # covered (the run stays, so the list shows why its file is gone), or when the decision was
    # carried out while the run was being built (its result is then thrown away).
    removed_by = models.ForeignKey(
        "audit.RetentionDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="removed_report_runs",
        verbose_name=_("file removed under retention decision"),
    )
    removed_at = models.DateTimeField(_("file removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def is_removed(self) -> bool:
        """Its workbook was removed under a retention decision."""
        return self.removed_by_id is not None
