"""How old the prices are: a snapshot's age counts from the date its prices were published or captured."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings

from pricing.models import PriceSnapshot
from pricing.selectors import price_snapshot_active


def snapshot_age_days(snapshot: PriceSnapshot, *, today: date | None = None) -> int:
    today = today or datetime.now(UTC).date()
    return max((today - snapshot.as_of).days, 0)


def snapshot_is_stale(age_days: int) -> bool:
    """Older than the site allows (PRICE_SNAPSHOT_MAX_AGE_DAYS): pages show a banner, /health says degraded."""
    return age_days > settings.PRICE_SNAPSHOT_MAX_AGE_DAYS


def snapshot_health() -> dict[str, Any]:
    """The readiness report's check of the active prices: which, how old, and whether that is stale."""
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
