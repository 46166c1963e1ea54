"""“Ni sa – vi gjorde”: draft a round, preview and adjust each letter, approve and send."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from interviews.models import Company
from smeportal.accounts.permissions import capability_required

from .forms import LetterOpeningForm, LetterRoundForm, SendRoundForm
from .models import LetterRound, ResultsLetter
from .selectors import (
    company_letters,
    company_story,
    round_counts,
    round_letters,
    round_letters_without_address,
    round_post_letters,
)
from .services import (
    contact_for_unsubscribe_token,
    contact_language,
    is_default_opening,
    letter_content,
    letter_opening_update,
    letter_pdf,
    letter_round_create,
    letter_round_send,
    letters_unsubscribe,
    round_post_pdf,
)

PAGE_SIZE = 50
# The letters for post are printed in the request, in PDFs of at most this many letters: a
# letter of two or three pages takes about 0.3 s to lay out, so a part is ready in well under
# the web worker's timeout, and a round of thousands is downloaded part by part instead of
# holding a worker for minutes. The round's page says so.
POST_PDF_PART_SIZE = 25
# The round's page names at most this many companies whose letter for post has no address.
WITHOUT_ADDRESS_SHOWN = 20


@dataclass(frozen=True)
class PostPdfPart:
    number: int
    first: int
    last: int


def post_pdf_parts(count: int) -> list[PostPdfPart]:
    """The PDFs the round's `count` letters for post are printed in, POST_PDF_PART_SIZE each."""
    return [
        PostPdfPart(number, first, min(first + POST_PDF_PART_SIZE - 1, count))
        for number, first in enumerate(range(1, count + 1, POST_PDF_PART_SIZE), start=1)
    ]


@require_http_methods(["GET", "POST"])
@capability_required("letters.send")
def round_list(request):
    form = LetterRoundForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            letter_round = letter_round_create(**form.cleaned_data, user=request.user)
            messages.success(request, _("The letters were drafted. Preview them before sending."))
            return redirect("letters:round_detail", pk=letter_round.pk)
        status = 400
    rounds = Paginator(LetterRound.objects.order_by("-created_at", "-pk"), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request, "letters/round_list.html", {"form": form, "page_obj": rounds}, status=status
    )


def _round_page(request, letter_round: LetterRound, send_form=None, status=200):
    page = Paginator(round_letters(letter_round), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = round_counts(letter_round)
    without_address = []
    if counts["without_address"]:
        without_address = list(round_letters_without_address(letter_round)[:WITHOUT_ADDRESS_SHOWN])
    return render(
        request,
        "letters/round_detail.html",
        {
            "round": letter_round,
            "page_obj": page,
            "counts": counts,
            "without_address": without_address,
            "without_address_more": counts["without_address"] - len(without_address),
            "post_pdf_parts": post_pdf_parts(counts["for_post"]) if letter_round.is_sent else [],
            "post_pdf_part_size": POST_PDF_PART_SIZE,
            "send_form": send_form or SendRoundForm(),
        },
        status=status,
    )


@require_GET
@capability_required("letters.send")
def round_detail(request, pk: int):
    return _round_page(request, get_object_or_404(LetterRound, pk=pk))


@require_POST
@capability_required("letters.send")
def round_send(request, pk: int):
    letter_round = get_object_or_404(LetterRound, pk=pk)
    form = SendRoundForm(request.POST)
    if not form.is_valid():
        return _round_page(request, letter_round, form, status=400)
    try:
        counts = letter_round_send(letter_round=letter_round, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("letters:round_detail", pk=pk)
    messages.success(
        request,
        _(
            "The letters are on their way: %(email)s by e-mail, %(post)s to post as PDF. The "
            "list shows each letter's status."
        )
        % counts,
    )
    return redirect("letters:round_detail", pk=pk)


@require_http_methods(["GET", "POST"])
@capability_required("letters.send")
def letter_detail(request, pk: int):
    letter = get_object_or_404(
        ResultsLetter.objects.select_related("round", "company", "contact", "message"), pk=pk
    )
    form = LetterOpeningForm(
        request.POST if request.method == "POST" else None, initial={"opening": letter.opening}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                letter_opening_update(letter=letter, opening=form.cleaned_data["opening"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The opening paragraph was saved."))
                return redirect("letters:letter_detail", pk=pk)
        status = 400
    content = letter_content(letter)
    return render(
        request,
        "letters/letter_detail.html",
        {
            **content,
            # The language's name in the page's language: “Engelska” on a Swedish page.
            "language_name": dict(settings.LANGUAGES)[content["language"]],
            "opening_as_written": content["language"] != settings.LANGUAGE_CODE
            and not letter.opening
            and not is_default_opening(letter.round.opening),
            "form": form,
        },
        status=status,
    )


@require_GET
@capability_required("letters.send")
def letter_pdf_download(request, pk: int):
    letter = get_object_or_404(
        ResultsLetter.objects.select_related("round", "company", "contact"), pk=pk
    )
    response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ni-sa-vi-gjorde-{letter.pk}.pdf"'
    return response


@require_GET
@capability_required("letters.send")
def round_post_pdf_download(request, pk: int):
    """The round's letters for post in one PDF to print, or its part `?del=N` when the round has
    more than POST_PDF_PART_SIZE of them. Only once the round is sent: before that, a letter
    may still change and none is ready to post."""
    letter_round = get_object_or_404(LetterRound, pk=pk)
    if not letter_round.is_sent:
        messages.error(
            request,
            _("The letters for post can be downloaded once the round has been approved and sent."),
        )
        return _round_page(request, letter_round, status=409)
    letters = round_post_letters(letter_round)
    parts = post_pdf_parts(letters.count())
    number = request.GET.get("del", "1")
    part = next((part for part in parts if str(part.number) == number), None)
    if part is None:
        raise Http404
    chosen = list(letters[part.first - 1 : part.last])
    response = HttpResponse(
        round_post_pdf(letter_round=letter_round, letters=chosen), content_type="application/pdf"
    )
    suffix = f"-del-{part.number}" if len(parts) > 1 else ""
    filename = f"ni-sa-vi-gjorde-{letter_round.pk}-post{suffix}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@capability_required("interviews.view")
def company_story_view(request, pk: int):
    """“Vad hände sedan?”: the company's story over all its interviews, and what it was sent."""
    company = get_object_or_404(Company, pk=pk)
    return render(
        request,
        "letters/company_story.html",
        {
            "company": company,
            "story": company_story(company),
            "letters": company_letters(company)[:20],
        },
    )


# Anyone holding a letter's link, without logging in. Exempt from CSRF: the signed token in the
# link is what authorises it, and mail programs post to it themselves (RFC 8058 one-click), with
# no form of ours.
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """“No more letters”: asks once, then withdraws the person's agreement to hear about the
    results. Shown in the person's language; says nothing about them."""
    contact = contact_for_unsubscribe_token(token)
    if contact is None:
        return render(request, "letters/unsubscribe.html", {"invalid": True}, status=404)
    with translation.override(contact_language(contact)):
        if request.method == "POST":
            letters_unsubscribe(contact=contact)
            return render(request, "letters/unsubscribe.html", {"done": True})
        return render(
            request,
            "letters/unsubscribe.html",
            {"agreed": contact.results_consent_on is not None},
        )
