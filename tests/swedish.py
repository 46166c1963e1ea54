"""Messages as the Swedish interface shows them (shared by the tests).

The tests compare with the message's Swedish translation through gettext, so that they hold
both before and after the translations of this app are merged into locale/.
"""

from __future__ import annotations

from django.utils import translation


def sv(message: str) -> str:
    with translation.override("sv"):
        return translation.gettext(message)


def sv_plural(singular: str, plural: str, count: int) -> str:
    with translation.override("sv"):
        return translation.ngettext(singular, plural, count)
