"""Excel export of the interview list: small selections at once, large ones as a background job.

The list's "Export to Excel" link carries its filters. A selection of at most
SMALL_EXPORT_ROWS rows is downloaded at once; a larger one gets a page that asks to start a
background export (a POST with a one-use form token, so a double click starts one job); the
job's page follows its progress (htmx polling, or a reload link without JavaScript) and offers
the file when it is ready, to the user who asked for it (or an administrator) only.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from smeportal.accounts.permissions import capability_required
from smeportal.core.form_tokens import FormAlreadySubmitted, submission_once
from smeportal.core.xlsx import EXCEL_MAX_ROWS, XLSX_CONTENT_TYPE

from ..export_jobs import (
    EXPORT_FILE_KEPT,
    export_parameters,
    interview_export_expire_if_due,
    interview_export_request,
    parameters_query,
)
from ..exports import SMALL_EXPORT_ROWS, export_selection, interviews_workbook, is_small_export
from ..filters import InterviewFilter
from ..models import Interview, InterviewExport
from ..selectors import interview_export_visible, interview_exports_of

START_TEMPLATE = "interviews/export_start.html"
DETAIL_TEMPLATE = "interviews/export_detail.html"
RECENT_EXPORTS_SHOWN = 5


def _start_context(request, parameters: dict[str, str], filter_form=None) -> dict:
    return {
        "parameters": sorted(parameters.items()),
        "list_query": parameters_query(parameters).urlencode(),
        "filter_form": filter_form,
        "small_limit": SMALL_EXPORT_ROWS,
        "kept_hours": int(EXPORT_FILE_KEPT.total_seconds() // 3600),
        "recent_exports": interview_exports_of(request.user).filter(requested_by=request.user)[
            :RECENT_EXPORTS_SHOWN
        ],
    }


@require_GET
@capability_required("interviews.export")
def interview_export(request):
    """The interview list, filtered as on the list page: the file, or the page to start a job."""
    selection = export_selection(request.GET, user=request.user)
    if is_small_export(selection):
        response = HttpResponse(interviews_workbook(selection), content_type=XLSX_CONTENT_TYPE)
        filename = f"intervjuer-{timezone.localdate():%Y-%m-%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, START_TEMPLATE, _start_context(request, export_parameters(request.GET)))


@require_POST
@capability_required("interviews.export")
def interview_export_create(request):
    """Start a background export of the list with the posted filters."""
    filter_form = InterviewFilter(request.POST, queryset=Interview.objects.none()).form
    parameters = export_parameters(request.POST)
    if not filter_form.is_valid():
        context = _start_context(request, parameters, filter_form=filter_form)
        return render(request, START_TEMPLATE, context, status=400)
    action = reverse("interviews:interview_export_create")
    try:
        with submission_once(request, action=action) as submission:
            export = interview_export_request(user=request.user, parameters=parameters)
            submission.lead_to(reverse("interviews:interview_export_detail", args=[export.pk]))
    except FormAlreadySubmitted as repeated:
        # A double click on "Start the export" starts one export, not two.
        return redirect(repeated.result_url or "interviews:interview_list")
    export.refresh_from_db()
    if export.status == InterviewExport.Status.FAILED:
        messages.error(request, export.error_message)
    else:
        messages.success(request, _("The export has been started."))
    return redirect("interviews:interview_export_detail", pk=export.pk)


def _detail_context(export: InterviewExport) -> dict:
    return {
        "export": export,
        "expired": export.is_expired(),
        "list_query": parameters_query(export.parameters).urlencode(),
        "excel_max_rows": EXCEL_MAX_ROWS,
        "kept_hours": int(EXPORT_FILE_KEPT.total_seconds() // 3600),
    }


@require_GET
@capability_required("interviews.export")
def interview_export_detail(request, pk: int):
    export = interview_export_visible(export_id=pk, user=request.user)
    export = interview_export_expire_if_due(export=export)
    template = DETAIL_TEMPLATE
    if request.htmx:
        template += "#export-status"
    return render(request, template, _detail_context(export))


@require_GET
@capability_required("interviews.export")
def interview_export_download(request, pk: int):
    export = interview_export_visible(export_id=pk, user=request.user)
    export = interview_export_expire_if_due(export=export)
    if export.status == InterviewExport.Status.DONE and export.is_expired():
        # Deleted on expiry: say so (410) rather than "not found".
        return render(request, DETAIL_TEMPLATE, _detail_context(export), status=410)
    if export.status != InterviewExport.Status.DONE or not export.file:
        raise Http404
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    filename = export.file.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response
