"""Throttling that survives its cache: with Redis unreachable, requests are let through rather than failed.

Anonymous clients are counted by address (`anon`), signed-in ones by account (`user`, a higher rate).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

if TYPE_CHECKING:  # DRF imports this module while rest_framework.views is still loading
    from rest_framework.request import Request
    from rest_framework.views import APIView

log = logging.getLogger(__name__)


class AnonThrottle(AnonRateThrottle):
    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as error:  # the request history lives in the cache; without it nothing can be counted
            log.warning("throttle cache unavailable, request let through: %s", error)
            return True


class UserThrottle(UserRateThrottle):
    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None  # anonymous requests are AnonThrottle's
        return super().get_cache_key(request, view)

    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as error:  # as above
            log.warning("throttle cache unavailable, request let through: %s", error)
            return True
