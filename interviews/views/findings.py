from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.areas.selectors import area_list

from ..choices import FindingType, Industry, SizeClass
from ..consent import Audience, audience_for, visible_quote
from ..selectors import finding_list


class FindingFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        queryset=area_list(), required=False, label=_("Priority area"), empty_label=_("All areas")
    )
    type = forms.ChoiceField(
        choices=[("", _("All types")), *FindingType.choices],
        required=False,
        label=_("Finding type"),
    )
    industry = forms.ChoiceField(
        choices=[("", _("All industries")), *Industry.choices], required=False, label=_("Industry")
    )
    size_class = forms.ChoiceField(
        choices=[("", _("All sizes")), *SizeClass.choices], required=False, label=_("Size class")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = area_list()
        self.fields["area"].label_from_instance = lambda area: area.display_name


class FindingListView(CapabilityRequiredMixin, View):
    """All findings for an area and type across interviews: the raw material for workshops."""

    required_capability = "findings.view"

    def get(self, request):
        audience = audience_for(request.user)
        form = FindingFilterForm(request.GET or None)
        findings = finding_list(audience_is_internal=audience is Audience.INTERNAL)
        status = 200
        if form.is_bound:
            if form.is_valid():
                filters = {
                    "area": form.cleaned_data["area"],
                    "type": form.cleaned_data["type"],
                    "interview__company__industry": form.cleaned_data["industry"],
                    "interview__company__size_class": form.cleaned_data["size_class"],
                }
                findings = findings.filter(
                    **{key: value for key, value in filters.items() if value}
                )
            else:
                findings, status = findings.none(), 400
        page = Paginator(findings, 50).get_page(request.GET.get("page"))
        for finding in page.object_list:
            finding.visible_quote = visible_quote(finding, audience)
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "page_obj": page,
            "query_string": query.urlencode(),
            "is_internal": audience is Audience.INTERNAL,
        }
        return render(request, "interviews/finding_list.html", context, status=status)
