"""What a user receives by e-mail; for administrators also when the reminders go out."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from smeportal.accounts.permissions import capability_required
from smeportal.accounts.roles import has_capability
from smeportal.outbox.models import preference_for

from .forms import DigestScheduleForm, MailPreferenceForm
from .services import daily_digests_queue, digest_schedule, digest_schedule_update


def _context(request, form, schedule_form=None) -> dict:
    context = {"form": form, "can_schedule": has_capability(request.user, "reminders.schedule")}
    if context["can_schedule"]:
        schedule = digest_schedule()
        if schedule_form is None:
            initial = {"enabled": True, "hour": 7}
            if schedule is not None and schedule.crontab_id:
                initial = {"enabled": schedule.enabled, "hour": schedule.crontab.hour}
            schedule_form = DigestScheduleForm(initial=initial)
        context.update(schedule=schedule, schedule_form=schedule_form)
    return context


@require_http_methods(["GET", "POST"])
@capability_required("portal.view")
def preferences(request):
    preference = preference_for(request.user)
    if request.method == "POST":
        form = MailPreferenceForm(request.POST, instance=preference)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your e-mail settings were saved."))
            return redirect("reminders:preferences")
        return render(request, "reminders/preferences.html", _context(request, form), status=400)
    form = MailPreferenceForm(instance=preference)
    return render(request, "reminders/preferences.html", _context(request, form))


@require_POST
@capability_required("reminders.schedule")
def schedule_update(request):
    form = DigestScheduleForm(request.POST)
    if not form.is_valid():
        context = _context(request, MailPreferenceForm(instance=preference_for(request.user)), form)
        return render(request, "reminders/preferences.html", context, status=400)
    digest_schedule_update(enabled=form.cleaned_data["enabled"], hour=form.cleaned_data["hour"])
    messages.success(request, _("The schedule of the daily reminders was saved."))
    return redirect("reminders:preferences")


@require_POST
@capability_required("reminders.schedule")
def send_now(request):
    """Today's reminders now (on the embedded default no scheduler runs); a user who already
    got today's gets no second."""
    queued = daily_digests_queue()
    messages.success(
        request,
        ngettext(
            "%(count)s reminder message was queued.",
            "%(count)s reminder messages were queued.",
            queued,
        )
        % {"count": queued},
    )
    return redirect("reminders:preferences")
