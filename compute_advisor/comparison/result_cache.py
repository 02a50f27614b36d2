"""Priced results kept in the cache (Redis in production), keyed by the normalised scenario and the snapshot.

A snapshot never changes once written, so a key that names the snapshot never goes stale on new prices: a new
snapshot simply has new keys. The key also carries a digest of the engine's code and reference data, so a
deployment that changes how things are priced does not serve results the old code computed.

The cache only ever saves work: when it is unreachable, results are computed as if it were empty.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from compute_advisor.engine import Result, Scenario
from compute_advisor.lib.cache_or_compute import cache_or_compute
from pricing.models import PriceSnapshot

PACKAGE = Path(__file__).resolve().parents[1]
PRICING_INPUTS = [PACKAGE / "engine", PACKAGE / "catalog" / "data"]


@lru_cache(maxsize=1)
def engine_digest() -> str:
    digest = hashlib.sha256()
    for root in PRICING_INPUTS:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".py", ".json", ".csv"}):
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _canonical_number(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 1, 1.0 and 1.00 are one amount
    raise TypeError(f"{type(value).__name__} in a scenario")


def result_key(scenario: Scenario, snapshot: PriceSnapshot) -> str:
    """Equivalent scenarios ("1", "1.0", defaults written out or left off, any name) share a key."""
    priced = scenario.model_dump(exclude={"name"})  # the name changes no price
    normalised = json.dumps(priced, sort_keys=True, separators=(",", ":"), default=_canonical_number)
    scenario_digest = hashlib.sha256(normalised.encode()).hexdigest()
    return f"result:{engine_digest()}:{snapshot_tag(snapshot)}:{scenario_digest}"


def snapshot_tag(snapshot: PriceSnapshot) -> str:
    # The creation time tells apart snapshots that reuse an id (a database restored or rebuilt).
    return f"{snapshot.pk}.{int(snapshot.created_at.timestamp() * 1_000_000)}"


def cached_result(scenario: Scenario, snapshot: PriceSnapshot, compute: Callable[[], Result]) -> Result:
    return cache_or_compute(result_key(scenario, snapshot), compute, seconds=settings.RESULT_CACHE_SECONDS, kind=Result)
