""" "Att fira": what the plan achieved, which companies' input led to it, and whether it has
been celebrated and told back to them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.accounts.roles import has_capability

from ..forms_indicators import CelebrationMarkForm
from ..models import Celebration
from ..selectors import shows_staff_names
from ..selectors_indicators import (
    CELEBRATION_FILTERS,
    celebration_company_support,
    celebration_list,
    sees_company_names,
)
from ..services import celebration_mark
from .indicators import attach_service_errors

# Entries are cards of up to 20 company names and every industry behind them: 20 fill a page.
PAGE_SIZE = 20


def _shown(value: str | None) -> str:
    return value if value in CELEBRATION_FILTERS else "alla"


class CelebrationListView(CapabilityRequiredMixin, View):
    """Entries newest first, filtered by whether they have been celebrated yet."""

    required_capability = "actionplan.view"

    def get(self, request):
        shown = _shown(request.GET.get("visa"))
        page_obj = Paginator(celebration_list(shown=shown), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        celebrations = list(page_obj.object_list)
        support = celebration_company_support(celebrations)
        for celebration in celebrations:
            celebration.support = support[celebration.pk]
        filters = [
            (value, label, value == shown)
            for value, label in (
                ("alla", _("All")),
                ("ej-firade", _("Not yet celebrated")),
                ("firade", _("Celebrated")),
            )
        ]
        context = {
            "celebrations": celebrations,
            "page_obj": page_obj,
            "query_string": urlencode({"visa": shown}),
            "shown": shown,
            "filters": filters,
            "can_mark": has_capability(request.user, "celebrations.mark"),
            "show_companies": sees_company_names(request.user),
            "show_staff_names": shows_staff_names(request.user),
        }
        return render(request, "actionplan/celebration_list.html", context)


class CelebrationMarkView(CapabilityRequiredMixin, View):
    """Mark an entry as celebrated and communicated (with a note on how), or undo it."""

    required_capability = "celebrations.mark"
    template_name = "actionplan/celebration_mark.html"

    def get(self, request, pk: int):
        celebration = get_object_or_404(Celebration, pk=pk)
        form = CelebrationMarkForm(
            initial={
                "celebrated": "1",
                "note": celebration.note,
                "is_public": celebration.is_public,
            },
        )
        return self._render(request, celebration, form)

    def post(self, request, pk: int):
        celebration = get_object_or_404(Celebration, pk=pk)
        form = CelebrationMarkForm(request.POST)
        if form.is_valid():
            celebrated = form.cleaned_data["celebrated"]
            try:
                celebration_mark(
                    celebration=celebration,
                    user=request.user,
                    celebrated=celebrated,
                    note=form.cleaned_data["note"] if celebrated else "",
                    is_public=form.cleaned_data["is_public"],
                )
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                if celebrated:
                    message = _("“%(title)s” is marked as celebrated and communicated.")
                else:
                    message = _("“%(title)s” is no longer marked as celebrated.")
                messages.success(request, message % {"title": celebration.title})
                query = urlencode({"visa": _shown(request.POST.get("visa"))})
                url = reverse("actionplan:celebration_list")
                return redirect(f"{url}?{query}#celebration-{celebration.pk}")
        # Re-read so the page shows the saved state, not the rejected input.
        celebration.refresh_from_db()
        return self._render(request, celebration, form, status=400)

    def _render(self, request, celebration, form, status: int = 200):
        context = {"celebration": celebration, "form": form}
        return render(request, self.template_name, context, status=status)
