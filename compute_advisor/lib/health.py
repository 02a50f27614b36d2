"""Readiness: can this instance serve? The database, the cache, the Celery broker and the prices' age.

Only the database is essential: without the cache the app computes everything, and without the broker
it cannot refresh prices but still compares. Each check is bounded in time so a dead dependency makes the
report slow by at most a second, never hangs it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection

ESSENTIAL = {"database"}


def _timed(check: Callable[[], dict[str, Any] | None]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        details = check() or {}
        status: dict[str, Any] = {"ok": True, **details}
    except Exception as error:  # a failing dependency is what this reports, whatever the exception
        status = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    status["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return status


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _cache() -> dict[str, Any]:
    key = "health:probe"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was stored")
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _broker() -> dict[str, Any]:
    # The project's Celery app, made current when Django loaded it (pricing's AppConfig.ready).
    from celery import current_app

    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
        return {"transport": conn.transport.driver_type}


def health_report(*, snapshot: Callable[[], dict[str, Any]]) -> tuple[bool, dict[str, Any]]:
    """(ready, report). Ready means the essential checks pass; the rest may be degraded. `snapshot` checks the
    active prices (pricing.freshness.snapshot_health): its report may say "stale"."""
    checks = {"database": _timed(_database)}
    checks["cache"] = _timed(_cache)
    checks["broker"] = _timed(_broker)
    checks["snapshot"] = _timed(snapshot) if checks["database"]["ok"] else {"ok": False, "error": "no database"}
    ready = all(checks[name]["ok"] for name in ESSENTIAL)
    degraded = not all(check["ok"] for check in checks.values()) or checks["snapshot"].get("stale", False)
    status = "down" if not ready else "degraded" if degraded else "ok"
    return ready, {"status": status, "checks": checks}
