"""The workshop's proposals as an Excel file."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from smeportal.accounts.permissions import capability_required
from smeportal.core.xlsx import XLSX_CONTENT_TYPE

from ..exports import workshop_proposals_workbook
from ..models import Workshop


@require_GET
@capability_required("workshops.export")
def workshop_export(request, pk: int):
    workshop = get_object_or_404(Workshop, pk=pk)
    response = HttpResponse(workshop_proposals_workbook(workshop), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.pk}-forslag.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
