"""Account pages the portal words or guards itself; the rest are Django's own auth views."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from . import throttling


class ThrottledPasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, with wrong current passwords throttled like failed logins.

    Once the user has guessed wrong too often from this address, every further attempt,
    even with the right password, gets the Swedish 429 page until the cool-off has passed.
    """

    def post(self, request, *args, **kwargs):
        if not throttling.password_guess_allowed(request):
            return throttling.lockout_response(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            throttling.password_guess_failed(self.request)
            if self.request.axes_locked_out:
                return throttling.lockout_response(self.request)
        return super().form_invalid(form)

    def form_valid(self, form):
        throttling.password_guess_succeeded(self.request)
        return super().form_valid(form)
