"""Limits for free text, and a text field that keeps to its limit wherever it is saved from.

Without a limit a 9 MB note was accepted and copied into the history table on every save. The
limits are generous for what people write by hand and the same for forms, imports and
services: a form shows Django's Swedish "at most N characters" message, an import refuses the
cell on its row, a service's full_clean() refuses the value.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.functional import cached_property

# Notes from an interview, a company or a workshop group's discussion: several typed pages.
NOTES_MAX_LENGTH = 10_000
# A description, a finding, a part of an activity: a few paragraphs.
DESCRIPTION_MAX_LENGTH = 4_000
# A quote, a reason, a short description: one paragraph.
PARAGRAPH_MAX_LENGTH = 2_000


class BoundedTextField(models.TextField):
    """A TextField whose max_length is checked by full_clean(), not only by its form.

    Django's TextField hands max_length to the form field and nothing else; services and
    imports validate with full_clean(), so the limit is also a validator here. The column stays
    `text`: changing the limit needs no schema change.
    """

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    @cached_property
    def validators(self):
        return [*super().validators, MaxLengthValidator(self.max_length)]
