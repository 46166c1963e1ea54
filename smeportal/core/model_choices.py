"""Model choice fields whose choices are read by one plain query, once per form.

Django reads a model choice field's queryset with iterator(), which on Postgres opens a
server-side cursor (DECLARE, FETCH, CLOSE): three round trips for six areas, on every form
shown. The portal's choice lists are short (areas, goals, plans, staff, a plan's activities),
so one ordinary query serves them; the exports, whose rows are many, keep their cursors.

A ShortModelChoiceField looks a chosen value up in the same list: Django would ask the
database again (queryset.get) to check a filter form's area before drawing the very same
areas as options. (Only for short lists: a form choosing among 20,000 companies must not read
them all to check one.)
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator


def choice_objects(field: forms.ModelChoiceField) -> list:
    """The field's objects, read once for this form (again if its queryset is replaced)."""
    queryset = field.queryset
    read = field.__dict__.get("_choice_objects")
    if read is None or read[0] is not queryset:
        read = field._choice_objects = (queryset, list(queryset.all()))
    return read[1]


def choice_objects_known(field: forms.ModelChoiceField, objects: list) -> None:
    """The field's objects, read already by the page: the form reads them no more."""
    field._choice_objects = (field.queryset, list(objects))


def object_for_value(field: forms.ModelChoiceField, value):
    """ModelChoiceField.to_python, answered from choice_objects() instead of a query."""
    if value in field.empty_values:
        return None
    if isinstance(value, field.queryset.model):
        value = getattr(value, field.to_field_name or "pk")
    key = field.to_field_name or "pk"
    for obj in choice_objects(field):
        if str(getattr(obj, key)) == str(value):
            return obj
    raise ValidationError(
        field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
    )


class ChoicesInOneQuery(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # django-filter's model choice fields may offer "none" as a choice too.
        if getattr(self.field, "null_label", None) is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in choice_objects(self.field):
            yield self.choice(obj)


class ChoicesInOneQueryMixin:
    """A form whose model choice fields (a model form's keys too) read their choices so."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.iterator = ChoicesInOneQuery
                # The widget took its choices when the field was built, from the old iterator.
                if hasattr(field.widget, "choices"):
                    field.widget.choices = field.choices


class ShortModelChoiceField(forms.ModelChoiceField):
    """A choice among a few objects (the areas of a filter form): their one query serves both
    the options and the check of the chosen value."""

    iterator = ChoicesInOneQuery

    def to_python(self, value):
        return object_for_value(self, value)
