"""Read-through caching that only ever saves work: an unreachable cache (Redis down, a timeout) is treated
as an empty one, so callers get their value computed instead of an error."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

log = logging.getLogger(__name__)
T = TypeVar("T")
MISSING = object()


def cache_get(key: str) -> Any:
    """The cached value, or MISSING (also when the cache cannot be reached)."""
    try:
        return cache.get(key, MISSING)
    except Exception as error:  # any cache failure means "not cached"
        log.warning("cache unavailable, computing instead: %s", error)
        return MISSING


def cache_put(key: str, value: object, seconds: int) -> None:
    try:
        cache.set(key, value, timeout=seconds)
    except Exception as error:  # the value is already computed; only the saving is lost
        log.warning("cache unavailable, not stored: %s", error)


def cache_or_compute(key: str, compute: Callable[[], T], *, seconds: int, kind: type[T]) -> T:
    """The cached value under `key` if it is a `kind`, else `compute()`, stored for `seconds` (0: not cached)."""
    if seconds <= 0:
        return compute()
    hit = cache_get(key)
    if isinstance(hit, kind):
        return hit
    value = compute()
    cache_put(key, value, seconds)
    return value
