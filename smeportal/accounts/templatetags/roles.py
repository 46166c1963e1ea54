from django import template

from ..roles import has_capability

register = template.Library()


@register.filter
def can(user, capability: str) -> bool:
    """{% if request.user|can:"areas.manage" %}: the same rule the views enforce."""
    return has_capability(user, capability)
