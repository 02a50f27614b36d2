"""Sign-in with a limit on failed attempts, per client address and per user name, so passwords cannot be
guessed at speed. The counts live in the cache (Redis in production); if it is unreachable, sign-in still
works, unlimited, rather than locking everyone out.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from compute_advisor.lib.client_address import client_address

log = logging.getLogger(__name__)


def _keys(request: HttpRequest, username: str) -> list[str]:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"sign-in-failures:addr:{client_address(request)}", f"sign-in-failures:user:{name}"]


def sign_in_blocked(request: HttpRequest, username: str) -> bool:
    try:
        counts = cache.get_many(_keys(request, username))
    except Exception as error:  # no counts to read: let the attempt through
        log.warning("sign-in limiter unavailable: %s", error)
        return False
    return any(count >= settings.SIGN_IN_MAX_FAILURES for count in counts.values())


def sign_in_failed(request: HttpRequest, username: str) -> None:
    try:
        for key in _keys(request, username):
            # add() starts a window only if none is open; incr() then counts atomically within it.
            cache.add(key, 0, timeout=settings.SIGN_IN_WINDOW_SECONDS)
            cache.incr(key)
    except Exception as error:  # as above
        log.warning("sign-in limiter unavailable: %s", error)


class SignInView(LoginView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        if sign_in_blocked(request, username):
            # The password is not even checked: a blocked guess learns nothing, and costs no hashing.
            minutes = max(settings.SIGN_IN_WINDOW_SECONDS // 60, 1)
            form = self.get_form_class()(request, initial={"username": username})
            blocked = f"Too many failed sign-ins. Try again in {minutes} minutes."
            response = self.render_to_response(self.get_context_data(form=form, blocked=blocked), status=429)
            response["Retry-After"] = str(settings.SIGN_IN_WINDOW_SECONDS)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        sign_in_failed(self.request, self.request.POST.get("username", ""))
        return super().form_invalid(form)
