"""Refreshing prices: build a new snapshot part by part, then validate and activate it in one go.

Every part (one service in one region) is idempotent: it replaces its own rows in the building
snapshot, so a part redone after a worker died is harmless. Only `refresh_finish` can activate, and it
does so only for a complete, validated snapshot; anything else leaves the active snapshot as it was.

A part is worked on under a lease: the worker claims it (a token written in one UPDATE, so two workers never
both hold it), renews the lease while it works (`part_heartbeat`), and checks it still holds it before it
writes. A part whose lease ran out lost its worker; `refresh_reap` hands it to another one, and a refresh no
worker has worked on for a lease is not "running" any more (`selectors.price_refresh_stalled`). Whichever
part finishes last finishes the refresh (`refresh_advance`), so no callback task has to survive for it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from compute_advisor.engine import price_keys
from pricing.models import Price, PriceRefresh, PriceRefreshPart, PriceSnapshot, PriceSource, RefreshFailure
from pricing.normalize import Tally, rows_without_conflicts
from pricing.price_list_items import SERVICES as PRICE_LIST_SERVICES
from pricing.rows import PriceRow, SourceRef
from pricing.selectors import price_refresh_last_work, price_refresh_stalled, price_snapshot_active
from pricing.services import price_snapshot_activate, prices_insert

logger = logging.getLogger(__name__)

# Prices without which the engine cannot price its main options in a region (the price-key registry's
# required entries); a snapshot missing one of them for a region the refresh covered is not activated.
REQUIRED_KEYS = price_keys.required()
# A part must bring at least this share of the rows the previous snapshot had for it.
MIN_ROW_SHARE = 0.5
# A part is refused when more than this share of the prices it read were malformed (a price that is not a
# finite, non-negative decimal string, a zero where a price belongs, two prices for one key...), and when any
# malformed one is a price the engine requires. AWS generates these files: the real ones in tests/pricing
# have no malformed item at all once the region's own products are picked, so more than 1 in 100 means a
# broken file or mirror, and activating it would carry over, stale, every price it spoiled (200 NaN prices in
# a region's EC2 file is a fifth of its instance types). Below the threshold the carried-over prices are
# flagged (`carried_over_from` in their attributes) and counted on the part and in the snapshot's notes.
MAX_REJECTED_SHARE = 0.01
CARRIED_OVER = "carried_over_from"
# The parts a refresh can have: the Price List's services, then the EC2 Spot Instance Advisor's feed (the
# figures EC2 Spot rates are derived from, which the Price List lacks). A refresh reads all of them unless
# told which; like every part, the Advisor's must succeed for the snapshot to be activated.
SPOT_ADVISOR_SERVICE = price_keys.SPOT_ADVISOR_SERVICE
SERVICES = (*PRICE_LIST_SERVICES, SPOT_ADVISOR_SERVICE)

Fetcher = Callable[[PriceRefreshPart, Tally, Callable[[int], None]], tuple[SourceRef, list[PriceRow]]]


class RefreshRefused(Exception):
    """The new snapshot (or one part of it) failed validation; the message says what was wrong."""

    def __init__(self, message: str, *, failure: str = RefreshFailure.REFUSED) -> None:
        super().__init__(message)
        self.failure = failure


class LeaseLost(Exception):
    """Another worker holds the part now (this one was presumed dead): its work is not written."""


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


def _lease() -> timedelta:
    return timedelta(seconds=settings.PRICE_REFRESH_LEASE_SECONDS)


def this_process() -> str:
    """host:pid, as a part's `claimed_by` names the process working on it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def refresh_parts_queued(*, refresh: PriceRefresh) -> list[int]:
    """Mark every pending part as queued now (the lease of a refresh waiting for a worker starts) and return
    their ids, for the caller to enqueue."""
    pending = refresh.parts.filter(status=PriceRefreshPart.Status.PENDING)
    ids = list(pending.values_list("pk", flat=True))
    pending.update(queued_at=timezone.now())
    return ids


def refresh_part_claim(*, part_id: int) -> PriceRefreshPart | None:
    """Take the lease of a part that is pending, or running under a lease that ran out; None when the part
    is done, failed, held by a live worker, or its refresh is over."""
    now = timezone.now()
    token = uuid.uuid4().hex
    claimable = Q(status=PriceRefreshPart.Status.PENDING) | Q(
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - _lease()), status=PriceRefreshPart.Status.RUNNING
    )
    claimed = PriceRefreshPart.objects.filter(
        claimable, pk=part_id, refresh__status=PriceRefresh.Status.RUNNING
    ).update(
        status=PriceRefreshPart.Status.RUNNING,
        lease_token=token,
        claimed_by=this_process(),
        heartbeat_at=now,
        started_at=now,
        attempts=F("attempts") + 1,
        error="",
        failure="",
    )
    if not claimed:
        return None
    return PriceRefreshPart.objects.select_related("refresh__snapshot").get(pk=part_id)


def _held(part: PriceRefreshPart) -> Q:
    return Q(pk=part.pk, lease_token=part.lease_token, status=PriceRefreshPart.Status.RUNNING)


def refresh_part_release(*, part: PriceRefreshPart) -> None:
    """Give a claimed part back, to be claimed again (a retry after the source throttled us)."""
    PriceRefreshPart.objects.filter(_held(part)).update(
        status=PriceRefreshPart.Status.PENDING, lease_token="", queued_at=timezone.now()
    )


@contextmanager
def part_heartbeat(part: PriceRefreshPart) -> Iterator[threading.Event]:
    """Renew the part's lease every PRICE_REFRESH_HEARTBEAT_SECONDS while the block runs, from a thread of its
    own: a download or a parse renews it as well as a loop over rows. The event it yields is set when the
    lease turns out to be someone else's."""
    interval = settings.PRICE_REFRESH_HEARTBEAT_SECONDS
    stop, lost = threading.Event(), threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(interval):
                try:
                    if not PriceRefreshPart.objects.filter(_held(part)).update(heartbeat_at=timezone.now()):
                        lost.set()
                        return
                except Exception:  # a missed beat is retried at the next one; enough of them end the lease
                    logger.warning("refresh part #%s: the heartbeat could not be written", part.pk, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name=f"refresh-part-{part.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield lost
    finally:
        stop.set()
        thread.join(timeout=interval + 10)


@dataclass(frozen=True)
class PartOutcome:
    rows: int
    rejected: int
    reasons: dict[str, int] = field(default_factory=dict)


def refresh_part_run(
    *, part: PriceRefreshPart, fetch: Fetcher, progress: Callable[[int], None] | None = None
) -> PartOutcome | None:
    """Claim one part, fetch it and write its rows into the building snapshot, replacing any earlier attempt.

    None when the part is not ours to run (done already, or held by a live worker). RefreshRefused when the
    source gave nothing usable or too many malformed prices; LeaseLost when another worker took it over.
    """
    claimed = refresh_part_claim(part_id=part.pk)
    if claimed is None:
        return None
    # The caller's object holds the lease too: a failure it records must name it (refresh_part_fail).
    for name in ("status", "lease_token", "claimed_by", "attempts", "heartbeat_at", "started_at"):
        setattr(part, name, getattr(claimed, name))
    with part_heartbeat(claimed) as lost:
        return _run_claimed(claimed, fetch, progress, lost)


def _run_claimed(
    part: PriceRefreshPart, fetch: Fetcher, progress: Callable[[int], None] | None, lost: threading.Event
) -> PartOutcome:
    tally = Tally()
    counted = 0

    def step(rows: int) -> None:
        nonlocal counted
        counted += rows
        if progress:
            progress(rows)
        # Progress for the page (and a renewed lease), without a write per row.
        if counted % 500 < rows:
            PriceRefreshPart.objects.filter(_held(part)).update(rows=counted, heartbeat_at=timezone.now())

    source, rows = fetch(part, tally, step)
    rows = [row for row in rows if row.service_code == part.service_code and row.region == part.region]
    rows = rows_without_conflicts(rows, tally)
    where = f"{part.service_code} {part.region}"
    if tally.rejected_share > MAX_REJECTED_SHARE:
        raise RefreshRefused(
            f"{where}: {tally.rejected} of the {tally.kept + tally.rejected} prices the source gave were malformed "
            f"({_reasons(tally)}), more than the {MAX_REJECTED_SHARE:.0%} a refresh allows",
            failure=RefreshFailure.MALFORMED,
        )
    required = sorted(
        key for service, key in REQUIRED_KEYS if service == part.service_code and key in tally.rejected_keys
    )
    if required:
        raise RefreshRefused(
            f"{where}: the source's price of {', '.join(required)} was malformed ({_reasons(tally)}); a required "
            "price is never carried over in its place",
            failure=RefreshFailure.MALFORMED,
        )
    if not rows:
        raise RefreshRefused(f"{where}: the source gave no prices we use", failure=RefreshFailure.BAD_SOURCE)
    snapshot = part.refresh.snapshot
    with transaction.atomic():
        if lost.is_set() or not PriceRefreshPart.objects.select_for_update().filter(_held(part)).exists():
            raise LeaseLost(f"{where}: another worker took this part over")
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
        prices_insert(snapshot=snapshot, rows=rows, source_for=lambda row: source_row)
        PriceRefreshPart.objects.filter(pk=part.pk).update(
            status=PriceRefreshPart.Status.DONE,
            rows=len(rows),
            skipped=tally.skipped,
            rejected=tally.rejected,
            rejected_reasons=tally.reasons,
            lease_token="",
            finished_at=timezone.now(),
        )
    return PartOutcome(rows=len(rows), rejected=tally.rejected, reasons=dict(tally.reasons))


def _reasons(tally: Tally) -> str:
    return ", ".join(f"{count} {reason}" for reason, count in sorted(tally.reasons.items(), key=lambda r: -r[1]))


def refresh_part_fail(
    *, part: PriceRefreshPart, error: str, failure: str = RefreshFailure.INTERNAL, held_only: bool = True
) -> None:
    """Record why a part failed: `failure` for anyone, `error` (the detail) for staff. A worker that lost its
    lease to another one records nothing (held_only)."""
    parts = PriceRefreshPart.objects.filter(_held(part) if held_only and part.lease_token else Q(pk=part.pk))
    parts.update(
        status=PriceRefreshPart.Status.FAILED,
        failure=failure,
        error=error[:2000],
        lease_token="",
        finished_at=timezone.now(),
    )


def _expected_from_source(service_code: str, key: str) -> bool:
    """Whether a refreshed part's source (the Price List, or the Spot Advisor's feed) should have brought it."""
    entry = price_keys.find(service_code, key)
    return entry is not None and entry.source in price_keys.REFRESHED_SOURCES


def _carry_over(snapshot: PriceSnapshot, previous: PriceSnapshot, fresh: set[tuple[str, str]]) -> tuple[int, int]:
    """Copy from the previous snapshot every price this refresh did not bring, with its source: (carried, of
    them flagged). A price the Price List (or the Spot Advisor's feed) should have brought for a service and
    region this refresh read (its source left it out, or gave it malformed) is flagged with the snapshot it
    came from."""
    have = set(snapshot.prices.values_list("service_code", "region", "key"))
    sources: dict[int, PriceSource] = {}
    flagged: dict[tuple[str, str], int] = {}

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

    def missing() -> Iterator[Price]:
        for price in previous.prices.select_related("source"):
            if (price.service_code, price.region, price.key) in have:
                continue
            where = (price.service_code, price.region)
            if where in fresh and _expected_from_source(price.service_code, price.key):
                # Not saved: prices_insert copies the attributes into the new snapshot's row.
                price.attributes = {**(price.attributes or {}), CARRIED_OVER: previous.pk}
                flagged[where] = flagged.get(where, 0) + 1
            yield price

    carried = prices_insert(snapshot=snapshot, rows=missing(), source_for=source_for)
    refresh = snapshot.refresh
    for (service, region), count in flagged.items():
        refresh.parts.filter(service_code=service, region=region).update(carried_over=count)
    return carried, sum(flagged.values())


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
    """Carry over what was not refreshed, validate, and activate in one transaction; or record why not.

    The refresh's row is locked first, so two parts finishing at once finish it once.
    """
    with transaction.atomic():
        locked = PriceRefresh.objects.select_for_update().select_related("snapshot").get(pk=refresh.pk)
        if locked.status != PriceRefresh.Status.RUNNING:
            refresh.refresh_from_db()
            return refresh  # finished already
        snapshot = locked.snapshot
        try:
            failed = list(locked.parts.exclude(status=PriceRefreshPart.Status.DONE))
            if failed:
                raise RefreshRefused(
                    "; ".join(f"{p.service_code} {p.region}: {p.error or p.status}" for p in failed),
                    failure=RefreshFailure.PARTS,
                )
            with transaction.atomic():  # a refusal undoes the carry-over, not the refresh's own record of it
                previous = price_snapshot_active()
                fresh = set(locked.parts.values_list("service_code", "region"))
                carried, flagged = _carry_over(snapshot, previous, fresh) if previous else (0, 0)
                _validate(snapshot, previous, locked)
                rows = snapshot.prices.count()
                snapshot.row_count = rows
                snapshot.notes = (
                    _fresh_notes(fresh)
                    + f"{carried} prices carried over from snapshot #{previous.pk if previous else '-'}"
                    + (
                        f", {flagged} of them ones their source (the Price List, or the Spot Advisor's feed) should "
                        f"have brought for a refreshed service and region (flagged {CARRIED_OVER})."
                        if flagged
                        else "."
                    )
                )
                snapshot.checksum = f"refresh-{locked.pk}"
                snapshot.save(update_fields=["row_count", "notes", "checksum"])
                price_snapshot_activate(snapshot=snapshot)
                PriceRefresh.objects.filter(pk=locked.pk).update(
                    status=PriceRefresh.Status.SUCCEEDED, finished_at=timezone.now()
                )
            logger.info("refresh #%s activated snapshot #%s (%s prices)", locked.pk, snapshot.pk, rows)
        except RefreshRefused as exc:
            _record_failure(locked, error=str(exc), failure=exc.failure)
            logger.warning("refresh #%s failed: %s", locked.pk, exc)
    refresh.refresh_from_db()
    return refresh


def _fresh_notes(fresh: set[tuple[str, str]]) -> str:
    """What the snapshot read afresh, by source: "Fresh from the AWS Price List: AmazonECS us-east-1. "."""
    listed = {
        "the AWS Price List": sorted(p for p in fresh if p[0] != SPOT_ADVISOR_SERVICE),
        "the EC2 Spot Instance Advisor's feed": sorted(p for p in fresh if p[0] == SPOT_ADVISOR_SERVICE),
    }
    return "".join(
        f"Fresh from {source}: {', '.join(f'{s} {r}' for s, r in parts)}. " for source, parts in listed.items() if parts
    )


def _record_failure(refresh: PriceRefresh, *, error: str, failure: str) -> int:
    """Fail a running refresh and its building snapshot; the number of refreshes failed (0: it had ended)."""
    failed = PriceRefresh.objects.filter(pk=refresh.pk, status=PriceRefresh.Status.RUNNING).update(
        status=PriceRefresh.Status.FAILED, failure=failure, error=error[:4000], finished_at=timezone.now()
    )
    if failed:
        PriceSnapshot.objects.filter(pk=refresh.snapshot_id, status=PriceSnapshot.Status.BUILDING).update(
            status=PriceSnapshot.Status.FAILED, notes=error[:2000]
        )
    return failed


def refresh_fail(*, refresh: PriceRefresh, error: str, failure: str = RefreshFailure.INTERRUPTED) -> None:
    _record_failure(refresh, error=error, failure=failure)


def refresh_advance(*, refresh_id: int) -> PriceRefresh | None:
    """Finish the refresh once none of its parts is pending or running (the last part to end calls this)."""
    open_parts = PriceRefreshPart.objects.filter(
        refresh_id=refresh_id, status__in=[PriceRefreshPart.Status.PENDING, PriceRefreshPart.Status.RUNNING]
    )
    if open_parts.exists():
        return None
    refresh = PriceRefresh.objects.filter(pk=refresh_id, status=PriceRefresh.Status.RUNNING).first()
    return refresh_finish(refresh=refresh) if refresh else None


def refresh_supersede_stalled(*, now: datetime | None = None) -> list[int]:
    """Fail every stalled refresh (before staff start another): "already running" never outlives its workers."""
    now = now or timezone.now()
    minutes = settings.PRICE_REFRESH_LEASE_SECONDS / 60
    failed = []
    for refresh in PriceRefresh.objects.filter(status=PriceRefresh.Status.RUNNING):
        if price_refresh_stalled(refresh=refresh, now=now) and _record_failure(
            refresh,
            error=f"No worker worked on this refresh for {minutes:g} minutes (its lease ran out); a new one was "
            "started in its place.",
            failure=RefreshFailure.ABANDONED,
        ):
            failed.append(refresh.pk)
    return failed


def _process_gone(claimed_by: str, host: str) -> bool:
    """Whether `host:pid` names a process of this host that no longer exists."""
    claimed_host, _, pid = claimed_by.rpartition(":")
    if claimed_host != host or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, under another user
        return False
    return False


def refresh_reap(*, now: datetime | None = None, host: str | None = None) -> list[int]:
    """Find the parts whose worker died and return their ids, set pending again, for the caller to enqueue.

    A part lost its worker when its lease ran out, or (with `host`, at a worker's start) when the process of
    this host that claimed it is gone. After PRICE_REFRESH_PART_ATTEMPTS attempts it fails instead. A refresh
    nobody has worked on for a lease, with nothing queued within it, fails (ABANDONED).
    """
    now = now or timezone.now()
    stale_before = now - _lease()
    redeliver: list[int] = []
    for refresh in PriceRefresh.objects.filter(status=PriceRefresh.Status.RUNNING):
        for part in refresh.parts.filter(status=PriceRefreshPart.Status.RUNNING):
            dead = part.heartbeat_at is None or part.heartbeat_at < stale_before
            if not dead and not (host and _process_gone(part.claimed_by, host)):
                continue
            held = PriceRefreshPart.objects.filter(_held(part))
            if part.attempts < settings.PRICE_REFRESH_PART_ATTEMPTS:
                if held.update(status=PriceRefreshPart.Status.PENDING, lease_token="", queued_at=now):
                    logger.warning("refresh part #%s lost its worker (%s): queued again", part.pk, part.claimed_by)
                    redeliver.append(part.pk)
            else:
                refresh_part_fail(
                    part=part,
                    error=f"The worker running this part stopped, {part.attempts} times (last: {part.claimed_by}).",
                    failure=RefreshFailure.WORKER_LOST,
                )
        if price_refresh_last_work(refresh=refresh, with_queued=True) < stale_before:
            minutes = settings.PRICE_REFRESH_LEASE_SECONDS / 60
            _record_failure(
                refresh,
                error=f"No worker worked on this refresh for {minutes:g} minutes (its lease ran out).",
                failure=RefreshFailure.ABANDONED,
            )
        else:
            refresh_advance(refresh_id=refresh.pk)
    return redeliver
