"""The outbox: every e-mail the portal sends is first a row here, then sent by a worker.

A row is written in the same transaction as whatever caused it, so a message is never sent for
something that was rolled back, nor lost because the mail server was down: a worker sends it
afterwards (smeportal.outbox.services.message_send) and records the outcome on the row, which
administrators read on the outbox page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "koad", _("Queued")
        SENDING = "skickas", _("Being sent")
        SENT = "skickat", _("Sent")
        FAILED = "misslyckat", _("Failed")

    class Purpose(models.TextChoices):
        DIGEST = "paminnelser", _("Daily reminders")
        COUNCIL_SUMMARY = "veckosammanfattning", _("Weekly summary to the growth council")
        RESULTS_LETTER = "ni_sa_vi_gjorde", _("“You said – we did” letter")
        TEST = "prov", _("Test message")

    to = models.EmailField(_("to"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outgoing_messages",
        verbose_name=_("recipient in the portal"),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="sv"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    # What the message is about (a follow-up, a letter to a company, a report run).
    related_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about (type)"),
    )
    related_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    # Queuing the same message twice (a daily digest, a letter) is refused by this key.
    dedupe_key = models.CharField(
        _("key against duplicates"), max_length=200, unique=True, null=True, blank=True
    )
    # The Message-ID header, fixed when the row is written: the same on every attempt.
    message_id = models.CharField(_("message id"), max_length=255, unique=True)
    # Where the recipient stops such messages with one click (RFC 8058): the List-Unsubscribe
    # headers. Empty for staff, who change what they receive in their profile.
    unsubscribe_url = models.URLField(_("unsubscribe link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    attempted_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="outbox_created"),
            models.Index(fields=["status", "-created_at"], name="outbox_status_created"),
            models.Index(fields=["purpose", "-created_at"], name="outbox_purpose_created"),
            models.Index(fields=["related_type", "related_id"], name="outbox_related"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class MailPreference(models.Model):
    """What a user receives from the portal by e-mail, and in which language.

    A user without a row receives everything in Swedish (`preference_for`).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mail_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language of the messages"), max_length=5, choices=settings.LANGUAGES, default="sv"
    )
    follow_ups = models.BooleanField(
        _("My follow-ups that are due within three days or overdue"), default=True
    )
    activities = models.BooleanField(_("My activities and milestones that are late"), default=True)
    indicators = models.BooleanField(
        _("Indicators I own that need a new measurement"), default=True
    )
    council_summary = models.BooleanField(
        _("The weekly summary after each weekly report"), default=True
    )

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")

    def __str__(self) -> str:
        return str(self.user)


def preference_for(user) -> MailPreference:
    """The user's preferences, or the defaults (not saved) when they never changed them."""
    try:
        return user.mail_preference
    except MailPreference.DoesNotExist:
        return MailPreference(user=user)
