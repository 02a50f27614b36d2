"""Celery tasks of the pricing app. Tasks stay thin: they call services and handle retries."""

from __future__ import annotations

import os
import random

from celery import Task, chord, group, shared_task
from django.db import transaction

from pricing.fetchers import fetch_part
from pricing.models import PriceRefresh, PriceRefreshPart
from pricing.refresh import RefreshRefused, refresh_fail, refresh_finish, refresh_part_fail, refresh_part_run
from pricing.sources.bulk_api import SourceUnavailable
from pricing.sources.query_api import CredentialsProblem, Throttled

PART_RETRIES = 5


@shared_task(name="pricing.tasks.ping")
def ping(echo: str) -> dict[str, object]:
    """A health probe for workers: which process ran the task, and whether it ran eagerly."""
    request = ping.request
    return {"echo": echo, "worker_pid": os.getpid(), "eager": bool(request.is_eager)}


@shared_task(
    bind=True, name="pricing.tasks.refresh_part", acks_late=True, reject_on_worker_lost=True, max_retries=PART_RETRIES
)
def refresh_part(self: Task, part_id: int) -> str:
    """Fetch one service in one region into the building snapshot. Safe to run twice."""
    part = PriceRefreshPart.objects.select_related("refresh__snapshot").get(pk=part_id)
    if part.refresh.status != PriceRefresh.Status.RUNNING:
        return "skipped"
    try:
        refresh_part_run(part=part, fetch=fetch_part)
    except (Throttled, SourceUnavailable) as exc:
        if self.request.retries < PART_RETRIES and not self.request.is_eager:
            # Exponential backoff with jitter between whole attempts, on top of the per-call retries.
            raise self.retry(exc=exc, countdown=random.uniform(0, 2 ** (self.request.retries + 2))) from exc
        refresh_part_fail(part=part, error=str(exc))
        return "failed"
    except CredentialsProblem as exc:
        refresh_part_fail(part=part, error=str(exc))
        return "failed"
    except (RefreshRefused, ValueError, OSError) as exc:
        refresh_part_fail(part=part, error=str(exc))
        return "failed"
    return "done"


@shared_task(name="pricing.tasks.finish_refresh", acks_late=True)
def finish_refresh(results: list[str] | None, refresh_id: int) -> str:
    refresh = PriceRefresh.objects.get(pk=refresh_id)
    return refresh_finish(refresh=refresh).status


@shared_task(name="pricing.tasks.refresh_prices")
def refresh_prices(source: str = "", regions: list[str] | None = None, services: list[str] | None = None) -> int:
    """Start a refresh of every configured region (the beat schedule calls this)."""
    from django.conf import settings

    from pricing.refresh import refresh_start

    refresh = refresh_start(
        source=source or settings.PRICE_REFRESH_SOURCE, regions=regions, services=services, requested_by="schedule"
    )
    launch_refresh(refresh)
    return refresh.pk


def launch_refresh(refresh: PriceRefresh) -> None:
    """Run every part, then finish: a chord, enqueued once the refresh is committed."""
    part_ids = list(refresh.parts.values_list("pk", flat=True))

    def send() -> None:
        try:
            chord(group(refresh_part.s(pk) for pk in part_ids), finish_refresh.s(refresh.pk)).delay()
        except Exception as exc:  # the broker is down: record it, the active snapshot stays
            refresh_fail(refresh=refresh, error=f"could not queue the refresh: {exc}")
            raise

    transaction.on_commit(send)
