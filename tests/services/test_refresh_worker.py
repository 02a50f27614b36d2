"""A real Celery worker (Redis broker) refreshes prices end to end, and survives being killed.

The workers run with tests/services/worker_settings.py: a refresh lease of WORKER_LEASE_SECONDS (6 s; in
production PRICE_REFRESH_LEASE_SECONDS is 180 s), and queues named for this test run on a Redis database
chosen by this run's process id, so that test runs sharing a Redis server never take each other's tasks.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from compute_advisor.estimates.models import SavedScenario
from pricing.models import PriceRefresh, PriceRefreshPart, PriceSnapshot
from pricing.selectors import price_refresh_running, price_refresh_summary, price_snapshot_active
from tests.conftest import need, redis_url
from tests.factories import scenario_data
from tests.pricing.offer_generator import ec2_instance, many_ec2_items, usage_item, write_offer_path
from tests.pricing.offers import ecs_offer

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(redis_url(), socket_connect_timeout=2).ping())
    except redis.exceptions.ConnectionError:
        return False


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# This run's own queues and Redis database (1-14: 0 is the tests' cache, 15 other suites' brokers).
RUN = f"{os.getpid()}-{int(time.time())}"
REDIS_DB = 1 + os.getpid() % 14
WORKER_LEASE_SECONDS = 6
# A dead worker's refresh stops counting as running one lease after the part's last heartbeat (0.5 s before
# it died at most); the rest is slack for a loaded machine. In production: 180 s, so about three minutes.
NEW_REFRESH_WITHIN_SECONDS = WORKER_LEASE_SECONDS + 6


def isolated_broker_url() -> str:
    base = redis_url().rsplit("/", 1)[0] if redis_url().count("/") > 2 else redis_url()
    return f"{base}/{REDIS_DB}"


def environment() -> dict[str, str]:
    return {
        **os.environ,
        "REDIS_URL": isolated_broker_url(),
        "DATABASE_URL": database_url(),
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "tests.services.worker_settings",
        "TEST_RUN_QUEUES": RUN,
        "TEST_REFRESH_LEASE_SECONDS": str(WORKER_LEASE_SECONDS),
        "CELERY_VISIBILITY_TIMEOUT": "2",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }


def forget_this_runs_queues() -> None:
    """Empty this run's queues only: the database may be another run's too, so it is never flushed."""
    import redis

    client = redis.Redis.from_url(isolated_broker_url())
    for queue in (f"celery-{RUN}", f"refresh-{RUN}"):
        client.delete(queue, *client.keys(f"{queue}\x06\x16*"))


class Worker:
    def __init__(self, log: Path) -> None:
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "compute_advisor",
                    "worker",
                    "--pool=solo",
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                    "-n",
                    f"w{time.time()}@%h",
                    "--loglevel=INFO",
                ],
                cwd=ROOT,
                env=environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def worker(tmp_path, settings):
    need("Redis", redis_available(), redis_url())
    settings.PRICE_REFRESH_LEASE_SECONDS = WORKER_LEASE_SECONDS  # this process judges leases as the workers do
    forget_this_runs_queues()
    running = Worker(tmp_path / "worker.log")
    yield running
    running.stop()
    forget_this_runs_queues()
    if running.log.exists():
        print(running.log.read_text()[-4000:])


@pytest.fixture(scope="module")
def big_ec2_offer(tmp_path_factory):
    """A big EC2 file (mostly products we skip) so that its part takes a few seconds: time to kill a worker."""
    keep = [ec2_instance("K0", "us-east-1", "m6i.large", "0.096")]
    big = tmp_path_factory.mktemp("offers") / "ec2.json"
    items = (
        list(many_ec2_items(120_000))
        + keep
        + [usage_item("EBS3", "us-east-1", "AmazonEC2", "Storage", "EBS:VolumeUsage.gp3", "0.08", "GB-Mo")]
    )
    return write_offer_path(big, offer_code="AmazonEC2", items=items)


def queue_refresh(*offer_files: Path, expect_refused: bool = False) -> PriceRefresh | str:
    """Queue a refresh the way an operator does, from another process with the broker configured (or, with
    expect_refused, see it refused and return why)."""
    args = [arg for path in offer_files for arg in ("--offer-file", str(path))]
    result = subprocess.run(
        [sys.executable, "manage.py", "refresh_prices", *args, "--region", "us-east-1", "--queue"],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if expect_refused:
        assert result.returncode != 0, result.stdout
        return result.stderr
    assert result.returncode == 0, result.stderr
    refresh_id = int(result.stdout.split("#", 1)[1].split(" ", 1)[0])
    return PriceRefresh.objects.get(pk=refresh_id)


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def test_a_worker_refreshes_prices_and_the_new_snapshot_becomes_active(worker, tmp_path, seeded):
    seed = seeded
    worker.start()
    refresh = queue_refresh(ecs_offer(tmp_path))
    wait_for(lambda: PriceRefresh.objects.get(pk=refresh.pk).status != "running", 60, "the refresh to finish")
    refresh.refresh_from_db()
    assert refresh.status == "succeeded", refresh.error
    assert price_snapshot_active().pk == refresh.snapshot_id != seed.pk


def test_a_worker_killed_mid_refresh_leaves_the_active_snapshot_and_the_next_worker_finishes(
    worker, tmp_path, seeded, big_ec2_offer
):
    seed = seeded
    saved = [
        SavedScenario.objects.create(name=f"kept {n}", scenario=scenario_data(), snapshot=seed).share_token
        for n in range(3)
    ]
    worker.start()
    refresh = queue_refresh(ecs_offer(tmp_path), big_ec2_offer)
    wait_for(lambda: PriceRefreshPart.objects.filter(refresh=refresh, status="running").exists(), 60, "a part to start")
    worker.kill()
    refresh.refresh_from_db()
    assert refresh.status == "running"
    assert price_snapshot_active().pk == seed.pk
    assert PriceSnapshot.objects.get(pk=refresh.snapshot_id).status == "building"
    assert sorted(SavedScenario.objects.values_list("share_token", flat=True)) == sorted(saved)

    # The new worker sees, as it starts, that the process holding the part is gone, and takes the part over
    # (Redis's own redelivery, after the visibility timeout, then finds it taken and skips it).
    worker.start()
    wait_for(lambda: PriceRefresh.objects.get(pk=refresh.pk).status != "running", 120, "the refresh to finish")
    refresh.refresh_from_db()
    parts = {p.service_code: p for p in refresh.parts.all()}
    assert parts["AmazonEC2"].status == "done"
    assert parts["AmazonEC2"].attempts >= 2  # redone, not duplicated
    assert refresh.status == "succeeded", refresh.error
    active = price_snapshot_active()
    assert active.pk == refresh.snapshot_id
    assert active.prices.filter(service_code="AmazonEC2", region="us-east-1", key="BoxUsage:m6i.large").count() == 1
    # The scenarios saved before keep the prices they were saved with.
    assert set(SavedScenario.objects.values_list("snapshot_id", flat=True)) == {seed.pk}
    assert sorted(SavedScenario.objects.values_list("share_token", flat=True)) == sorted(saved)


def test_after_a_worker_dies_a_new_refresh_can_start_within_the_lease(worker, tmp_path, seeded, big_ec2_offer):
    """No worker comes back: the dead refresh stops counting as "already running" within one lease of its
    last heartbeat (here WORKER_LEASE_SECONDS; 180 s, three minutes, in production), a new refresh starts and,
    once a worker is back, runs to the end; the dead one is failed as abandoned, which anyone may read."""
    worker.start()
    dead = queue_refresh(ecs_offer(tmp_path), big_ec2_offer)
    wait_for(lambda: PriceRefreshPart.objects.filter(refresh=dead, status="running").exists(), 60, "a part to start")
    worker.kill()
    killed_at = time.monotonic()
    # While the part's lease may still be held, a second refresh is refused.
    assert "is already running" in queue_refresh(ecs_offer(tmp_path, name="again.json"), expect_refused=True)
    wait_for(lambda: price_refresh_running() is None, NEW_REFRESH_WITHIN_SECONDS, "the dead refresh to stop counting")
    fresh = queue_refresh(ecs_offer(tmp_path, name="fresh.json"))
    assert time.monotonic() - killed_at < NEW_REFRESH_WITHIN_SECONDS + 5  # queued within the stated time
    dead.refresh_from_db()
    assert (dead.status, dead.failure) == ("failed", "abandoned")
    assert price_refresh_summary(refresh=dead).startswith("Failed: no worker worked on it for several minutes.")
    assert PriceSnapshot.objects.get(pk=dead.snapshot_id).status == "failed"

    worker.start()
    wait_for(lambda: PriceRefresh.objects.get(pk=fresh.pk).status != "running", 120, "the new refresh to finish")
    fresh.refresh_from_db()
    assert fresh.status == "succeeded", fresh.error
    assert price_snapshot_active().pk == fresh.snapshot_id
    dead.refresh_from_db()
    assert dead.status == "failed"  # its redelivered part was skipped, not run into a finished refresh
