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

from pricing.freshness import snapshot_age_days, snapshot_is_stale
from pricing.selectors import price_snapshot_active

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
    from compute_advisor.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
        return {"transport": conn.transport.driver_type}


def _snapshot() -> dict[str, Any]:
    snapshot = price_snapshot_active()
    if snapshot is None:
        raise LookupError("no price snapshot is active")
    age = snapshot_age_days(snapshot)
    return {
        "id": snapshot.pk,
        "as_of": snapshot.as_of.isoformat(),
        "age_days": age,
        "max_age_days": settings.PRICE_SNAPSHOT_MAX_AGE_DAYS,
        "stale": snapshot_is_stale(age),
    }


def health_report() -> tuple[bool, dict[str, Any]]:
    """(ready, report). Ready means the essential checks pass; the rest may be degraded."""
    checks = {"database": _timed(_database)}
    checks["cache"] = _timed(_cache)
    checks["broker"] = _timed(_broker)
    checks["snapshot"] = _timed(_snapshot) if checks["database"]["ok"] else {"ok": False, "error": "no database"}
    ready = all(checks[name]["ok"] for name in ESSENTIAL)
    degraded = not all(check["ok"] for check in checks.values()) or checks["snapshot"].get("stale", False)
    status = "down" if not ready else "degraded" if degraded else "ok"
    return ready, {"status": status, "checks": checks}
