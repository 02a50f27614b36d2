"""Reads of price snapshots."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, QuerySet
from django.utils import timezone

from pricing.models import Price, PriceRefresh, PriceRefreshPart, PriceSnapshot, RefreshFailure

_active: tuple[float, PriceSnapshot | None] | None = None


def price_snapshot_active() -> PriceSnapshot | None:
    """The snapshot the app prices with. Every page and API call asks, and it changes about once a day, so
    each process remembers it for ACTIVE_SNAPSHOT_MEMO_SECONDS; activating a snapshot forgets it at once in
    the process that did it, and the others follow within that time."""
    global _active
    seconds = settings.ACTIVE_SNAPSHOT_MEMO_SECONDS
    remembered = _active
    if seconds > 0 and remembered is not None and time.monotonic() - remembered[0] < seconds:
        return remembered[1]
    snapshot = PriceSnapshot.objects.filter(status=PriceSnapshot.Status.ACTIVE).first()
    _active = (time.monotonic(), snapshot) if seconds > 0 else None
    return snapshot


def price_snapshot_active_forget() -> None:
    global _active
    _active = None


_REGIONS: dict[tuple[int, object], list[str]] = {}


def price_snapshot_regions(*, snapshot: PriceSnapshot) -> list[str]:
    """The regions a snapshot has prices for. Every form asks; a finished snapshot never changes, so each
    process asks the database once per snapshot."""
    key = (snapshot.pk, snapshot.created_at)
    if key in _REGIONS:
        return list(_REGIONS[key])
    regions = list(snapshot.prices.order_by("region").values_list("region", flat=True).distinct())
    if snapshot.status != PriceSnapshot.Status.BUILDING:
        _REGIONS[key] = regions
    return list(regions)


def prices_of_service(*, snapshot: PriceSnapshot, service_code: str, region: str) -> QuerySet[Price]:
    return snapshot.prices.filter(service_code=service_code, region=region).select_related("source")


def price_map(*, snapshot: PriceSnapshot, service_code: str, region: str) -> dict[str, Price]:
    """Prices of one service in one region by key: one query for a whole table of a page."""
    return {p.key: p for p in prices_of_service(snapshot=snapshot, service_code=service_code, region=region)}


def price_usd(*, snapshot: PriceSnapshot, service_code: str, region: str, key: str) -> Decimal | None:
    """A price, or None when the snapshot has no sourced figure for it (shown as missing, never guessed)."""
    row = snapshot.prices.filter(service_code=service_code, region=region, key=key).only("usd").first()
    return None if row is None else row.usd


@dataclass(frozen=True)
class PriceChange:
    service_code: str
    region: str
    key: str
    unit: str
    before: Decimal | None
    after: Decimal | None

    @property
    def change_percent(self) -> Decimal | None:
        if self.before in (None, 0) or self.after is None:
            return None
        assert self.before is not None
        return (self.after - self.before) / self.before * 100


@dataclass(frozen=True)
class SnapshotDiff:
    older: PriceSnapshot
    newer: PriceSnapshot
    up: list[PriceChange]
    down: list[PriceChange]
    added: list[PriceChange]
    removed: list[PriceChange]
    unchanged: int


def snapshot_diff(*, older: PriceSnapshot, newer: PriceSnapshot, region: str | None = None) -> SnapshotDiff:
    """How prices moved between two snapshots: up, down, new and gone, biggest moves first."""

    def prices(snapshot: PriceSnapshot) -> dict[tuple[str, str, str], tuple[Decimal, str]]:
        rows = snapshot.prices.all()
        if region:
            rows = rows.filter(region=region)
        return {
            (s, r, k): (usd, unit)
            for s, r, k, usd, unit in rows.values_list("service_code", "region", "key", "usd", "unit")
        }

    before, after = prices(older), prices(newer)
    up, down, added, removed, unchanged = [], [], [], [], 0
    for identity in sorted(set(before) | set(after)):
        old, new = before.get(identity), after.get(identity)
        # The identity comes from one snapshot or the other: when it is not in the newer, it is in the older.
        unit = new[1] if new is not None else before[identity][1]
        change = PriceChange(
            *identity,
            unit=unit,
            before=old[0] if old else None,
            after=new[0] if new else None,
        )
        if old is None:
            added.append(change)
        elif new is None:
            removed.append(change)
        elif new[0] > old[0]:
            up.append(change)
        elif new[0] < old[0]:
            down.append(change)
        else:
            unchanged += 1
    by_size = lambda c: -abs(c.change_percent or 0)  # noqa: E731
    return SnapshotDiff(
        older=older,
        newer=newer,
        up=sorted(up, key=by_size),
        down=sorted(down, key=by_size),
        added=added,
        removed=removed,
        unchanged=unchanged,
    )


# Snapshots whose prices may price anything: the active one and those it replaced. A building snapshot is
# unfinished; a failed one was refused (or its refresh broke off), and its prices are kept for staff only.
SERVABLE = (PriceSnapshot.Status.ACTIVE, PriceSnapshot.Status.SUPERSEDED)


def price_snapshots_servable() -> QuerySet[PriceSnapshot]:
    return PriceSnapshot.objects.filter(status__in=SERVABLE)


def price_refresh_last_work(*, refresh: PriceRefresh, with_queued: bool = False) -> datetime:
    """When a worker last worked on a refresh: its start, or a part's last heartbeat or end (with_queued: or
    when a part was last queued for a worker)."""
    times = refresh.parts.aggregate(heartbeat=Max("heartbeat_at"), finished=Max("finished_at"), queued=Max("queued_at"))
    candidates = [refresh.started_at, times["heartbeat"], times["finished"]]
    if with_queued:
        candidates.append(times["queued"])
    return max(t for t in candidates if t is not None)


def price_refresh_stalled(*, refresh: PriceRefresh, now: datetime | None = None) -> bool:
    """A running refresh that no worker has worked on for PRICE_REFRESH_LEASE_SECONDS: its worker died, or
    no worker takes the refresh queue. It no longer counts as running."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.PRICE_REFRESH_LEASE_SECONDS)
    return refresh.status == PriceRefresh.Status.RUNNING and price_refresh_last_work(refresh=refresh) < now - lease


def price_refresh_running() -> PriceRefresh | None:
    """The refresh under way, if a worker is working on it (a stalled one is not "already running")."""
    for refresh in PriceRefresh.objects.filter(status=PriceRefresh.Status.RUNNING).select_related("snapshot"):
        if not price_refresh_stalled(refresh=refresh):
            return refresh
    return None


def price_refresh_summary(*, refresh: PriceRefresh, parts: list[PriceRefreshPart] | None = None) -> str:
    """What anyone may read of a refresh's outcome: built from its status and failure kinds only, never from
    the error texts (which quote the sources, file paths or SQL, and are for staff)."""
    if refresh.status == PriceRefresh.Status.RUNNING:
        return "Running."
    if refresh.status == PriceRefresh.Status.SUCCEEDED:
        return "Activated."
    reason = RefreshFailure(refresh.failure).label if refresh.failure else "it failed"
    failed = [p for p in (parts if parts is not None else refresh.parts.all()) if p.status == "failed"]
    text = f"Failed: {reason}."
    if failed:
        shown = "; ".join(
            f"{p.service_code} {p.region}: {RefreshFailure(p.failure).label if p.failure else 'it failed'}"
            for p in failed[:5]
        )
        more = f" and {len(failed) - 5} more" if len(failed) > 5 else ""
        text += f" {shown}{more}."
    return text


def price_snapshot_history(*, limit: int = 50) -> QuerySet[PriceSnapshot]:
    return PriceSnapshot.objects.select_related("refresh").order_by("-created_at", "-id")[:limit]
