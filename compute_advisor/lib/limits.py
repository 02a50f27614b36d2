"""Limits on expensive work: a count per client in a time window, and a bound on concurrent renders.

Counts live in the cache (Redis in production). An unreachable cache lets the work through rather than
failing everyone, as the throttles and the sign-in limiter do.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from compute_advisor.lib.client_address import client_address

log = logging.getLogger(__name__)
SHARED_SLOTS_TTL = 120  # longer than any render takes


class Refused(Exception):
    """Work refused for now, with a 429 and when to retry: this client's share is used, or every slot is busy
    (a 429 too, not a 503: the server is well, this kind of work is rationed)."""

    def __init__(self, message: str, *, status: int, retry_after: int) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


def client_key(request: HttpRequest) -> str:
    """Who a limit counts: the account when signed in, else the client's address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"addr:{client_address(request)}"


def take(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one more use of `key` in its window; False when that makes more than `limit`."""
    try:
        cache.add(key, 0, timeout=window_seconds)  # opens a window only if none is open
        return int(cache.incr(key)) <= limit
    except Exception as error:  # nothing to count with: let it through
        log.warning("limit counter unavailable, let through: %s", error)
        return True


_slots_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None


def _render_slots() -> threading.BoundedSemaphore:
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(settings.PDF_CONCURRENT_RENDERS)
        return _slots


@contextmanager
def render_slot(client: str | None) -> Iterator[None]:
    """Hold one of the process's few PDF render slots, so PDFs never take every thread from the cheap pages.

    A client (None: a background job) may start PDF_RENDERS_PER_MINUTE renders a minute; a render waits at
    most PDF_QUEUE_SECONDS for a slot (0 by default: a waiting request would hold a web thread that cheap
    pages need), then is refused with a 429 and a Retry-After."""
    if client is not None and not take(
        f"pdf-renders:{client}", limit=settings.PDF_RENDERS_PER_MINUTE, window_seconds=60
    ):
        raise Refused(
            f"Too many PDF reports: at most {settings.PDF_RENDERS_PER_MINUTE} a minute. Try again in a minute.",
            status=429,
            retry_after=60,
        )
    busy = Refused("Every PDF renderer is busy. Try again in a few seconds.", status=429, retry_after=5)
    deadline = time.monotonic() + settings.PDF_QUEUE_SECONDS
    slots = _render_slots()
    waits = settings.PDF_QUEUE_SECONDS
    if not (slots.acquire(timeout=waits) if waits > 0 else slots.acquire(blocking=False)):
        raise busy
    try:
        while not _shared_slot_taken():
            if time.monotonic() >= deadline:
                raise busy
            time.sleep(0.2)
        try:
            yield
        finally:
            _shared_slot_release()
    finally:
        slots.release()


SHARED_SLOTS_KEY = "pdf-renders-running"


def _shared_slot_taken() -> bool:
    """One of PDF_RENDERS_AT_ONCE slots shared by every process (the machine's cores, not each process's
    threads, are what renders use up). The count expires, so a process killed mid-render frees its slot."""
    try:
        cache.add(SHARED_SLOTS_KEY, 0, timeout=SHARED_SLOTS_TTL)
        if int(cache.incr(SHARED_SLOTS_KEY)) <= settings.PDF_RENDERS_AT_ONCE:
            cache.touch(SHARED_SLOTS_KEY, SHARED_SLOTS_TTL)
            return True
        cache.decr(SHARED_SLOTS_KEY)
        return False
    except Exception as error:  # no shared count: the process's own slots still bound it
        log.warning("shared render slots unavailable: %s", error)
        return True


def _shared_slot_release() -> None:
    try:
        if int(cache.decr(SHARED_SLOTS_KEY)) < 0:
            cache.set(SHARED_SLOTS_KEY, 0, timeout=SHARED_SLOTS_TTL)
    except Exception as error:  # the key expired or the cache is gone: nothing to give back
        log.debug("shared render slot not released: %s", error)
