"""The workshop's proposals as an Excel file, streamed from a temporary file."""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from smeportal.accounts.permissions import capability_required
from smeportal.core.xlsx import XLSX_CONTENT_TYPE

from ..exports import workshop_proposals_write
from ..models import Workshop


@require_GET
@capability_required("workshops.export")
def workshop_export(request, pk: int):
    workshop = get_object_or_404(Workshop, pk=pk)
    # Deleted when the response closes it, after the last byte is sent.
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        workshop_proposals_write(workshop, handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"workshop-{workshop.pk}-forslag.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Cache-Control"] = "no-store"
    return response
