"""Sign-in with a limit on failed attempts that slows guessing without letting a stranger lock anyone out.

Failures are counted per client address and user name together, and per client address alone (one address
trying many names). Up to SIGN_IN_MAX_FAILURES failures in the window (five times that for an address alone)
cost nothing; beyond, each attempt waits a delay that doubles with each failure, from 1 second up to the
window: a 429 with Retry-After, not a lock. Nobody's failures slow a sign-in from another address, so a
stranger cannot lock a named user out. The counts live in the cache (Redis in production); if it is
unreachable, sign-in still works, unlimited, rather than locking everyone out. The admin's login is limited
the same way.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from compute_advisor.lib.client_address import client_address

log = logging.getLogger(__name__)
ADDRESS_ALONE_FACTOR = 5


def _limits(request: HttpRequest, username: str) -> dict[str, int]:
    """Each counter's cache key, beside the failures it allows before attempts wait."""
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    address = client_address(request)
    allowed = settings.SIGN_IN_MAX_FAILURES
    return {
        f"sign-in-failures:pair:{address}:{name}": allowed,
        f"sign-in-failures:addr:{address}": allowed * ADDRESS_ALONE_FACTOR,
    }


def _delay(failures: int, allowed: int) -> float:
    if failures < allowed:
        return 0.0
    return float(min(2 ** min(failures - allowed, 30), settings.SIGN_IN_WINDOW_SECONDS))


def sign_in_wait(request: HttpRequest, username: str) -> int:
    """Seconds this attempt must still wait (0: it may go ahead)."""
    limits = _limits(request, username)
    try:
        states = cache.get_many(list(limits))
    except Exception as error:  # no counts to read: let the attempt through
        log.warning("sign-in limiter unavailable: %s", error)
        return 0
    now = time.time()
    wait = 0.0
    for key, allowed in limits.items():
        state = states.get(key)
        if isinstance(state, dict):
            wait = max(wait, state["last"] + _delay(state["count"], allowed) - now)
    return math.ceil(wait) if wait > 0 else 0


def sign_in_failed(request: HttpRequest, username: str) -> None:
    try:
        states = cache.get_many(list(_limits(request, username)))
        now = time.time()
        cache.set_many(
            {
                key: {"count": (state["count"] if isinstance(state := states.get(key), dict) else 0) + 1, "last": now}
                for key in _limits(request, username)
            },
            timeout=settings.SIGN_IN_WINDOW_SECONDS,
        )
    except Exception as error:  # as above
        log.warning("sign-in limiter unavailable: %s", error)


class FailureLimited(LoginView):
    """A login view whose failed attempts are counted, and whose attempts wait once there are too many."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        wait = sign_in_wait(request, username)
        if wait:
            # The password is not even checked: a waiting guess learns nothing, and costs no hashing.
            form = self.get_form_class()(request, initial={"username": username})
            seconds = f"{wait} second{'s' if wait != 1 else ''}"
            blocked = f"Too many failed sign-ins. Try again in {seconds}."
            context = self.get_context_data(form=form, blocked=blocked)
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        sign_in_failed(self.request, self.request.POST.get("username", ""))
        return super().form_invalid(form)


class SignInView(FailureLimited):
    pass


class AdminSignInView(FailureLimited):
    """The admin's login page, with the same limit (Django's own has none)."""

    authentication_form = AdminAuthenticationForm
    template_name = "admin/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(admin.site.each_context(self.request))
        context.setdefault("title", "Log in")
        if context.get("blocked"):
            messages.error(self.request, context["blocked"])  # the admin's page shows messages, not `blocked`
        return context

    def get_default_redirect_url(self) -> str:
        return reverse("admin:index")
