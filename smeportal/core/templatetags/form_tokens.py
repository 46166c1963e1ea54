"""{% form_token %}: the one-use token of a create form (smeportal.core.form_tokens)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from ..form_tokens import TOKEN_FIELD, form_token_issue

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context, action: str = "") -> str:
    """A hidden field with a token for this form, bound to the user and the URL it posts to."""
    request = context["request"]
    if not request.user.is_authenticated:
        return ""
    token = form_token_issue(user=request.user, action=action or request.path)
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, token)
