"""Settings of the Celery workers (and `manage.py` runs) that tests/services/test_refresh_worker.py starts: the
project's own, with a refresh lease of seconds instead of minutes, so that a worker's death is seen quickly,
and queue names of this test run's own (TEST_RUN_QUEUES), so that a worker of another test run sharing the
Redis server never takes this run's tasks, nor this run's worker theirs."""

import os

from kombu import Queue

from compute_advisor.settings import *  # noqa: F403

PRICE_REFRESH_LEASE_SECONDS = int(os.environ.get("TEST_REFRESH_LEASE_SECONDS", "4"))
PRICE_REFRESH_HEARTBEAT_SECONDS = 0.5
PRICE_REFRESH_REAP_EVERY_SECONDS = 1
_run = os.environ["TEST_RUN_QUEUES"]
CELERY_TASK_DEFAULT_QUEUE = f"celery-{_run}"
PRICE_REFRESH_QUEUE = f"refresh-{_run}"
CELERY_TASK_QUEUES = [Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(PRICE_REFRESH_QUEUE)]
CELERY_TASK_ROUTES = {name: {"queue": PRICE_REFRESH_QUEUE} for name in CELERY_TASK_ROUTES}  # noqa: F405
