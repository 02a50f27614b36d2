"""Celery tasks of the pricing app. Tasks stay thin: they call services and handle retries.

A refresh is one `refresh_part` task per service and region, on the `refresh` queue (PRICE_REFRESH_QUEUE);
the part that ends last finishes the refresh. `reap_refreshes` (every minute from beat, and when a worker
starts) hands the parts of dead workers to live ones.
"""

from __future__ import annotations

import logging
import os
import random
import socket
from typing import Any

from celery import Task, shared_task
from celery.signals import worker_ready
from django.db import connections, transaction

from pricing.fetchers import fetch_part
from pricing.models import PriceRefresh, PriceRefreshPart, RefreshFailure
from pricing.refresh import (
    LeaseLost,
    RefreshRefused,
    refresh_advance,
    refresh_fail,
    refresh_part_fail,
    refresh_part_release,
    refresh_part_run,
    refresh_parts_queued,
    refresh_reap,
)
from pricing.sources.bulk_api import SourceUnavailable
from pricing.sources.query_api import CredentialsProblem, Throttled

logger = logging.getLogger(__name__)
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
    """Fetch one service in one region into the building snapshot. Safe to run twice: a part that is done, or
    held by a live worker, is skipped (a message Redis redelivers after a worker died is one of those)."""
    part = PriceRefreshPart.objects.filter(pk=part_id).first()
    if part is None:
        return "gone"  # its refresh was pruned
    outcome = _run_part(self, part)  # a retry raises past what follows: the part is pending again
    try:
        refresh_advance(refresh_id=part.refresh_id)
    except Exception as exc:  # the refresh would stay running: end it, the active snapshot stays
        logger.exception("refresh #%s could not be finished", part.refresh_id)
        refresh_fail(
            refresh=part.refresh,
            error=f"Finishing failed: {type(exc).__name__}: {exc}",
            failure=RefreshFailure.INTERNAL,
        )
    return outcome


def _run_part(task: Task, part: PriceRefreshPart) -> str:
    try:
        outcome = refresh_part_run(part=part, fetch=fetch_part)
    except (Throttled, SourceUnavailable) as exc:
        if task.request.retries < PART_RETRIES and not task.request.is_eager:
            refresh_part_release(part=part)
            # Exponential backoff with jitter between whole attempts, on top of the per-call retries.
            raise task.retry(exc=exc, countdown=random.uniform(0, 2 ** (task.request.retries + 2))) from exc
        refresh_part_fail(part=part, error=str(exc), failure=RefreshFailure.UNREACHABLE)
        return "failed"
    except CredentialsProblem as exc:
        refresh_part_fail(part=part, error=str(exc), failure=RefreshFailure.CREDENTIALS)
        return "failed"
    except RefreshRefused as exc:
        refresh_part_fail(part=part, error=str(exc), failure=exc.failure)
        return "failed"
    except LeaseLost:
        return "skipped"
    except (ValueError, OSError) as exc:  # an unreadable offer file, a file that is not there
        refresh_part_fail(part=part, error=str(exc), failure=RefreshFailure.BAD_SOURCE)
        return "failed"
    except Exception as exc:  # anything else (a database error...): the part fails, the refresh goes on
        logger.exception("refresh part #%s (%s %s) failed", part.pk, part.service_code, part.region)
        refresh_part_fail(part=part, error=f"{type(exc).__name__}: {exc}", failure=RefreshFailure.INTERNAL)
        return "failed"
    return "skipped" if outcome is None else "done"


@shared_task(name="pricing.tasks.refresh_prices")
def refresh_prices(source: str = "", regions: list[str] | None = None, services: list[str] | None = None) -> int:
    """Start a refresh of every configured region (the beat schedule calls this)."""
    from django.conf import settings

    from pricing.refresh import refresh_start
    from pricing.selectors import price_refresh_running

    if price_refresh_running() is not None:
        logger.info("a refresh is already running; the scheduled one is skipped")
        return 0
    refresh = refresh_start(
        source=source or settings.PRICE_REFRESH_SOURCE, regions=regions, services=services, requested_by="schedule"
    )
    launch_refresh(refresh)
    return refresh.pk


@shared_task(name="pricing.tasks.reap_refreshes", expires=60)
def reap_refreshes(host: str = "") -> list[int]:
    """Queue again the parts whose worker died (their lease ran out), and end refreshes nobody works on."""
    part_ids = refresh_reap(host=host or None)
    _enqueue(part_ids)
    return part_ids


def _enqueue(part_ids: list[int]) -> None:
    for part_id in part_ids:
        refresh_part.delay(part_id)


def launch_refresh(refresh: PriceRefresh) -> None:
    """Queue every part, once the refresh is committed."""
    part_ids = refresh_parts_queued(refresh=refresh)

    def send() -> None:
        try:
            _enqueue(part_ids)
        except Exception as exc:  # the broker is down: record it, the active snapshot stays
            refresh_fail(
                refresh=refresh, error=f"could not queue the refresh: {exc}", failure=RefreshFailure.NOT_QUEUED
            )
            raise

    transaction.on_commit(send)


@worker_ready.connect
def _reap_at_start(sender: Any = None, **kwargs: Any) -> None:
    """A worker that starts (serve.py restarting one that died, say) takes over at once the parts that a dead
    process of this host held, without waiting for their lease to run out."""
    try:
        reap_refreshes(host=socket.gethostname())
    except Exception as exc:  # a worker must start even if the database is away; the beat reaper catches up
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        logger.warning("could not look for the refresh parts of dead workers: %s", reason)
    finally:
        connections.close_all()  # pool processes forked later must not share this process's connection
