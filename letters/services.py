"""Draft a round of letters, let a business developer change an opening, approve and send."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from interviews.models import ANONYMISED_NAME, Company, Contact, Interview
from interviews.services import contact_save
from smeportal.core.pdf import html_to_pdf
from smeportal.core.queueing import enqueue_fail_fast
from smeportal.outbox.models import OutgoingMessage
from smeportal.outbox.rendering import portal_url, render_email
from smeportal.outbox.services import message_queue

from .models import DEFAULT_OPENING, LetterRound, ResultsLetter
from .selectors import company_story


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


def _interviewees(company_ids: list[int], interviews_from: date, interviews_to: date) -> dict:
    """Per company, the person met at its latest interview of the period (one query): whom a
    letter for post is addressed to (“Att:”), and in whose language it is written."""
    met: dict[int, int] = {}
    for company_id, contact_id in (
        Interview.interviewees.through.objects.filter(
            interview__company_id__in=company_ids,
            interview__date__gte=interviews_from,
            interview__date__lte=interviews_to,
        )
        .exclude(contact__name=ANONYMISED_NAME)  # a retention decision removed who it was
        .order_by("interview__company_id", "-interview__date", "contact__name", "contact_id")
        .values_list("interview__company_id", "contact_id")
    ):
        met.setdefault(company_id, contact_id)
    return met


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
    met = _interviewees(company_ids, interviews_from, interviews_to)
    ResultsLetter.objects.bulk_create(
        ResultsLetter(
            round=letter_round,
            company_id=company_id,
            contact_id=recipients[company_id].pk
            if company_id in recipients
            else met.get(company_id),
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


def contact_language(contact: Contact | None) -> str:
    """The language a person reads the letters in (Contact.language); Swedish when no one is
    known or the language is not one the portal speaks."""
    language = contact.language if contact is not None else ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def letter_language(letter: ResultsLetter) -> str:
    """The language a letter is written in: its recipient's, whether it goes by e-mail or by
    post."""
    return contact_language(letter.contact)


def letter_address(letter: ResultsLetter) -> list[str]:
    """The address block of a letter for post, line by line, in the active language: the
    company, whom it is for (when a contact person is known), street or box, postcode and
    town. A part not yet recorded is left out (the round's page warns of it)."""
    company = letter.company
    lines = [company.name]
    if letter.contact is not None:
        lines.append(_("Attn: %(name)s") % {"name": letter.contact.name})
    if company.postal_address:
        lines.append(company.postal_address)
    town = " ".join(part for part in (company.postal_code, company.postal_town) if part)
    if town:
        lines.append(town)
    return lines


def _words(text: str) -> str:
    return " ".join(text.split())


def is_default_opening(text: str) -> bool:
    """The round kept the opening it was drafted with (in any of the portal's languages)."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            if _words(text) == _words(str(DEFAULT_OPENING)):
                return True
    return False


def letter_opening(letter: ResultsLetter, language: str) -> str:
    """The letter's own opening; else the round's, in `language` if the round kept the
    default one (else as it was written)."""
    if letter.opening:
        return letter.opening
    if is_default_opening(letter.round.opening):
        with translation.override(language):
            return str(DEFAULT_OPENING)
    return letter.round.opening


def letter_content(letter: ResultsLetter) -> dict:
    """What a letter says, in its language (letter_language), for the e-mail, the PDF and the
    preview alike. Texts the company wrote (its findings) and the plan's titles stay as they
    were written; everything the portal words itself, dates too, is in the letter's language.
    Templates render it in that language as well (`language` in the context)."""
    letter_round = letter.round
    language = letter_language(letter)
    with translation.override(language):
        return {
            "letter": letter,
            "language": language,
            "subject": _("What came of what you told us – %(company)s")
            % {"company": letter.company.name},
            "opening": letter_opening(letter, language),
            "story": company_story(
                letter.company,
                date_from=letter_round.interviews_from,
                date_to=letter_round.interviews_to,
            ),
            "public_url": portal_url("public:results"),
            "contact_name": letter.contact.name if letter.contact else "",
            "address": letter_address(letter),
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


# The link in each e-mailed letter that stops them: the contact's id, signed with the portal's
# secret. It does not expire; a letter may be read long after it was sent.
UNSUBSCRIBE_SALT = "letters.unsubscribe"


def unsubscribe_token(contact: Contact) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(contact.pk)


def contact_for_unsubscribe_token(token: str) -> Contact | None:
    """The contact a letter's link names; None for a token the portal did not sign."""
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    return Contact.objects.filter(pk=pk).first() if isinstance(pk, int) else None


@transaction.atomic
def letters_unsubscribe(*, contact: Contact) -> bool:
    """The person asks for no more letters: their agreement to hear about the results is
    withdrawn, as on the contact's page (the history records it, without a user). Returns
    whether it was still in force; asking twice is harmless."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.results_consent_on is None:
        return False
    contact_save(contact=contact, results_consent=False)
    return True


def _deliver(letter: ResultsLetter, *, sent_at) -> None:
    if letter.delivery == ResultsLetter.Delivery.EMAIL and letter.contact and letter.contact.email:
        stop_url = portal_url("letters:unsubscribe", unsubscribe_token(letter.contact))
        context = {**letter_content(letter), "change_url": "", "unsubscribe_url": stop_url}
        language = context["language"]
        text, html = render_email("letters/email/letter", context, language=language)
        letter.message, _created = message_queue(
            to=letter.contact.email,
            subject=context["subject"],
            body_text=text,
            body_html=html,
            purpose=OutgoingMessage.Purpose.RESULTS_LETTER,
            language=language,
            related=letter,
            dedupe_key=f"ni-sa-vi-gjorde:{letter.pk}",
            unsubscribe_url=stop_url,
        )
        letter.status = ResultsLetter.Status.SENT
    else:
        letter.delivery = ResultsLetter.Delivery.POST
        letter.status = ResultsLetter.Status.FOR_POST
    letter.sent_at = sent_at
    letter.save(update_fields=["message", "status", "delivery", "sent_at"])


def _letter_for_print(letter: ResultsLetter) -> tuple[str, str]:
    """(subject, HTML) of one letter on paper: an <article> in the letter's own language."""
    context = letter_content(letter)
    with translation.override(context["language"]):
        return context["subject"], render_to_string("letters/letter_pdf_letter.html", context)


def _document_language(letters: list[ResultsLetter]) -> str:
    """The letters' language when they share one; else Swedish (each part keeps its own)."""
    languages = {letter_language(letter) for letter in letters}
    return languages.pop() if len(languages) == 1 else settings.LANGUAGE_CODE


def letters_pdf(letters: list[ResultsLetter], *, title: str | None = None) -> bytes:
    """Letters for post as one tagged PDF (smeportal.core.pdf): each starts on a new page with
    its address where a window envelope shows it, in its own language (the lang of its part).
    Without a title, the first letter's subject is the document's."""
    printed = [_letter_for_print(letter) for letter in letters]
    html = render_to_string(
        "letters/letter_pdf.html",
        {
            "letters": [part for _subject, part in printed],
            "language": _document_language(letters),
            "title": title if title is not None else printed[0][0],
        },
    )
    return html_to_pdf(html, stylesheet="letters/letter_pdf.css")


def letter_pdf(letter: ResultsLetter) -> bytes:
    """One letter as a tagged PDF for post, in its language, titled with its subject."""
    return letters_pdf([letter])


def round_post_pdf(*, letter_round: LetterRound, letters: list[ResultsLetter]) -> bytes:
    """The round's letters for post (or a part of them) as one PDF to print and post."""
    with translation.override(_document_language(letters)):
        title = _("“You said – we did”: letters for post – %(round)s") % {
            "round": letter_round.title
        }
    return letters_pdf(letters, title=title)
