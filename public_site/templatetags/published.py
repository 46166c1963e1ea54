"""{% published_badge "activity" activity.pk %}: "Published" beside what the public page shows.

Staff mark proposals, activities, goals and celebrations `is_public`; the badge tells them, and
the council, on the portal's own pages which of them the anonymous page /resultat/ shows. It
says so in text with an icon (never colour alone) and links to the public page, at the
fragment of the item or its section (templates/public/results_body.html).

A function rather than only an included template: lists show one per row, and an include per
row costs more than the row. includes/published_badge.html wraps it for Django's templates and
the Jinja2 rows call it as `published_badge(...)` (settings.ROWS_TEMPLATE_GLOBALS).
"""

from __future__ import annotations

import functools

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()

# A globe: published to the world. Constant markup (no braces), hidden from screen readers, who
# hear the text.
_GLOBE = (
    '<svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16">'
    '<circle cx="8" cy="8" r="6.8" fill="none" stroke="currentColor" stroke-width="1.5"/>'
    '<ellipse cx="8" cy="8" rx="2.9" ry="6.8" fill="none" stroke="currentColor" '
    'stroke-width="1.2"/><path d="M1.2 8h13.6" stroke="currentColor" stroke-width="1.2"/></svg>'
)
# The short word is what the eye reads; a screen reader hears the whole sentence instead, so
# each language gets two whole texts rather than pieces glued together.
_BADGE = (
    '<a class="published-badge" href="{}">' + _GLOBE + ' <span aria-hidden="true">{}</span>'
    '<span class="visually-hidden">{}</span></a>'
)


# Resolved once per script prefix (which reverse() reads), as smeportal.core's pk_url does: a
# list may show a badge on every row.
@functools.cache
def _public_url(prefix: str) -> str:
    return reverse("public:results")


@register.simple_tag
def published_badge(*parts: str | int) -> SafeString:
    """The badge, linking to the public page at the id that `parts` make, joined by "-"
    ("activity", 12: #activity-12; "goals": #goals; none: the top). Empty parts are left out,
    so that an include can pass a key it was not given."""
    fragment = "-".join(str(part) for part in parts if part not in ("", None))
    url = _public_url(get_script_prefix())
    return format_html(
        _BADGE,
        f"{url}#{fragment}" if fragment else url,
        gettext("Published"),
        gettext("Published on the public page"),
    )
