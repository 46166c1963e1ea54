"""The form renderer of the portal (settings.FORM_RENDERER): help text is always escaped.

Django treats a field's help text as trusted HTML: its own form templates, crispy-bootstrap5's
and the Django admin's print it with `|safe`. A help text that ever held user text (a group's
name, an indicator's unit) would then reach the page as markup, and htmx would act on it. The
portal's help texts are plain text, so every bound field escapes its help text once, here, and
those templates print the escaped text whatever they do with it. Labels, choices and errors need
nothing: Django and crispy escape them already.
"""

from __future__ import annotations

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.html import escape


class EscapedHelpTextBoundField(BoundField):
    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        # escape(), not conditional_escape(): not even a mark_safe'd help text becomes markup.
        self.help_text = escape(self.help_text) if self.help_text else ""


class PortalFormRenderer(DjangoTemplates):
    """Django's default renderer, with bound fields that escape their help text."""

    bound_field_class = EscapedHelpTextBoundField
