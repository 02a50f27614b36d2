"""Answers for requests the app cannot serve: NUL characters in parameters (400), and a database that cannot
be reached (503), each as a clear page, or JSON for the API, never a 500."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
MESSAGE = "The database is not reachable just now. Nothing you saved is lost; please try again in a minute."


def _refusal(
    request: HttpRequest, message: str, status: int, page: Callable[[], str], content_type: str | None = None
) -> HttpResponse:
    """The API's error shape for API clients (see api/errors.py), a page for everyone else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": {"": [message]}}, status=status)
    return HttpResponse(page(), status=status, content_type=content_type)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.error("database unavailable for %s %s: %s", request.method, request.path, exception)
        # The page renders without a request context: its processors would ask the database again.
        response = _refusal(request, MESSAGE, 503, lambda: render_to_string("503.html", {"message": MESSAGE}))
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


NUL_MESSAGE = "Parameters must not contain NUL (\\u0000) characters."


class RejectNulMiddleware:
    """No field holds a NUL character and PostgreSQL refuses to store or compare one: refuse it at the door."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return _refusal(request, NUL_MESSAGE, 400, lambda: NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _has_nul(request: HttpRequest) -> bool:
    sources = [request.GET]
    if request.method == "POST" and request.content_type in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        sources.append(request.POST)
    return any("\x00" in key or any("\x00" in v for v in values) for data in sources for key, values in data.lists())
