"""Read-through caching that only ever saves work: an unreachable cache (Redis down, a timeout) is treated
as an empty one, so callers get their value computed instead of an error."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

log = logging.getLogger(__name__)
T = TypeVar("T")


def cache_or_compute(key: str, compute: Callable[[], T], *, seconds: int, kind: type[T]) -> T:
    """The cached value under `key` if it is a `kind`, else `compute()`, stored for `seconds` (0: not cached)."""
    if seconds <= 0:
        return compute()
    try:
        hit = cache.get(key)
    except Exception as error:  # any cache failure means "not cached"
        log.warning("cache unavailable, computing instead: %s", error)
        return compute()
    if isinstance(hit, kind):
        return hit
    value = compute()
    try:
        cache.set(key, value, timeout=seconds)
    except Exception as error:  # the value is already computed; only the saving is lost
        log.warning("cache unavailable, not stored: %s", error)
    return value
