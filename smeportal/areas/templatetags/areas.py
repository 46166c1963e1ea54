"""{% area_swatch area %}: a priority area's colour as a small square beside its name.

Decorative (hidden from screen readers): the name always stands next to it. One function for
Django's templates (includes/area_swatch.html) and the Jinja2 rows (ROWS_TEMPLATE_GLOBALS).
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def area_swatch(area) -> SafeString:
    return format_html(
        '<svg class="area-swatch" aria-hidden="true" focusable="false" width="14" height="14" '
        'viewBox="0 0 14 14"><rect width="14" height="14" rx="3" fill="{}"/></svg>',
        area.colour,
    )
