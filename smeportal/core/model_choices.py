"""Model choice fields whose choices are read by one plain query.

Django reads a model choice field's queryset with iterator(), which on Postgres opens a
server-side cursor (DECLARE, FETCH, CLOSE): three round trips for six areas, on every form
shown. The portal's choice lists are short (areas, goals, plans, staff, a plan's activities),
so one ordinary query serves them; the exports, whose rows are many, keep their cursors.
"""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator


class ChoicesInOneQuery(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # django-filter's model choice fields may offer "none" as a choice too.
        if getattr(self.field, "null_label", None) is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ChoicesInOneQueryMixin:
    """A form whose model choice fields (a model form's keys too) read their choices so."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.iterator = ChoicesInOneQuery
