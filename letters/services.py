"""Draft a round of letters, let a business developer change an opening, approve and send."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from interviews.models import Company, Contact, Interview
from smeportal.core.pdf import html_to_pdf
from smeportal.core.queueing import enqueue_fail_fast
from smeportal.outbox.models import OutgoingMessage
from smeportal.outbox.rendering import portal_url, render_email
from smeportal.outbox.services import message_queue

from .models import LetterRound, ResultsLetter
from .selectors import company_story

# The letters go out in Swedish: the companies are Eskilstuna's.
LETTER_LANGUAGE = "sv"


def _recipients(company_ids: list[int]) -> dict[int, Contact]:
    """Per company, the contact who agreed to hear about the results most recently (one query)."""
    chosen: dict[int, Contact] = {}
    for contact in (
        Contact.objects.filter(company_id__in=company_ids, results_consent_on__isnull=False)
        .exclude(email="")
        .order_by("company_id", "-results_consent_on", "pk")
    ):
        chosen.setdefault(contact.company_id, contact)
    return chosen


@transaction.atomic
def letter_round_create(
    *, title: str, interviews_from: date, interviews_to: date, opening: str, user
) -> LetterRound:
    """A round with one draft letter per company interviewed in the period: by e-mail to the
    contact who agreed to it, otherwise as a PDF for post."""
    if interviews_to < interviews_from:
        raise ValidationError({"interviews_to": _("The end cannot be before the start.")})
    letter_round = LetterRound(
        title=title,
        interviews_from=interviews_from,
        interviews_to=interviews_to,
        opening=opening,
        created_by=user,
    )
    letter_round.full_clean()
    letter_round.save()
    interviewed = Interview.objects.filter(
        company=OuterRef("pk"), date__gte=interviews_from, date__lte=interviews_to
    )
    company_ids = list(
        Company.objects.filter(Exists(interviewed)).order_by("pk").values_list("pk", flat=True)
    )
    recipients = _recipients(company_ids)
    ResultsLetter.objects.bulk_create(
        ResultsLetter(
            round=letter_round,
            company_id=company_id,
            contact=recipients.get(company_id),
            delivery=ResultsLetter.Delivery.EMAIL
            if company_id in recipients
            else ResultsLetter.Delivery.POST,
        )
        for company_id in company_ids
    )
    return letter_round


def letter_opening_update(*, letter: ResultsLetter, opening: str) -> ResultsLetter:
    if letter.status != ResultsLetter.Status.DRAFT:
        raise ValidationError(_("The letter has been sent; it can no longer be changed."))
    letter.opening = opening.strip()
    letter.full_clean()
    letter.save(update_fields=["opening"])
    return letter


def letter_content(letter: ResultsLetter) -> dict:
    """What a letter says, for the e-mail, the PDF and the preview alike."""
    letter_round = letter.round
    return {
        "letter": letter,
        "subject": _("What came of what you told us – %(company)s")
        % {"company": letter.company.name},
        "opening": letter.opening_text,
        "story": company_story(
            letter.company,
            date_from=letter_round.interviews_from,
            date_to=letter_round.interviews_to,
        ),
        "public_url": portal_url("public:results"),
        "contact_name": letter.contact.name if letter.contact else "",
    }


@transaction.atomic
def letter_round_send(*, letter_round: LetterRound, user) -> dict[str, int]:
    """Approve the round and have a worker deliver it (letter_round_deliver) once this commits:
    a round of thousands of companies is not written inside a request. Returns how many letters
    go by e-mail and how many by post."""
    letter_round = LetterRound.objects.select_for_update().get(pk=letter_round.pk)
    drafts = letter_round.letters.filter(status=ResultsLetter.Status.DRAFT)
    if letter_round.is_sent and not drafts.exists():
        raise ValidationError(_("This round has already been sent."))
    if not letter_round.is_sent:
        letter_round.sent_by = user
        letter_round.sent_at = timezone.now()
        letter_round.save(update_fields=["sent_by", "sent_at"])
    # Approved before but cut short (a worker stopped): the rest is delivered now.
    transaction.on_commit(lambda: _enqueue_delivery(letter_round.pk))
    by_email = letter_round.letters.filter(
        delivery=ResultsLetter.Delivery.EMAIL, contact__isnull=False
    ).exclude(contact__email="")
    email = by_email.count()
    return {"email": email, "post": letter_round.letters.count() - email}


def _enqueue_delivery(round_id: int) -> None:
    from .tasks import deliver_letter_round

    # With the broker down the round stays approved with its letters in draft; the round's
    # page says so and "send" hands it over again (letter_round_deliver is safe to repeat).
    enqueue_fail_fast(deliver_letter_round, args=[round_id])


def letter_round_deliver(*, round_id: int) -> int:
    """Each draft letter of an approved round: an e-mail letter to the outbox (once: its key),
    any other ready to post. Each letter in its own transaction; safe to run twice. Returns how
    many letters it delivered now."""
    letter_round = LetterRound.objects.get(pk=round_id)
    if not letter_round.is_sent:
        return 0
    delivered = 0
    pending = letter_round.letters.filter(status=ResultsLetter.Status.DRAFT).values_list(
        "pk", flat=True
    )
    for letter_id in list(pending):
        with transaction.atomic():
            letter = (
                ResultsLetter.objects.select_for_update(of=("self",))
                .select_related("company", "contact", "round")
                .get(pk=letter_id)
            )
            if letter.status == ResultsLetter.Status.DRAFT:
                _deliver(letter, sent_at=letter_round.sent_at)
                delivered += 1
    return delivered


def _deliver(letter: ResultsLetter, *, sent_at) -> None:
    if letter.delivery == ResultsLetter.Delivery.EMAIL and letter.contact and letter.contact.email:
        with translation.override(LETTER_LANGUAGE):
            context = letter_content(letter)
            context["change_url"] = ""
        text, html = render_email("letters/email/letter", context, language=LETTER_LANGUAGE)
        letter.message, _created = message_queue(
            to=letter.contact.email,
            subject=context["subject"],
            body_text=text,
            body_html=html,
            purpose=OutgoingMessage.Purpose.RESULTS_LETTER,
            language=LETTER_LANGUAGE,
            related=letter,
            dedupe_key=f"ni-sa-vi-gjorde:{letter.pk}",
        )
        letter.status = ResultsLetter.Status.SENT
    else:
        letter.delivery = ResultsLetter.Delivery.POST
        letter.status = ResultsLetter.Status.FOR_POST
    letter.sent_at = sent_at
    letter.save(update_fields=["message", "status", "delivery", "sent_at"])


def letter_pdf(letter: ResultsLetter) -> bytes:
    """The letter as a tagged PDF for post, in Swedish (smeportal.core.pdf)."""
    with translation.override(LETTER_LANGUAGE):
        html = render_to_string(
            "letters/letter_pdf.html", {**letter_content(letter), "language": LETTER_LANGUAGE}
        )
    return html_to_pdf(html, stylesheet="letters/letter_pdf.css")
