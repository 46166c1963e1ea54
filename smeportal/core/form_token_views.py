"""The view side of one-use form tokens (smeportal.core.form_tokens).

`SubmitOnceMixin` sends a repeated submission of a create form to what the first one created;
`render_confirmation` answers a destructive action with the page that confirms it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .form_tokens import CONFIRMATION_FIELD, TOKEN_FIELD, FormAlreadySubmitted, confirmation_issue

# Fields of the first request that the confirming request must not repeat.
_NOT_REPEATED = {"csrfmiddlewaretoken", CONFIRMATION_FIELD, TOKEN_FIELD}


@dataclass
class Confirmation:
    """What the user is asked to confirm, and the exact action and parameters it is bound to."""

    action: str
    params: Mapping[str, Any]
    title: str
    question: str
    confirm_label: str
    cancel_url: str
    consequences: Sequence[str] = field(default_factory=tuple)
    danger: bool = True


def render_confirmation(request, confirmation: Confirmation, *, hidden=None, status: int = 200):
    """The confirmation form for exactly this action, with a fresh one-use token.

    `hidden` is the list of (name, value) pairs the confirming request posts again; by default
    the fields of the request being confirmed. A request that carried a token which was not
    accepted (used, expired, for something else, or sent by a script) is told so.
    """
    if hidden is None:
        hidden = [
            (name, value)
            for name, values in request.POST.lists()
            if name not in _NOT_REPEATED
            for value in values
        ]
    get_token(request)
    context = {
        "confirmation": confirmation,
        "hidden": hidden,
        "token_field": CONFIRMATION_FIELD,
        "token": confirmation_issue(
            user=request.user, action=confirmation.action, params=confirmation.params
        ),
        "refused": bool(request.POST.get(CONFIRMATION_FIELD)),
    }
    return render(request, "core/confirm.html", context, status=status)


class SubmitOnceMixin:
    """Create views whose save runs in `submission_once`: a form sent twice saves once.

    The second submission is told so and sent to what the first one created (or back to the
    form when the first one recorded nowhere to go).
    """

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except FormAlreadySubmitted as repeated:
            return self.already_submitted(request, repeated.result_url)

    def already_submitted(self, request, result_url: str):
        messages.info(
            request,
            _(
                "The form had already been sent, so nothing was saved twice. This is what "
                "the first submission saved."
            ),
        )
        safe = url_has_allowed_host_and_scheme(result_url, allowed_hosts={request.get_host()})
        return redirect(result_url if result_url and safe else request.path)
