"""An indicator's status and progress as markup, for Django's templates and the Jinja2 rows.

{% indicator_status_badge status label %}: the status as text with a shape, never colour alone.
{% indicator_progress_bar percent %}: progress toward the target as a bar with the percentage
written beside it ("–" when there is no measurement yet).
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

register = template.Library()

_SHAPES = {
    "i_fas": (
        '<circle cx="8" cy="8" r="7.5" fill="currentColor"/>'
        '<path d="M4.3 8.4l2.4 2.4 5-5.2" fill="none" stroke="#fff" stroke-width="2"/>'
    ),
    "risk": (
        '<path d="M8 0.8L15.5 15H0.5z" fill="currentColor"/>'
        '<rect x="7.1" y="5.2" width="1.8" height="5" fill="#fff"/>'
        '<rect x="7.1" y="11.4" width="1.8" height="1.8" fill="#fff"/>'
    ),
    "efter": (
        '<rect x="0.5" y="0.5" width="15" height="15" rx="2" fill="currentColor"/>'
        '<path d="M4.5 4.5l7 7M11.5 4.5l-7 7" stroke="#fff" stroke-width="2"/>'
    ),
    # A clock: the value is older than the reporting interval.
    "behover_uppdateras": (
        '<circle cx="8" cy="8" r="6.8" fill="none" stroke="currentColor" stroke-width="1.8"/>'
        '<path d="M8 4v4.4l2.8 1.8" fill="none" stroke="currentColor" stroke-width="1.8"/>'
    ),
}
_NO_STATUS = (
    '<circle cx="8" cy="8" r="6.8" fill="none" stroke="currentColor" stroke-width="1.5"/>'
    '<path d="M4.5 8h7" stroke="currentColor" stroke-width="1.5"/>'
)


# The format string of each status's badge: its shape is constant markup (no braces, no user
# text); format_html escapes the status and the label written into it.
_BADGES = {
    status: '<span class="indicator-status indicator-status-{}"><svg aria-hidden="true" '
    f'focusable="false" width="16" height="16" viewBox="0 0 16 16">{shape}</svg> {{}}</span>'
    for status, shape in [*_SHAPES.items(), ("", _NO_STATUS)]
}


@register.simple_tag
def indicator_status_badge(status: str, label: str) -> SafeString:
    return format_html(_BADGES.get(status, _BADGES[""]), status, label)


@register.simple_tag
def indicator_progress_bar(percent: int | None) -> SafeString:
    if percent is None:
        return conditional_escape("–")
    filled = (
        format_html('<rect x="0" y="0" width="{}" height="10" fill="#0b4f7c"/>', int(percent))
        if percent
        else ""
    )
    return format_html(
        '<span class="indicator-progress"><svg aria-hidden="true" focusable="false" width="80" '
        'height="10" viewBox="0 0 100 10" preserveAspectRatio="none"><rect x="0.5" y="0.5" '
        'width="99" height="9" fill="#fff" stroke="#6c757d"/>{}</svg> {}&nbsp;%</span>',
        filled,
        int(percent),
    )
