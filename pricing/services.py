"""Writes to price snapshots. A snapshot is built whole and activated in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from pricing.models import Price, PriceSnapshot, PriceSource
from pricing.rows import PriceRow, SourceRef, rows_checksum
from pricing.seedfile import read_seed_file
from pricing.selectors import price_snapshot_active_forget

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SeedLoadResult:
    snapshot: PriceSnapshot
    created: bool


def prices_insert(
    *, snapshot: PriceSnapshot, rows: Iterable[PriceRow | Price], source_for: Callable[[Any], PriceSource | None]
) -> int:
    """Write price rows (normalised rows, or another snapshot's prices) into `snapshot`."""
    count = 0

    def build() -> Iterator[Price]:
        nonlocal count
        for row in rows:
            count += 1
            yield Price(
                snapshot=snapshot,
                service_code=row.service_code,
                region=row.region,
                key=row.key,
                unit=row.unit,
                usd=row.usd,
                description=row.description,
                attributes=row.attributes,
                source=source_for(row),
            )

    Price.objects.bulk_create(build(), batch_size=1000)
    return count


@transaction.atomic
def price_snapshot_create(
    *,
    source: str,
    as_of: date,
    title: str,
    sources: list[SourceRef],
    rows: list[PriceRow],
    checksum: str | None = None,
    notes: str = "",
) -> PriceSnapshot:
    """Write a complete snapshot in state `building`. Nothing reads it until it is activated."""
    snapshot = PriceSnapshot.objects.create(
        source=source,
        as_of=as_of,
        title=title,
        status=PriceSnapshot.Status.BUILDING,
        checksum=checksum or rows_checksum(as_of=as_of, sources=sources, rows=rows),
        row_count=len(rows),
        notes=notes,
    )
    by_ref = {
        ref.ref: PriceSource.objects.create(
            snapshot=snapshot,
            ref=ref.ref,
            title=ref.title,
            url=ref.url,
            data_date=ref.data_date,
            notes=ref.notes,
        )
        for ref in sources
    }
    prices_insert(snapshot=snapshot, rows=rows, source_for=lambda row: by_ref.get(row.source_ref))
    return snapshot


@transaction.atomic
def price_snapshot_activate(*, snapshot: PriceSnapshot) -> PriceSnapshot:
    """Make `snapshot` the one the app prices with; the previous active one is kept as superseded."""
    snapshot = PriceSnapshot.objects.select_for_update().get(pk=snapshot.pk)
    if snapshot.status == PriceSnapshot.Status.ACTIVE:
        return snapshot
    if snapshot.status != PriceSnapshot.Status.BUILDING and snapshot.status != PriceSnapshot.Status.SUPERSEDED:
        raise ValueError(f"snapshot #{snapshot.pk} is {snapshot.status} and cannot be activated")
    PriceSnapshot.objects.select_for_update().filter(status=PriceSnapshot.Status.ACTIVE).update(
        status=PriceSnapshot.Status.SUPERSEDED
    )
    snapshot.status = PriceSnapshot.Status.ACTIVE
    snapshot.activated_at = timezone.now()
    snapshot.save(update_fields=["status", "activated_at"])
    transaction.on_commit(price_snapshot_active_forget)
    return snapshot


def price_snapshot_load_seed(*, path: Path | str) -> SeedLoadResult:
    """Load the seed file as a new active snapshot, unless the same content was loaded before.

    The file is read and checked before anything is written (a bad file raises SeedFileError), and
    the write and activation share one transaction: a load that fails half-way leaves the previous
    active snapshot active.
    """
    seed = read_seed_file(path)
    with transaction.atomic():
        existing = (
            PriceSnapshot.objects.filter(source=PriceSnapshot.Source.SEED, checksum=seed.checksum)
            .exclude(status=PriceSnapshot.Status.FAILED)
            .first()
        )
        if existing is not None:
            return SeedLoadResult(snapshot=existing, created=False)
        snapshot = price_snapshot_create(
            source=PriceSnapshot.Source.SEED,
            as_of=seed.as_of,
            title=seed.title,
            sources=seed.sources,
            rows=seed.rows,
            checksum=seed.checksum,
        )
        snapshot = price_snapshot_activate(snapshot=snapshot)
    logger.info("seed snapshot #%s loaded: %s prices", snapshot.pk, snapshot.row_count)
    return SeedLoadResult(snapshot=snapshot, created=True)
