"""The two parts of a message, from a pair of templates, in the recipient's language.

`<name>.txt` is the text part (a real one, read by itself: headings, lists and links written
out); `<name>.html` extends templates/outbox/email/base.html: semantic HTML, the language
declared, no images, no tracking, nothing fetched from anywhere. Both end with how to change
what one receives (`change_url` in the context).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def portal_url(name: str, *args) -> str:
    """The absolute address of a portal page, for a link in a message (settings.PORTAL_URL)."""
    return f"{settings.PORTAL_URL}{reverse(name, args=args)}"


def render_email(template: str, context: dict, *, language: str) -> tuple[str, str]:
    with translation.override(language):
        context = {**context, "language": language}
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return text.strip() + "\n", html
