"""The Jinja2 environment of the portal's row templates ({% rows %}, templatetags/rows.py).

Autoescaping is on, so a value reaches the page as text, as
it does in Django's templates. Values are shown the way Django's templates show them: numbers
and dates localised (a Swedish decimal comma), and the same `date` filter. Strings are
translated with `_("…")`, which makemessages finds in the templates as it finds Django's own
`_("…")`; so a plural, or anything else makemessages cannot find, is translated in Python.
"""

from __future__ import annotations

import datetime
import decimal
import functools

from django.conf import settings
from django.template.defaultfilters import (
    date,
    default_if_none,
    linebreaksbr,
    truncatechars,
)
from django.urls import get_script_prefix, reverse
from django.utils import formats, timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext, ngettext
from jinja2 import Environment
from markupsafe import Markup


def _shown(value):
    """A value as Django's templates print it: numbers and dates in the active language."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        # What localize() gives an integer without grouping, at a tenth of its cost: a table
        # of 50 rows prints hundreds of them.
        return str(value)
    if isinstance(value, bool) or not isinstance(
        value, (int, float, decimal.Decimal, datetime.date, datetime.time)
    ):
        return value
    return formats.localize(value)


_PK = 2_147_483_647  # a key no object has, replaced by the object's own


@functools.cache
def _pk_url_parts(name: str, prefix: str) -> tuple[str, str]:
    before, _pk, after = reverse(name, args=[_PK]).partition(str(_PK))
    return before, after


def pk_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a URL whose one argument is an object's key, resolved once
    per URL name: a table links every row, and reverse() costs more than the rest of a row."""
    before, after = _pk_url_parts(name, get_script_prefix())
    return f"{before}{int(pk)}{after}"


def ymd(value) -> str:
    """A date, or a time's day in Swedish time, as 2026-11-30 ("" for none)."""
    if not value:  # none, or not there at all (Jinja2's Undefined)
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value:%Y-%m-%d}"


def fill(translated: str, **values) -> Markup:
    """`{{ _("Create activity<span …> from “%(title)s”</span>")|fill(title=…) }}`: a translated
    text that holds markup, with its values escaped, as {% blocktranslate %} gives it. The text
    is the portal's own (its .po files); only the values can come from users."""
    return Markup(translated) % values  # noqa: S704 (the text is ours; % escapes the values)


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # on, whatever the settings say
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], finalize=_shown, **options)
    # _("text") is gettext: its result is escaped like any value, as {% translate %} does.
    env.install_gettext_callables(gettext, ngettext)
    env.globals.update(url=reverse, pk_url=pk_url)
    # The apps' own helpers (a flag's badge), named in settings so that core imports no app.
    env.globals.update(
        {name: import_string(path) for name, path in settings.ROWS_TEMPLATE_GLOBALS.items()}
    )
    env.filters["ymd"] = ymd
    env.filters["fill"] = fill
    env.filters["date"] = date
    env.filters["default_if_none"] = default_if_none
    env.filters["linebreaksbr"] = linebreaksbr  # escapes the text, then adds the <br>
    env.filters["truncatechars"] = truncatechars
    return env
