"""Import of interviews from Excel with a preview step (the export: views/exports.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET

from smeportal.accounts.permissions import CapabilityRequiredMixin, capability_required
from smeportal.core.file_languages import requested_file_language, unknown_file_language
from smeportal.core.stored_imports import StoredImportNotFound, stored_import_delete
from smeportal.core.xlsx import XLSX_CONTENT_TYPE

from ..forms_import import InterviewImportForm
from ..imports import (
    TEMPLATE_FILE_NAMES,
    ImportPreview,
    check_interview_rows,
    import_template_workbook,
    interview_import_commit,
    stored_import_open,
    stored_import_save,
)

UPLOAD_TEMPLATE = "interviews/import_upload.html"
PREVIEW_TEMPLATE = "interviews/import_preview.html"
# Longer problem lists are cut on the page; the count says how many there are in all.
MAX_PROBLEMS_SHOWN = 500
# The interviews about to be imported, shown one per row before the user commits; a file may
# hold thousands, so the page shows the first ones and says how many more there are.
MAX_INTERVIEWS_SHOWN = 100


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@capability_required("interviews.import")
def interview_import_template(request):
    """The template in the interface language, or in the one `?sprak=sv|en` asks for."""
    language = requested_file_language(request)
    if language is None:
        return unknown_file_language(request)
    response = _xlsx_response(import_template_workbook(language), TEMPLATE_FILE_NAMES[language])
    response["Content-Language"] = language
    return response


def _preview_context(preview: ImportPreview, **extra) -> dict:
    return {
        "preview": preview,
        "problems": preview.problems[:MAX_PROBLEMS_SHOWN],
        "problems_cut": len(preview.problems) > MAX_PROBLEMS_SHOWN,
        "interviews_shown": preview.interviews[:MAX_INTERVIEWS_SHOWN],
        "interviews_not_shown": max(len(preview.interviews) - MAX_INTERVIEWS_SHOWN, 0),
        **extra,
    }


class InterviewImportView(CapabilityRequiredMixin, View):
    """Upload a workbook: it is checked and shown as a preview; nothing is written yet."""

    required_capability = "interviews.import"

    def get(self, request):
        return render(request, UPLOAD_TEMPLATE, {"form": InterviewImportForm()})

    def post(self, request):
        form = InterviewImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, UPLOAD_TEMPLATE, {"form": form}, status=400)
        preview = form.preview
        uploaded_file = form.cleaned_data["file"]
        if not preview.is_valid:
            context = _preview_context(preview, file_name=uploaded_file.name)
            return render(request, PREVIEW_TEMPLATE, context, status=400)
        token = stored_import_save(preview=preview, file_name=uploaded_file.name, user=request.user)
        context = _preview_context(
            preview,
            file_name=uploaded_file.name,
            confirm_url=reverse("interviews:interview_import_confirm", kwargs={"token": token}),
        )
        return render(request, PREVIEW_TEMPLATE, context)


class InterviewImportConfirmView(CapabilityRequiredMixin, View):
    """Show the stored upload's preview again (GET), or import it (POST).

    The stored rows of the file are checked again, so a change made meanwhile (an area archived,
    a company added) is taken into account. Only the user who uploaded it can use the token.
    """

    required_capability = "interviews.import"

    def _load(self, request, token) -> tuple[ImportPreview | None, str, list[str]]:
        try:
            rows, file_name = stored_import_open(token=token, user=request.user)
        except StoredImportNotFound:
            raise Http404 from None
        return check_interview_rows(rows), file_name, []

    def _render_problems(self, request, token, preview, file_name, errors):
        stored_import_delete(token=token)
        context = _preview_context(
            preview or ImportPreview(), file_name=file_name, file_errors=errors
        )
        return render(request, PREVIEW_TEMPLATE, context, status=400)

    def get(self, request, token):
        preview, file_name, errors = self._load(request, token)
        if preview is None or not preview.is_valid:
            return self._render_problems(request, token, preview, file_name, errors)
        confirm_url = reverse("interviews:interview_import_confirm", kwargs={"token": token})
        context = _preview_context(preview, file_name=file_name, confirm_url=confirm_url)
        return render(request, PREVIEW_TEMPLATE, context)

    def post(self, request, token):
        preview, file_name, errors = self._load(request, token)
        if preview is None or not preview.is_valid:
            return self._render_problems(request, token, preview, file_name, errors)
        try:
            result = interview_import_commit(preview=preview, user=request.user)
        except ValidationError as error:
            # Nothing was written (the commit is one transaction).
            return self._render_problems(request, token, None, file_name, error.messages)
        stored_import_delete(token=token)
        messages.success(
            request,
            _(
                "The import is done: %(interviews)s interviews with %(findings)s findings; "
                "%(companies)s new companies."
            )
            % {
                "interviews": result.interview_count,
                "findings": result.finding_count,
                "companies": result.companies_created,
            },
        )
        if result.contacts_created or result.results_consents_recorded:
            messages.success(
                request,
                _(
                    "%(contacts)s new contact persons; %(consents)s agreements to hear about "
                    "the results recorded."
                )
                % {
                    "contacts": result.contacts_created,
                    "consents": result.results_consents_recorded,
                },
            )
        return redirect("interviews:interview_list")
