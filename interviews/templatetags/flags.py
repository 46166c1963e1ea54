"""{% flag_badge flag %}: a follow-up's flag as an icon and its name (never colour alone).

A tag rather than an included template: lists show one per row, and an include per row costs
more than the row.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from ..choices import Flag

register = template.Library()

_BADGE = (
    '<span class="flag flag-{}"><svg aria-hidden="true" focusable="false" width="12" '
    'height="12" viewBox="0 0 12 12"><path d="M1 1h9l-2 3 2 3H2v5H1z" fill="{}"/></svg> {}</span>'
)


@register.simple_tag
def flag_badge(flag: str) -> SafeString:
    if flag == Flag.RED:
        return format_html(_BADGE, "red", "#b3261e", gettext("Red flag"))
    return format_html(_BADGE, "yellow", "#8a6100", gettext("Yellow flag"))
