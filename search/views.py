from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from smeportal.accounts.permissions import capability_required

from .selectors import global_search


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the portal"), max_length=200, required=False, strip=True)


@require_GET
@capability_required("portal.view")
def search(request):
    """Everything the user's role may see that holds the words, grouped by kind."""
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"].replace("\x00", "") if form.is_valid() else ""
    context = {
        "form": form,
        "q": text,
        "groups": global_search(text, request.user) if text else [],
    }
    return render(request, "search/results.html", context, status=200 if form.is_valid() else 400)
