from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from actionplan.choices import IndicatorStatus

# What the dashboard shows of an area: the figures of its card and of the comparison table.
DASHBOARD_AREA_FIGURES = (
    "id",
    "slug",
    "order",
    "name",
    "name_en",
    "colour",
    "interviews",
    "companies",
    "company_share",
    "findings_by_type",
    "average_grade",
    "proposals_by_status",
    "proposal_votes",
    "activities_by_status",
    "activities_on_track",
    "activities_overdue",
    "activities_average_progress",
    "indicators_by_status",
)
DASHBOARD_GAP_FIGURES = ("challenges_without_proposal", "proposals_outside_plan")
# The dashboard draws a chart and a table per indicator: at most this many indicators, those
# furthest behind first, each with at most its latest measurements, so that the page does the
# same work whatever the size of the plan (every indicator has its own page with all of them).
DASHBOARD_TRENDS = 12
DASHBOARD_TREND_POINTS = 24
_TREND_ORDER = {
    status: rank
    for rank, status in enumerate(
        [
            IndicatorStatus.BEHIND,
            IndicatorStatus.AT_RISK,
            IndicatorStatus.NEEDS_UPDATE,
            IndicatorStatus.ON_TRACK,
            IndicatorStatus.NO_DATA,
        ]
    )
}


def _dashboard_trends(trends: list[dict]) -> list[dict]:
    chosen = sorted(
        trends,
        key=lambda trend: (
            _TREND_ORDER.get(trend.get("status"), len(_TREND_ORDER)),
            trend.get("name") or "",
            trend.get("id") or 0,
        ),
    )[:DASHBOARD_TRENDS]
    return [
        {
            **trend,
            # Measurements are in date order: the latest ones are the last.
            "measurements": (trend.get("measurements") or [])[-DASHBOARD_TREND_POINTS:],
            "measurements_total": len(trend.get("measurements") or []),
        }
        for trend in chosen
    ]


def dashboard_figures(data: dict) -> dict:
    """The part of a summary (reports/summary.py) that the dashboard shows, and nothing else.

    Counts, shares and averages per area, the totals, the trends of at most DASHBOARD_TRENDS
    indicators (those furthest behind first, their latest DASHBOARD_TREND_POINTS measurements)
    and the latest celebrations; no key quotes, no examples, no shares per industry. Its size
    does not grow with the data. It holds no text from an interview, so a retention decision
    has nothing to clean here (reports/retention.py cleans `data`).
    """
    areas = []
    for area in data.get("areas") or []:
        figures = {key: area[key] for key in DASHBOARD_AREA_FIGURES if key in area}
        gaps = area.get("gaps") or {}
        figures["gaps"] = {key: gaps[key] for key in DASHBOARD_GAP_FIGURES if key in gaps}
        areas.append(figures)
    return {
        "taken_at": data.get("taken_at"),
        "period": data.get("period"),
        "totals": data.get("totals") or {},
        "areas": areas,
        "indicator_trends": _dashboard_trends(data.get("indicator_trends") or []),
        "indicator_trends_total": len(data.get("indicator_trends") or []),
        "celebrations": data.get("celebrations") or [],
    }


class SummarySnapshot(models.Model):
    """The summary of the six priority areas at one moment, as computed by a report run.

    The dashboard reads the latest snapshot instead of recomputing in a request. `data` follows
    the structure documented in reports/summary.py; `dashboard` is the part of it the dashboard
    shows (dashboard_figures), kept beside it on every save so that a request reads and decodes
    only that.
    """

    taken_at = models.DateTimeField(_("taken at"), db_index=True)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    data = models.JSONField(_("figures"))
    dashboard = models.JSONField(_("figures on the dashboard"), default=dict, editable=False)

    class Meta:
        verbose_name = _("summary snapshot")
        verbose_name_plural = _("summary snapshots")
        ordering = ["-taken_at", "-pk"]
        get_latest_by = "taken_at"

    def __str__(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.dashboard = dashboard_figures(self.data or {})
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "data" in update_fields:
            kwargs["update_fields"] = {*update_fields, "dashboard"}
        super().save(*args, **kwargs)


class ReportRun(models.Model):
    """One build of the summary report, on demand or scheduled: the workbook and the PDF."""

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
    # The same figures as a tagged PDF (reports/pdf.py); runs built before it existed have none.
    pdf_file = models.FileField(_("PDF file"), upload_to="reports/%Y/%m/", blank=True)
    snapshot = models.ForeignKey(
        SummarySnapshot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="runs",
        verbose_name=_("snapshot"),
    )
    # Set when a retention decision removed the report files because they held records the
    # decision covered (the run stays, so the list shows why its files are gone), or when the
    # decision was carried out while the run was being built (its result is then thrown away).
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
        """Its files (workbook and PDF) were removed under a retention decision."""
        return self.removed_by_id is not None
