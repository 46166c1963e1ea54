"""Pages for personal API tokens: /api-nycklar/.

Everyone signed in may create tokens for their own use; the secret is shown once, on the page
that answers the creation, and never again. Administrators see and may revoke every token.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from smeportal.accounts.permissions import capability_required
from smeportal.accounts.roles import has_capability

from ..forms import ApiTokenForm
from ..selectors import all_tokens, token_visible, tokens_of
from ..services import token_create, token_revoke


@capability_required("api.tokens.create")
@require_safe
def token_list(request):
    form = ApiTokenForm(user=request.user)
    return _list_page(request, form)


def _list_page(request, form, status=200):
    context = {"form": form, "tokens": tokens_of(request.user)}
    if has_capability(request.user, "api.tokens.manage"):
        others = all_tokens().exclude(user=request.user)
        context["others"] = Paginator(others, 50).get_page(request.GET.get("sida"))
    return render(request, "api/token_list.html", context, status=status)


@capability_required("api.tokens.create")
@require_POST
def token_new(request):
    form = ApiTokenForm(request.POST, user=request.user)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    try:
        created = token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            expires_at=form.expires_at(),
        )
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
        return _list_page(request, form, status=400)
    response = render(request, "api/token_created.html", {"created": created})
    # The secret is on this page only: no cache may keep it.
    add_never_cache_headers(response)
    return response


@capability_required("api.tokens.create")
@require_POST
def token_revoke_view(request, pk: int):
    token = token_visible(token_id=pk, user=request.user)
    token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
