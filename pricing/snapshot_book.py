"""The engine's PriceBook over price snapshots: from the database, or straight from a seed file."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from compute_advisor.engine.pricebook import DictPriceBook, Price, SnapshotInfo
from pricing.seedfile import read_seed_file


def seed_price_book(path: Path | str, region: str) -> DictPriceBook:
    """A price book for one region straight from a seed file: no database (engine tests, CLI --seed)."""
    books = _seed_books(str(path))
    empty = DictPriceBook(region=region, snapshot=next(iter(books.values())).snapshot, prices={})
    return books.get(region, empty)


@lru_cache(maxsize=4)
def _seed_books(path: str) -> dict[str, DictPriceBook]:
    seed = read_seed_file(path)
    info = SnapshotInfo(id=f"seed-{seed.checksum[:12]}", source="seed", as_of=seed.as_of)
    by_region: dict[str, dict[tuple[str, str], Price]] = {}
    for row in seed.rows:
        by_region.setdefault(row.region, {})[(row.service_code, row.key)] = Price(
            usd=row.usd,
            unit=row.unit,
            description=row.description,
            source=row.source_ref,
            attributes=row.attributes,
        )
    return {region: DictPriceBook(region=region, snapshot=info, prices=prices) for region, prices in by_region.items()}


def snapshot_price_book(snapshot: object, region: str) -> DictPriceBook:
    """A price book for one region of a stored snapshot, read in one query."""
    from pricing.models import Price as PriceRow
    from pricing.models import PriceSnapshot

    assert isinstance(snapshot, PriceSnapshot)
    rows = PriceRow.objects.filter(snapshot=snapshot, region=region).values_list(
        "service_code", "key", "usd", "unit", "description", "source__ref", "attributes"
    )
    prices = {
        (service, key): Price(
            usd=Decimal(usd),
            unit=unit,
            description=description,
            source=source or "",
            attributes=attributes or {},
        )
        for service, key, usd, unit, description, source, attributes in rows
    }
    info = SnapshotInfo(id=str(snapshot.pk), source=snapshot.source, as_of=snapshot.as_of)
    return DictPriceBook(region=region, snapshot=info, prices=prices)
