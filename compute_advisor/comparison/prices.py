"""Which snapshot prices a request, and its price book for a region: the one place that says "no prices"."""

from __future__ import annotations

from functools import lru_cache

from compute_advisor.engine import ScenarioError
from compute_advisor.engine.price_keys import PriceKey
from compute_advisor.engine.pricebook import DictPriceBook
from pricing.models import PriceSnapshot
from pricing.selectors import price_snapshot_active, price_snapshot_regions, price_snapshots_servable
from pricing.snapshot_book import snapshot_price_book


class NoPrices(Exception):
    """No snapshot to price with (none loaded, or the one asked for does not exist or may not be served)."""


def snapshot_for(snapshot_id: int | str | None) -> PriceSnapshot:
    """The snapshot asked for by id, or the active one. Only the active snapshot and the ones it replaced are
    served: a building one is unfinished and a refused one failed validation, so either answers like a
    snapshot that does not exist."""
    if snapshot_id in (None, ""):
        snapshot = price_snapshot_active()
        if snapshot is None:
            raise NoPrices("No price snapshot is active: run `python manage.py load_seed_prices` first.")
        return snapshot
    try:
        return price_snapshots_servable().get(pk=int(str(snapshot_id)))
    except (PriceSnapshot.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NoPrices(f"There is no price snapshot {str(snapshot_id)[:40]!r}.") from None


@lru_cache(maxsize=64)
def _book(snapshot_id: int, created_at: str, region: str) -> DictPriceBook:
    # Snapshots never change once written, so a book read once stays right for the process's life.
    # (The creation time is in the key too: a test database hands out the same ids again.)
    return snapshot_price_book(PriceSnapshot.objects.get(pk=snapshot_id), region)


def price_book_for(snapshot: PriceSnapshot, region: str, *, field: str = "region") -> DictPriceBook:
    """The snapshot's prices for `region`; ScenarioError at `field` when it has none there."""
    book = _book(snapshot.pk, snapshot.created_at.isoformat(), region)
    if book.is_empty():
        regions = ", ".join(price_snapshot_regions(snapshot=snapshot)) or "none"
        raise ScenarioError({field: [f"snapshot #{snapshot.pk} has no prices for {region}; it has {regions}"]})
    return book


def rate_hint(snapshot: PriceSnapshot | None, region: str, key: PriceKey) -> str:
    """ "$0.005 an hour in us-east-1": a rate as the snapshot has it, for a help text ("" when it has none)."""
    if snapshot is None:
        return ""
    try:
        price = price_book_for(snapshot, region).get(*key.at())
    except ScenarioError:
        return ""
    if price is None:
        return ""
    per = {"Hrs": "an hour"}.get(price.unit, f"per {price.unit}")
    return f"${price.usd.normalize():f} {per} in {region} (snapshot #{snapshot.pk})"
