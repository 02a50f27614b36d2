"""Refreshes that never wedge: leases on parts, the reaper that hands a dead worker's part to a live one, and
"already running" that ends with the workers. (tests/services/test_refresh_worker.py does it with real
workers killed mid-part; here the clock is moved instead.)"""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pricing.models import PriceRefresh, PriceRefreshPart
from pricing.refresh import (
    part_heartbeat,
    refresh_part_claim,
    refresh_reap,
    refresh_start,
    refresh_supersede_stalled,
    this_process,
)
from pricing.selectors import price_refresh_running, price_refresh_stalled, price_refresh_summary
from pricing.tasks import reap_refreshes
from tests.pricing.offers import ecs_offer, transfer_offer


@pytest.fixture
def lease(settings):
    settings.PRICE_REFRESH_LEASE_SECONDS = 180
    return timedelta(seconds=180)


def two_part_refresh(folder):
    return refresh_start(
        source="offer_file",
        offer_files={
            ("AmazonECS", "us-east-1"): str(ecs_offer(folder)),
            ("AWSDataTransfer", "us-east-1"): str(transfer_offer(folder)),
        },
    )


def age(refresh: PriceRefresh, by: timedelta) -> None:
    """Move everything the refresh did `by` into the past."""
    PriceRefresh.objects.filter(pk=refresh.pk).update(started_at=timezone.now() - by)
    for field in ("heartbeat_at", "queued_at", "finished_at"):
        PriceRefreshPart.objects.filter(refresh=refresh, **{f"{field}__isnull": False}).update(
            **{field: timezone.now() - by}
        )


def test_a_running_part_is_held_until_its_lease_runs_out(seeded, tmp_path, lease):
    refresh = two_part_refresh(tmp_path)
    part = refresh.parts.first()
    held = refresh_part_claim(part_id=part.pk)
    assert held.claimed_by == this_process()
    assert refresh_part_claim(part_id=part.pk) is None
    age(refresh, lease - timedelta(seconds=5))
    assert refresh_part_claim(part_id=part.pk) is None
    age(refresh, lease + timedelta(seconds=5))
    again = refresh_part_claim(part_id=part.pk)
    assert again.attempts == 2
    assert again.lease_token != held.lease_token


def test_the_reaper_queues_again_a_part_whose_lease_ran_out_and_fails_it_after_three_attempts(
    seeded, tmp_path, lease, settings
):
    refresh = two_part_refresh(tmp_path)
    part = refresh.parts.first()
    refresh_part_claim(part_id=part.pk)
    assert refresh_reap() == []  # a fresh heartbeat: the worker lives
    age(refresh, lease + timedelta(seconds=1))
    assert refresh_reap() == [part.pk]
    part.refresh_from_db()
    assert (part.status, part.lease_token) == ("pending", "")
    refresh.refresh_from_db()
    assert refresh.status == "running"  # just queued again: not abandoned

    PriceRefreshPart.objects.filter(pk=part.pk).update(attempts=settings.PRICE_REFRESH_PART_ATTEMPTS - 1)
    refresh_part_claim(part_id=part.pk)
    age(refresh, lease + timedelta(seconds=1))
    PriceRefreshPart.objects.exclude(pk=part.pk).update(status="done", finished_at=timezone.now())
    assert refresh_reap() == []
    part.refresh_from_db()
    assert (part.status, part.failure) == ("failed", "worker_lost")
    refresh.refresh_from_db()
    assert (refresh.status, refresh.failure) == ("failed", "parts")  # its last open part ended: finished
    assert f"{part.service_code} us-east-1: the worker running it stopped" in price_refresh_summary(refresh=refresh)


def test_at_a_workers_start_the_parts_of_this_hosts_dead_processes_are_taken_over_at_once(seeded, tmp_path, lease):
    refresh = two_part_refresh(tmp_path)
    part = refresh.parts.first()
    refresh_part_claim(part_id=part.pk)
    host = this_process().rpartition(":")[0]
    gone = 2**22 + 12345  # above the kernel's pid_max default: no such process
    PriceRefreshPart.objects.filter(pk=part.pk).update(claimed_by=f"{host}:{gone}")
    assert refresh_reap(host="some-other-host") == []  # another host's process: only its lease can tell
    assert refresh_reap(host=host) == [part.pk]  # its heartbeat is fresh, yet its process is gone


def test_a_refresh_no_worker_takes_is_abandoned_a_lease_after_it_was_last_queued(seeded, tmp_path, lease):
    refresh = two_part_refresh(tmp_path)
    PriceRefreshPart.objects.filter(refresh=refresh).update(queued_at=timezone.now())
    age(refresh, lease - timedelta(seconds=5))
    refresh_reap()
    refresh.refresh_from_db()
    assert refresh.status == "running"
    age(refresh, lease + timedelta(seconds=5))
    refresh_reap()
    refresh.refresh_from_db()
    assert (refresh.status, refresh.failure) == ("failed", "abandoned")
    assert refresh.snapshot.status == "failed"


def test_already_running_ends_with_the_workers(seeded, tmp_path, lease):
    refresh = two_part_refresh(tmp_path)
    refresh_part_claim(part_id=refresh.parts.first().pk)
    assert price_refresh_running() == refresh
    age(refresh, lease - timedelta(seconds=5))
    assert price_refresh_running() == refresh
    assert refresh_supersede_stalled() == []
    age(refresh, lease + timedelta(seconds=5))
    refresh.refresh_from_db()
    assert price_refresh_stalled(refresh=refresh)
    assert price_refresh_running() is None
    assert refresh_supersede_stalled() == [refresh.pk]
    refresh.refresh_from_db()
    assert (refresh.status, refresh.failure) == ("failed", "abandoned")


def test_staff_are_refused_beside_a_live_refresh_and_start_one_beside_a_dead_one(
    admin_client, seeded, tmp_path, lease, settings, django_capture_on_commit_callbacks
):
    settings.PRICING_BULK_BASE_URL = "http://127.0.0.1:9"  # the new refresh fails at once, which is fine here
    dead = two_part_refresh(tmp_path)
    refresh_part_claim(part_id=dead.parts.first().pk)
    form = {"source": "bulk", "regions": ["us-east-1"], "services": ["AmazonECS"]}
    page = admin_client.post(reverse("pricing:start_refresh"), form, follow=True).content.decode()
    assert "A refresh is already running; wait for it to finish." in page
    age(dead, lease + timedelta(seconds=5))
    with django_capture_on_commit_callbacks(execute=True):
        page = admin_client.post(reverse("pricing:start_refresh"), form, follow=True).content.decode()
    assert f"Refresh #{dead.pk} had stopped" in page
    started = PriceRefresh.objects.exclude(pk=dead.pk).get()
    assert f"Refresh #{started.pk} started." in page
    dead.refresh_from_db()
    assert dead.failure == "abandoned"


def test_the_reaper_task_runs_the_parts_it_queues_again_to_the_end(seeded, tmp_path, lease):
    refresh = two_part_refresh(tmp_path)
    for part in refresh.parts.all():
        refresh_part_claim(part_id=part.pk)
    age(refresh, lease + timedelta(seconds=1))
    assert len(reap_refreshes()) == 2  # eager in tests: each part runs as it is queued
    refresh.refresh_from_db()
    assert refresh.status == "succeeded", refresh.error
    assert sorted(refresh.parts.values_list("attempts", flat=True)) == [2, 2]


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_renews_the_lease_and_notices_when_another_worker_took_it(tmp_path, settings, lease):
    settings.PRICE_REFRESH_HEARTBEAT_SECONDS = 0.05
    refresh = two_part_refresh(tmp_path)
    part = refresh_part_claim(part_id=refresh.parts.first().pk)
    first = part.heartbeat_at
    with part_heartbeat(part) as lost:
        deadline = time.monotonic() + 10
        while PriceRefreshPart.objects.get(pk=part.pk).heartbeat_at == first and time.monotonic() < deadline:
            time.sleep(0.02)
        assert PriceRefreshPart.objects.get(pk=part.pk).heartbeat_at > first
        assert not lost.is_set()
        PriceRefreshPart.objects.filter(pk=part.pk).update(lease_token="someone-else")
        assert lost.wait(timeout=10)
