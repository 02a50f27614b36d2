"""The client's address, for limits and logs.

Behind proxies, REMOTE_ADDR is the nearest proxy's. Each proxy appends the address it saw to
X-Forwarded-For, so with TRUSTED_PROXY_COUNT proxies in front of the app the client is the entry that many
places from the right; anything further left was written by the client and cannot be trusted.
DRF's throttles follow the same rule (its NUM_PROXIES is set from the same setting).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not hops:
        return remote
    return hops[-min(proxies, len(hops))]
