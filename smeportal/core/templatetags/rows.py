"""{% rows "app/x_rows.html" %}: the rows of a long table or list, drawn by Jinja2.

Django's template engine spends most of a list page's time in its loop over the rows (25 to
200 of them, each a dozen variables, links and filters); Jinja2 compiles a template to Python
and draws the same rows several times faster. The rows template gets the page's context (and
any keyword given to the tag) and is rendered by the "rows" engine of settings.TEMPLATES
(smeportal/core/jinja2_environment.py) with autoescaping on: every value is escaped as in
Django's templates, so the returned markup is safe to insert as it is.
"""

from __future__ import annotations

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def rows(context, template_name: str, **values) -> SafeString:
    jinja_template = engines["rows"].get_template(template_name).template
    rendered = jinja_template.render({**context.flatten(), **values})
    # Escaped by Jinja2's autoescaping (the "rows" engine has it on; see the module's text).
    return mark_safe(rendered)  # noqa: S308
