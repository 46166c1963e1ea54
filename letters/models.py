"""“Ni sa – vi gjorde”: a letter to each company interviewed in a round, telling what came of
what it said. A round is drafted, previewed letter by letter, approved and sent; each letter
records how and when it went (e-mail through the outbox, or a PDF for post)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interviews.models import Company, Contact
from smeportal.core.text import BoundedTextField
from smeportal.outbox.models import OutgoingMessage

OPENING_MAX_LENGTH = 2000
# The opening a round is drafted with (LetterRoundForm). A round that keeps it has it in each
# letter's own language (letters.services.letter_content); a text of the round's own is used
# as it was written.
DEFAULT_OPENING = _(
    "Thank you for taking the time to meet us. You told us about your company and about what "
    "the municipality and the business community could do better. Here is what came of it so "
    "far."
)


class LetterRound(models.Model):
    title = models.CharField(_("title"), max_length=200)
    interviews_from = models.DateField(_("interviews from"))
    interviews_to = models.DateField(_("interviews to"))
    opening = BoundedTextField(_("opening paragraph"), max_length=OPENING_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved and sent by"),
    )
    sent_at = models.DateTimeField(_("approved and sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter round")
        verbose_name_plural = _("letter rounds")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class ResultsLetter(models.Model):
    class Delivery(models.TextChoices):
        EMAIL = "e-post", _("E-mail")
        POST = "post", _("Post (PDF)")

    class Status(models.TextChoices):
        DRAFT = "utkast", _("Draft")
        SENT = "skickat", _("Sent by e-mail")
        FOR_POST = "for_post", _("Ready to post")

    round = models.ForeignKey(
        LetterRound, on_delete=models.CASCADE, related_name="letters", verbose_name=_("round")
    )
    # A company or contact removed under a retention decision takes its letters with it.
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="results_letters", verbose_name=_("company")
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    delivery = models.CharField(_("delivery"), max_length=8, choices=Delivery.choices)
    # The letter's own opening; empty: the round's.
    opening = BoundedTextField(
        _("own opening paragraph"), blank=True, max_length=OPENING_MAX_LENGTH
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    message = models.ForeignKey(
        OutgoingMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("e-mail"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("“You said – we did” letter")
        verbose_name_plural = _("“You said – we did” letters")
        ordering = ["company__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "company"], name="letter_one_per_company")
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.company}"

    @property
    def opening_text(self) -> str:
        return self.opening or self.round.opening
