from __future__ import annotations

import functools

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.areas.selectors import area_list
from smeportal.core.model_choices import (
    ChoicesInOneQueryMixin,
    ShortModelChoiceField,
    choice_objects_known,
)
from smeportal.core.pagination import COUNT_CAP, CappedPaginator

from ..area_search import AreaTextSearch, areas_where_common
from ..choices import FindingType, Industry, SizeClass
from ..consent import Audience, audience_for, visible_quote
from ..models import Interview
from ..selectors import (
    all_areas,
    finding_list,
    finding_list_ids,
    finding_list_rows,
)

PAGE_SIZE = 25
# Counted and paged up to this many (as the interview list); past it the page asks for a
# narrower filter.
FINDINGS_CAP = COUNT_CAP


class FindingFilterForm(ChoicesInOneQueryMixin, forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        strip=True,
        label=_("Search"),
        help_text=_("Words in the finding or its quote, e.g. bygglov."),
    )
    area = ShortModelChoiceField(
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
        # Every area read once (compiled): the list's order, the filter's choices (those not
        # archived) and each finding's area.
        areas = all_areas()
        choice_objects_known(form.fields["area"], [area for area in areas if not area.is_archived])
        findings = finding_list(audience_is_internal=audience is Audience.INTERNAL)
        status = 200
        area_ids = [area.pk for area in areas]
        within_area = None
        company_filtered = False
        if form.is_bound:
            if form.is_valid():
                if form.cleaned_data["area"]:
                    area_ids = [form.cleaned_data["area"].pk]
                filters = {
                    "area": form.cleaned_data["area"],
                    "type": form.cleaned_data["type"],
                }
                findings = findings.filter(
                    **{key: value for key, value in filters.items() if value}
                )
                companies = {
                    "company__industry": form.cleaned_data["industry"],
                    "company__size_class": form.cleaned_data["size_class"],
                }
                if company_filtered := any(companies.values()):
                    # A semi-join on the matching interviews: each finding read in index
                    # order is checked against a hashed set, not joined row by row.
                    interviews = Interview.objects.filter(
                        **{key: value for key, value in companies.items() if value}
                    )
                    findings = findings.filter(interview__in=interviews.values("pk"))
                if text := form.cleaned_data["q"].replace("\x00", ""):
                    within_area = self.text_search(
                        text, area_ids, form.cleaned_data["type"], audience
                    )
            else:
                findings, status = findings.none(), 400
        by_id = {area.pk: area for area in areas}
        if status == 200 and (within_area is not None or not company_filtered):
            # Filtered on the finding's own columns (area, type), which its index holds, or
            # searched (each area through its own index, or walked in list order where the
            # word is common): the first cap + 1 in the list's order, read area by area up to
            # there, give both the count and the page (the pages lie within the cap), in one
            # query.
            first_ids = functools.cache(
                lambda: finding_list_ids(findings, area_ids, FINDINGS_CAP + 1, within_area)
            )
            paginator = CappedPaginator(
                None,
                PAGE_SIZE,
                cap=FINDINGS_CAP,
                rows=lambda start, stop: finding_list_rows(first_ids()[start:stop], by_id),
                counted=lambda limit: len(first_ids()[:limit]),
            )
        else:
            # A company's industry or size may leave a few matches spread over an area's
            # 100,000 findings: counted in any order, and each page read area by area up to
            # its end only.
            paginator = CappedPaginator(
                findings,
                PAGE_SIZE,
                cap=FINDINGS_CAP,
                rows=lambda start, stop: finding_list_rows(
                    finding_list_ids(findings, area_ids, stop)[start:], by_id
                ),
            )
        page = paginator.get_page(request.GET.get("page"))
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

    @staticmethod
    def text_search(
        text: str, area_ids: list[int], finding_type: str, audience: Audience
    ) -> AreaTextSearch:
        """Each area's condition for a text search: through the area's own trigram indexes, or
        by walking the area in list order where the word is common (interviews.area_search),
        which the index would hand over in tens of thousands (107 ms for "bygglov")."""
        return AreaTextSearch(
            text,
            internal=audience is Audience.INTERNAL,
            finding_type=finding_type,
            common=frozenset(areas_where_common(area_ids, text, finding_type=finding_type)),
        )
