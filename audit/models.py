"""Retention decisions (gallringsbeslut): the only way records leave the portal for good.

Under arkivlagen a public body may destroy (gallra) records only under a retention decision.
Domain records are archived or anonymised in the portal; an administrator records a decision
with its reference and reason, and carrying it out deletes or anonymises exactly the records
it covers. The decision itself is kept forever: who, when, why, and which object types and
ids it covered, with counts, but no personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smeportal.core.text import PARAGRAPH_MAX_LENGTH, BoundedTextField


class RetentionDecision(models.Model):
    class Scope(models.TextChoices):
        ARCHIVED_FINDINGS = "synpunkter", _("Archived findings (deleted)")
        INTERVIEWS = "intervjuer", _("Interviews with their findings and follow-ups (deleted)")
        CONTACTS = "kontakter", _("Contact persons (anonymised)")
        COMPANIES = (
            "foretag",
            _(
                "Companies with their contact persons, interviews, findings and follow-ups (deleted)"
            ),
        )
        MESSAGES = "utskick", _("E-mail sent by the portal (deleted)")
        API_CALLS = "api_anrop", _("The API's call log (deleted)")

    reference = models.CharField(
        _("decision reference"),
        max_length=200,
        help_text=_("The retention decision's number or title, e.g. “KS 2025/123 § 4”."),
    )
    reason = BoundedTextField(_("reason"), max_length=PARAGRAPH_MAX_LENGTH)
    scope = models.CharField(_("what is covered"), max_length=12, choices=Scope.choices)
    scope_description = models.TextField(_("scope"))
    # The rule of the information management plan the decision carries out (archive); decisions
    # recorded before the plan drove retention have none.
    rule = models.ForeignKey(
        "archive.InformationRule",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retention_decisions",
        verbose_name=_("rule of the information management plan"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now, db_index=True)
    # {"interviews.finding": 3, ...}: object types and how many of each were covered.
    counts = models.JSONField(_("records covered"), default=dict)

    class Meta:
        verbose_name = _("retention decision")
        verbose_name_plural = _("retention decisions")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return self.reference


class RetentionDecisionItem(models.Model):
    """One record a decision covered or changed: its type and id only, never its content.

    Besides the records the decision covers (deleted or anonymised), it lists what carrying it
    out changed elsewhere: records whose notes or texts had a contact's name masked, summary
    snapshots cleaned of the covered records, report runs and interview exports whose file was
    removed, and the report runs requested to replace them.
    """

    class Action(models.TextChoices):
        DELETED = "gallrad", _("deleted")
        ANONYMISED = "anonymiserad", _("anonymised")
        NAME_REDACTED = "namn_maskat", _("name masked")
        SNAPSHOT_CLEANED = "rensad", _("covered texts removed")
        FILE_REMOVED = "fil_raderad", _("file removed")
        REPORT_REQUESTED = "ny_rapport", _("new report requested")

    # What the decision covers, as opposed to what carrying it out changed besides.
    COVERED_ACTIONS = frozenset({Action.DELETED, Action.ANONYMISED})

    decision = models.ForeignKey(
        RetentionDecision,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("retention decision"),
    )
    model_label = models.CharField(_("object type"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("object id"))
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)

    class Meta:
        verbose_name = _("record covered by a retention decision")
        verbose_name_plural = _("records covered by retention decisions")
        ordering = ["decision", "model_label", "object_id"]
        indexes = [models.Index(fields=["model_label", "object_id"])]

    def __str__(self) -> str:
        return f"{self.model_label} #{self.object_id}"
