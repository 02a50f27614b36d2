"""Priced results kept in the cache (Redis in production), keyed by the normalised scenario and the snapshot.

A snapshot never changes once written, so a key that names the snapshot never goes stale on new prices: a new
snapshot simply has new keys. The key also carries a digest of every file that can change a price besides the
snapshot (`PRICING_INPUTS`: the engine's code, reference data and price-key registry), so a deployment that changes
how things are priced does not serve results the old code computed.

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

import compute_advisor.engine
import pricing.snapshot_book
from compute_advisor.engine import Result, Scenario
from compute_advisor.lib.cache_or_compute import cache_or_compute
from pricing.models import PriceSnapshot

# Everything besides the snapshot (which the key names on its own) that can change a price: the engine's code,
# its reference data and its price-key registry (all under engine/), and the module that turns a snapshot's
# rows into the engine's price book. Every file under these counts, whatever its kind, so a data file added
# beside the others is covered too; only Python's byte-code caches are left out.
PRICING_INPUTS = [Path(compute_advisor.engine.__file__).parent, Path(pricing.snapshot_book.__file__)]
# Paths are named relative to the directory that holds both packages, so the digest is the same on every
# machine that runs the same code.
INPUTS_ROOT = Path(compute_advisor.engine.__file__).parents[2]


def pricing_input_files(inputs: list[Path] | None = None) -> list[Path]:
    """The files `engine_digest` covers, in a stable order."""
    files: set[Path] = set()
    for root in PRICING_INPUTS if inputs is None else inputs:
        candidates = root.rglob("*") if root.is_dir() else [root]
        files.update(
            path
            for path in candidates
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".pyc", ".pyo"}
        )
    return sorted(files)


def pricing_inputs_digest(inputs: list[Path] | None = None, *, root: Path = INPUTS_ROOT) -> str:
    digest = hashlib.sha256()
    for path in pricing_input_files(inputs):
        name, content = path.relative_to(root).as_posix().encode(), path.read_bytes()
        # Lengths first, so that no two different sets of files can feed the hash the same bytes.
        digest.update(f"{len(name)}:{len(content)}:".encode())
        digest.update(name)
        digest.update(content)
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def engine_digest() -> str:
    return pricing_inputs_digest()


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
