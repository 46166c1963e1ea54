"""Report runs: request, follow (htmx polling or a manual refresh), download, schedule."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from smeportal.accounts.permissions import capability_required
from smeportal.accounts.roles import has_capability
from smeportal.core.form_tokens import FormAlreadySubmitted, submission_once

from .forms import ReportRequestForm, ScheduleForm
from .models import ReportRun
from .periods import Period
from .services import report_run_request, weekly_schedule, weekly_schedule_update

HISTORY_SIZE = 30
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _run_list_context(request, form=None, schedule_form=None) -> dict:
    runs = ReportRun.objects.select_related("requested_by", "removed_by").order_by(
        "-requested_at", "-pk"
    )
    if not has_capability(request.user, "reports.create"):
        # The council downloads finished reports; the queue of others' attempts is not theirs.
        runs = runs.filter(status=ReportRun.Status.DONE)
    schedule = weekly_schedule()
    if schedule_form is None and schedule is not None and schedule.crontab_id:
        schedule_form = ScheduleForm(
            initial={
                "enabled": schedule.enabled,
                "day_of_week": schedule.crontab.day_of_week,
                "hour": schedule.crontab.hour,
            }
        )
    return {
        "runs": runs[:HISTORY_SIZE],
        "form": form or ReportRequestForm(),
        "schedule": schedule,
        "schedule_form": schedule_form or ScheduleForm(),
        "show_requester": has_capability(request.user, "reports.create"),
    }


@require_GET
@capability_required("reports.view")
def run_list(request):
    return render(request, "reports/run_list.html", _run_list_context(request))


@require_POST
@capability_required("reports.create")
def run_create(request):
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        return render(
            request, "reports/run_list.html", _run_list_context(request, form=form), status=400
        )
    try:
        with submission_once(request, action=reverse("reports:run_create")) as submission:
            run = report_run_request(
                user=request.user,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
            )
            submission.lead_to(reverse("reports:run_detail", args=[run.pk]))
    except FormAlreadySubmitted as repeated:
        # A double click on "Build report" starts one report, not two.
        return redirect(repeated.result_url or "reports:run_list")
    run.refresh_from_db()
    if run.status == ReportRun.Status.FAILED:
        messages.error(request, run.error_message)
    else:
        messages.success(request, _("The report has been started."))
    return redirect("reports:run_detail", pk=run.pk)


@require_GET
@capability_required("reports.view")
def run_detail(request, pk: int):
    run = get_object_or_404(ReportRun.objects.select_related("requested_by", "removed_by"), pk=pk)
    if run.status != ReportRun.Status.DONE and not has_capability(request.user, "reports.create"):
        raise Http404
    template = "reports/run_detail.html"
    if request.htmx:
        template += "#run-status"
    return render(
        request,
        template,
        {
            "run": run,
            "show_requester": has_capability(request.user, "reports.create"),
            "dashboard_period": Period(run.period_start, run.period_end).value,
        },
    )


def _download(request, pk: int, field: str, content_type: str):
    """One of a finished run's files as an attachment."""
    run = get_object_or_404(
        ReportRun.objects.select_related("removed_by"), pk=pk, status=ReportRun.Status.DONE
    )
    if run.is_removed:
        # Gone for good under a retention decision: say so (410) rather than "not found".
        return render(request, "reports/run_removed.html", {"run": run}, status=410)
    stored = getattr(run, field)
    if not stored:  # runs built before the PDF existed have only the workbook
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    filename = stored.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


@require_GET
@capability_required("reports.view")
def run_download(request, pk: int):
    return _download(request, pk, "file", XLSX_CONTENT_TYPE)


@require_GET
@capability_required("reports.view")
def run_download_pdf(request, pk: int):
    return _download(request, pk, "pdf_file", "application/pdf")


@require_POST
@capability_required("reports.schedule")
def schedule_update(request):
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "reports/run_list.html",
            _run_list_context(request, schedule_form=form),
            status=400,
        )
    weekly_schedule_update(
        enabled=form.cleaned_data["enabled"],
        day_of_week=form.cleaned_data["day_of_week"],
        hour=form.cleaned_data["hour"],
    )
    messages.success(request, _("The weekly report schedule was saved."))
    return redirect("reports:run_list")
