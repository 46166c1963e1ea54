"""The outbox page: what the portal sent, to whom, and what failed (administrators only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from smeportal.accounts.permissions import capability_required

from .forms import OutboxFilterForm
from .models import OutgoingMessage
from .selectors import delivery_description, outbox_list
from .services import message_send_again

PAGE_SIZE = 50


@require_GET
@capability_required("outbox.view")
def message_list(request):
    form = OutboxFilterForm(request.GET or None)
    status = 200
    filters = {}
    if form.is_bound:
        if form.is_valid():
            filters = form.cleaned_data
        else:
            status = 400
    page = Paginator(outbox_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "outbox/message_list.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query.urlencode(),
            "delivery": delivery_description(),
        },
        status=status,
    )


@require_GET
@capability_required("outbox.view")
def message_detail(request, pk: int):
    message = get_object_or_404(OutgoingMessage.objects.select_related("recipient"), pk=pk)
    return render(request, "outbox/message_detail.html", {"message": message})


@require_GET
@capability_required("outbox.view")
def message_html(request, pk: int):
    """The HTML part as the recipient's mail program gets it, in a sandbox: no script, no
    form, no request to anywhere (the portal's messages need none)."""
    message = get_object_or_404(OutgoingMessage.objects.only("body_html"), pk=pk)
    response = HttpResponse(message.body_html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@capability_required("outbox.view")
def message_send_again_view(request, pk: int):
    message = get_object_or_404(OutgoingMessage, pk=pk)
    if message.status != OutgoingMessage.Status.FAILED:
        messages.error(request, _("Only a message that failed can be sent again."))
        return redirect("outbox:message_detail", pk=pk)
    message = message_send_again(message=message)
    messages.success(request, _("The message was queued to be sent again."))
    return redirect("outbox:message_detail", pk=message.pk)
