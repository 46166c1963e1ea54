"""What an activity's progress rests on, in words: {% progress_basis_text activity.progress_basis %}.

One function for Django's templates and the Jinja2 templates of the plan overview's rows and the
activity page (settings.ROWS_TEMPLATE_GLOBALS), with its plurals translated here in Python.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext, ngettext

from ..selectors import ProgressBasis

register = template.Library()


@register.simple_tag
def progress_basis_text(basis: ProgressBasis | None) -> str:
    if basis is None:
        return gettext("set by hand")
    if basis.is_done:
        return gettext("the activity is done")
    if not basis.is_rolled_up:
        return gettext("set by hand")
    parts = []
    if basis.milestones_total:
        parts.append(
            ngettext(
                "%(done)s of %(counter)s milestone done",
                "%(done)s of %(counter)s milestones done",
                basis.milestones_total,
            )
            % {"done": basis.milestones_done, "counter": basis.milestones_total}
        )
    if basis.children:
        parts.append(
            ngettext("%(counter)s sub-activity", "%(counter)s sub-activities", basis.children)
            % {"counter": basis.children}
        )
    return ", ".join(parts)
