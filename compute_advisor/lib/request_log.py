"""One log line per request, with its duration and an id that also goes back in the X-Request-ID header,
so a user's report of a failure can be matched to the server's log."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from compute_advisor.lib.client_address import client_address

log = logging.getLogger("compute_advisor.requests")

# An id from a proxy is kept only if it looks like one: it is written into logs verbatim.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _SAFE_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        user = getattr(request, "user", None)
        status = response.status_code
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        log.log(
            logging.WARNING if status >= 500 else logging.INFO,
            "%s %s %s %.1f ms",
            request.method,
            request.path,
            status,
            duration_ms,
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.path,
                "status": status,
                "duration_ms": duration_ms,
                "client": client_address(request),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response
