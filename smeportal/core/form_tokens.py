"""One-use form tokens: create forms that save once, and confirmations only the server can give.

Two problems share one mechanism.

* Double submits. A double click, a reload of the result page or the back button posts a create
  form twice. The form carries a token (`{% form_token %}` from the form_tokens template tags);
  the first submission spends it in the same transaction as the object it creates and records
  where it led; a second one finds it spent and is sent to that object instead of creating
  another. A form without a token (a script, an old page) is saved as before: this protects
  people from their own double clicks, it is not an access control.

* Destructive actions (a retention decision, archiving or deleting a priority area, merging
  proposals). They are carried out only with a confirmation token that the server rendered
  into a confirmation page for exactly that action and those records, for this user, that has
  not been used and is at most CONFIRMATION_MAX_AGE old; and only when the confirming request
  is the user's own form submission, not a script's (htmx) request. Markup smuggled into a page
  therefore cannot carry such an action out by itself.

Tokens are signed (django.core.signing) and carry a random nonce, the user, the action and a
digest of the parameters. Issuing one writes nothing; spending one writes its nonce
(UsedFormToken, unique), inside the caller's transaction, so an action that fails leaves its
token unspent.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import UsedFormToken

TOKEN_FIELD = "form_token"  # noqa: S105 - a form field name, not a secret
CONFIRMATION_FIELD = "confirmation_token"
# A create form left open over a working day still saves once; older tokens are ignored.
SUBMISSION_MAX_AGE = timedelta(days=2)
# A confirmation page is answered at once or not at all.
CONFIRMATION_MAX_AGE = timedelta(minutes=30)
# Spent tokens are kept a while longer than any token can live, then forgotten.
SPENT_KEPT = timedelta(days=7)
_SALT = "smeportal.core.form_tokens"


class FormAlreadySubmitted(Exception):
    """The form's token was spent by an earlier submission; `result_url` is where it led."""

    def __init__(self, result_url: str):
        super().__init__("form already submitted")
        self.result_url = result_url


def _digest(params: Mapping[str, Any] | None) -> str:
    canonical = json.dumps(params or {}, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def form_token_issue(*, user, action: str, params: Mapping[str, Any] | None = None) -> str:
    """A signed token for one form of this user for this action (and these parameters)."""
    payload = {
        "n": secrets.token_urlsafe(18),
        "u": user.pk,
        "a": action,
        "d": _digest(params),
    }
    return signing.dumps(payload, salt=_SALT, compress=False)


def _valid_nonce(
    token: str, *, user, action: str, params: Mapping[str, Any] | None, max_age: timedelta
) -> str | None:
    """The token's nonce if it is ours, unexpired, and for this user, action and parameters."""
    if not token or len(token) > 500 or not getattr(user, "is_authenticated", False):
        return None
    try:
        payload = signing.loads(token, salt=_SALT, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(payload, dict):
        return None
    if payload.get("u") != user.pk or payload.get("a") != action:
        return None
    if payload.get("d") != _digest(params):
        return None
    nonce = payload.get("n")
    return nonce if isinstance(nonce, str) and nonce else None


def _spend(nonce: str, *, user, action: str) -> UsedFormToken | None:
    """Record the nonce as spent; None when it already was (by a submission that committed)."""
    now = timezone.now()
    UsedFormToken.objects.filter(used_at__lt=now - SPENT_KEPT).delete()
    try:
        with transaction.atomic():
            return UsedFormToken.objects.create(nonce=nonce, user=user, action=action, used_at=now)
    except IntegrityError:
        return None


@dataclass
class Submission:
    """The submission in progress; `lead_to` records where a repeated submission should go."""

    spent: UsedFormToken | None = None
    result_url: str = ""

    def lead_to(self, url: str) -> None:
        self.result_url = url


@contextmanager
def submission_once(request, *, action: str | None = None) -> Iterator[Submission]:
    """Save a create form at most once per rendered form, in one transaction.

    Raises FormAlreadySubmitted when the form's token was spent before. The caller saves inside
    the block and calls `submission.lead_to(url)` with the page of what it created.
    """
    action = action or request.path
    token = request.POST.get(TOKEN_FIELD, "")
    with transaction.atomic():
        submission = Submission()
        nonce = _valid_nonce(
            token, user=request.user, action=action, params=None, max_age=SUBMISSION_MAX_AGE
        )
        if nonce:
            submission.spent = _spend(nonce, user=request.user, action=action)
            if submission.spent is None:
                earlier = UsedFormToken.objects.filter(nonce=nonce).first()
                raise FormAlreadySubmitted(earlier.result_url if earlier else "")
        yield submission
        if submission.spent is not None and submission.result_url:
            submission.spent.result_url = submission.result_url[:500]
            submission.spent.save(update_fields=["result_url"])


def is_user_form_submission(request) -> bool:
    """Whether the request is a form the user submitted, not a request made by a script.

    htmx marks its requests with HX-Request; browsers mark every request with Sec-Fetch-Mode,
    which a page cannot set: "navigate" only for a navigation such as a form submission.
    Browsers that send no Sec-Fetch-Mode (old ones, plain http to another host) are let
    through on the token alone.
    """
    if "HX-Request" in request.headers:
        return False
    return request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"


def confirmation_issue(*, user, action: str, params: Mapping[str, Any]) -> str:
    """A confirmation token for this user to carry out exactly this action once."""
    return form_token_issue(user=user, action=f"confirm:{action}", params=params)


def confirmation_spend(request, *, action: str, params: Mapping[str, Any]) -> bool:
    """Spend the request's confirmation token for this action and these parameters.

    True only when the request carries an unused, unexpired token issued to this user for
    exactly this action and parameters, and is the user's own form submission. Call it inside
    the transaction that carries the action out, so a failure leaves the token unspent.
    """
    if not is_user_form_submission(request):
        return False
    nonce = _valid_nonce(
        request.POST.get(CONFIRMATION_FIELD, ""),
        user=request.user,
        action=f"confirm:{action}",
        params=params,
        max_age=CONFIRMATION_MAX_AGE,
    )
    if not nonce:
        return False
    return _spend(nonce, user=request.user, action=f"confirm:{action}") is not None


@contextmanager
def confirmed(request, *, action: str, params: Mapping[str, Any]) -> Iterator[bool]:
    """A transaction that yields whether the request confirms the action (token spent).

    Carry the action out inside the block only when it yields True; if the action raises, the
    token is not spent and the user can confirm again.
    """
    with transaction.atomic():
        yield confirmation_spend(request, action=action, params=params)
