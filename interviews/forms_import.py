"""The upload form of the interview import (checks the file, then reads it into a preview)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from smeportal.core.uploads import check_xlsx_upload

from .imports import MAX_IMPORT_BYTES, ImportPreview, parse_interview_workbook


class InterviewImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_(
            "At most 5 MB and 5,000 rows. Use the template; nothing is imported until the "
            "whole file is free of problems."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    preview: ImportPreview | None = None

    def clean_file(self):
        uploaded_file = self.cleaned_data["file"]
        # The safety checks run on the raw bytes before openpyxl opens anything.
        check_xlsx_upload(uploaded_file, max_bytes=MAX_IMPORT_BYTES)
        self.preview = parse_interview_workbook(uploaded_file)
        return uploaded_file
