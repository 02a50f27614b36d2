"""Refreshing prices: build a new snapshot part by part, then validate and activate it in one go.

Every part (one service in one region) is idempotent: it replaces its own rows in the building
snapshot, so a part redone after a worker died is harmless. Only `refresh_finish` can activate, and it
does so only for a complete, validated snapshot; anything else leaves the active snapshot as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from compute_advisor.engine import price_keys
from pricing.models import Price, PriceRefresh, PriceRefreshPart, PriceSnapshot, PriceSource
from pricing.normalize import Tally
from pricing.price_list_items import SERVICES
from pricing.rows import PriceRow, SourceRef
from pricing.selectors import price_snapshot_active
from pricing.services import price_snapshot_activate, prices_insert

logger = logging.getLogger(__name__)

# Prices without which the engine cannot price its main options in a region (the price-key registry's
# required entries); a snapshot missing one of them for a region the refresh covered is not activated.
REQUIRED_KEYS = price_keys.required()
# A part must bring at least this share of the rows the previous snapshot had for it.
MIN_ROW_SHARE = 0.5

Fetcher = Callable[[PriceRefreshPart, Tally, Callable[[int], None]], tuple[SourceRef, list[PriceRow]]]


class RefreshRefused(Exception):
    """The new snapshot failed validation; the message says what was wrong."""


def refresh_start(
    *,
    source: str,
    regions: list[str] | None = None,
    services: list[str] | None = None,
    offer_files: dict[tuple[str, str], str] | None = None,
    requested_by: str = "",
) -> PriceRefresh:
    """Create the building snapshot and one pending part per service and region (or per offer file)."""
    if offer_files:
        parts = sorted(offer_files)
    else:
        regions = list(regions or settings.PRICING_REGIONS)
        services = list(services or SERVICES)
        unknown = sorted(set(services) - set(SERVICES))
        if unknown:
            raise ValueError(f"unknown service(s): {', '.join(unknown)}; known: {', '.join(SERVICES)}")
        parts = [(service, region) for service in services for region in regions]
    snapshot_source = PriceSnapshot.Source.QUERY_API if source == "query" else PriceSnapshot.Source.BULK_API
    with transaction.atomic():
        snapshot = PriceSnapshot.objects.create(
            source=snapshot_source,
            as_of=timezone.localdate(),  # TIME_ZONE is UTC: the day the sources are read
            title=f"Refresh from the AWS Price List ({PriceRefresh.Source(source).label})",
            status=PriceSnapshot.Status.BUILDING,
            checksum="",
        )
        refresh = PriceRefresh.objects.create(
            snapshot=snapshot,
            source=source,
            regions=sorted({r for _, r in parts}),
            services=sorted({s for s, _ in parts}),
            requested_by=requested_by,
        )
        PriceRefreshPart.objects.bulk_create(
            PriceRefreshPart(
                refresh=refresh,
                service_code=service,
                region=region,
                offer_file=(offer_files or {}).get((service, region), ""),
            )
            for service, region in parts
        )
    return refresh


@dataclass(frozen=True)
class PartOutcome:
    rows: int
    rejected: int


def refresh_part_run(
    *, part: PriceRefreshPart, fetch: Fetcher, progress: Callable[[int], None] | None = None
) -> PartOutcome:
    """Fetch one part and write its rows into the building snapshot, replacing any earlier attempt."""
    PriceRefreshPart.objects.filter(pk=part.pk).update(
        status=PriceRefreshPart.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1, error=""
    )
    tally = Tally()
    counted = 0

    def step(rows: int) -> None:
        nonlocal counted
        counted += rows
        if progress:
            progress(rows)
        # Progress for the page, without a write per row.
        if counted % 500 < rows:
            PriceRefreshPart.objects.filter(pk=part.pk).update(rows=counted)

    source, rows = fetch(part, tally, step)
    rows = [row for row in rows if row.service_code == part.service_code and row.region == part.region]
    if not rows:
        raise RefreshRefused(f"{part.service_code} {part.region}: the source gave no prices we use")
    snapshot = part.refresh.snapshot
    with transaction.atomic():
        Price.objects.filter(snapshot=snapshot, service_code=part.service_code, region=part.region).delete()
        source_row, _ = PriceSource.objects.update_or_create(
            snapshot=snapshot,
            ref=source.ref,
            defaults={
                "title": source.title[:300],
                "url": source.url,
                "data_date": source.data_date,
                "notes": source.notes,
            },
        )
        unique = {row.identity: row for row in rows}
        prices_insert(snapshot=snapshot, rows=unique.values(), source_for=lambda row: source_row)
        PriceRefreshPart.objects.filter(pk=part.pk).update(
            status=PriceRefreshPart.Status.DONE,
            rows=len(unique),
            skipped=tally.skipped,
            rejected=tally.rejected,
            rejected_reasons=tally.reasons,
            finished_at=timezone.now(),
        )
    return PartOutcome(rows=len(unique), rejected=tally.rejected)


def refresh_part_fail(*, part: PriceRefreshPart, error: str) -> None:
    PriceRefreshPart.objects.filter(pk=part.pk).update(
        status=PriceRefreshPart.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def _carry_over(snapshot: PriceSnapshot, previous: PriceSnapshot, fresh: set[tuple[str, str]]) -> int:
    """Copy from the previous snapshot every price this refresh did not bring, with its source."""
    have = set(snapshot.prices.values_list("service_code", "region", "key"))
    sources: dict[int, PriceSource] = {}

    def source_for(price: Price) -> PriceSource | None:
        if price.source is None:
            return None
        if price.source.pk not in sources:
            sources[price.source.pk], _ = PriceSource.objects.get_or_create(
                snapshot=snapshot,
                ref=price.source.ref,
                defaults={
                    "title": price.source.title,
                    "url": price.source.url,
                    "data_date": price.source.data_date,
                    "notes": price.source.notes,
                },
            )
        return sources[price.source.pk]

    missing = (
        price
        for price in previous.prices.select_related("source")
        if (price.service_code, price.region, price.key) not in have
    )
    return prices_insert(snapshot=snapshot, rows=missing, source_for=source_for)


def _validate(snapshot: PriceSnapshot, previous: PriceSnapshot | None, refresh: PriceRefresh) -> None:
    problems = []
    if snapshot.prices.filter(usd__lt=0).exists():
        problems.append("negative prices")
    if previous is not None:
        previous_counts = {
            (row["service_code"], row["region"]): row["n"]
            for row in previous.prices.values("service_code", "region").annotate(n=Count("id"))
        }
        for part in refresh.parts.all():
            before = previous_counts.get((part.service_code, part.region), 0)
            if before and part.rows < before * MIN_ROW_SHARE:
                problems.append(
                    f"{part.service_code} {part.region} brought {part.rows} prices, fewer than half of the "
                    f"{before} in snapshot #{previous.pk}"
                )
    have = set(snapshot.prices.values_list("service_code", "region", "key"))
    for service, region in refresh.parts.values_list("service_code", "region"):
        for required_service, key in REQUIRED_KEYS:
            if required_service == service and (service, region, key) not in have:
                problems.append(f"{service} {key} is missing for {region}")
    if problems:
        raise RefreshRefused("; ".join(problems))


def refresh_finish(*, refresh: PriceRefresh) -> PriceRefresh:
    """Carry over what was not refreshed, validate, and activate in one transaction; or record why not."""
    refresh.refresh_from_db()
    if refresh.status != PriceRefresh.Status.RUNNING:
        return refresh  # finished already (a redelivered callback)
    failed = list(refresh.parts.exclude(status=PriceRefreshPart.Status.DONE))
    snapshot = refresh.snapshot
    try:
        if failed:
            raise RefreshRefused("; ".join(f"{p.service_code} {p.region}: {p.error or p.status}" for p in failed))
        with transaction.atomic():
            previous = price_snapshot_active()
            fresh = set(refresh.parts.values_list("service_code", "region"))
            carried = _carry_over(snapshot, previous, fresh) if previous else 0
            _validate(snapshot, previous, refresh)
            rows = snapshot.prices.count()
            snapshot.row_count = rows
            snapshot.notes = (
                f"Fresh from the AWS Price List: {', '.join(f'{s} {r}' for s, r in sorted(fresh))}. "
                f"{carried} prices carried over from snapshot #{previous.pk if previous else '-'}."
            )
            snapshot.checksum = f"refresh-{refresh.pk}"
            snapshot.save(update_fields=["row_count", "notes", "checksum"])
            price_snapshot_activate(snapshot=snapshot)
            refresh.status = PriceRefresh.Status.SUCCEEDED
            refresh.finished_at = timezone.now()
            refresh.save(update_fields=["status", "finished_at"])
        logger.info("refresh #%s activated snapshot #%s (%s prices)", refresh.pk, snapshot.pk, rows)
    except RefreshRefused as exc:
        PriceSnapshot.objects.filter(pk=snapshot.pk).update(status=PriceSnapshot.Status.FAILED, notes=str(exc)[:2000])
        PriceRefresh.objects.filter(pk=refresh.pk).update(
            status=PriceRefresh.Status.FAILED, error=str(exc)[:4000], finished_at=timezone.now()
        )
        logger.warning("refresh #%s failed: %s", refresh.pk, exc)
        refresh.refresh_from_db()
    return refresh


def refresh_fail(*, refresh: PriceRefresh, error: str) -> None:
    PriceSnapshot.objects.filter(pk=refresh.snapshot_id, status=PriceSnapshot.Status.BUILDING).update(
        status=PriceSnapshot.Status.FAILED, notes=error[:2000]
    )
    PriceRefresh.objects.filter(pk=refresh.pk, status=PriceRefresh.Status.RUNNING).update(
        status=PriceRefresh.Status.FAILED, error=error[:4000], finished_at=timezone.now()
    )
