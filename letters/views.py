"""“Ni sa – vi gjorde”: draft a round, preview and adjust each letter, approve and send."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from interviews.models import Company
from smeportal.accounts.permissions import capability_required

from .forms import LetterOpeningForm, LetterRoundForm, SendRoundForm
from .models import LetterRound, ResultsLetter
from .selectors import company_letters, company_story, round_counts, round_letters
from .services import (
    letter_content,
    letter_opening_update,
    letter_pdf,
    letter_round_create,
    letter_round_send,
)

PAGE_SIZE = 50


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
    return render(
        request,
        "letters/round_detail.html",
        {
            "round": letter_round,
            "page_obj": page,
            "counts": round_counts(letter_round),
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
    return render(
        request,
        "letters/letter_detail.html",
        {**letter_content(letter), "form": form},
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
