"""The production stack (scripts/serve.py: gunicorn on PostgreSQL and Redis) under faults.

A Redis of its own is stopped and started again while requests keep coming, and the database connections of
every gunicorn worker are cut. After each fault: no request got a server error, every save that was answered
is stored, nothing saved before is lost, and the active snapshot is the one it was.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import need
from tests.factories import scenario_data

pytestmark = pytest.mark.services
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-password-for-the-operator"

WEB_WORKERS = 2  # the stack's gunicorn workers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return urlsplit(url)._replace(path="/postgres").geturl()


class PrivateRedis:
    """A redis-server of the test's own, so stopping it disturbs nothing else."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: _connects(self.port), 10, "redis-server to listen")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()  # as a crash would: no goodbye to the clients
            self.process.wait()


def _connects(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def stack() -> Iterator[dict]:
    import psycopg

    need("redis-server", subprocess.run(["which", "redis-server"], capture_output=True).returncode == 0)
    try:
        admin = psycopg.connect(admin_url(), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        need("PostgreSQL", False, str(error))
    name = f"faults_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    redis = PrivateRedis()
    redis.start()
    port = free_port()
    database_url = urlsplit(admin_url())._replace(path=f"/{name}").geturl()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "compute_advisor.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis.url,
        "WEB_CONCURRENCY": str(WEB_WORKERS),
        "LOG_LEVEL": "WARNING",
        # The faults are the database's: the operator's token must not meet the per-account API throttle.
        "API_USER_RATE": "100000/minute",
        "SAVED_SCENARIOS_PER_ACCOUNT": "1000000",  # the tests save thousands under one account
    }
    for key in ("DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_TASK_ALWAYS_EAGER", "HTTPS"):
        env.pop(key, None)
    log = open(ROOT / "test-artifacts" / "faults-stack.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            sys.executable,
            "scripts/serve.py",
            "--port",
            str(port),
            "--no-beat",
            "--no-worker",
            "--allow-deploy-warnings",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _ready(base) or server.poll() is not None, 180, "the stack to serve")
        assert server.poll() is None, (ROOT / "test-artifacts" / "faults-stack.log").read_text()[-3000:]
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", OPERATOR],
            cwd=ROOT,
            env={**env, "OPERATOR_PASSWORD": PASSWORD},
            check=True,
            capture_output=True,
        )
        yield {"base": base, "redis": redis, "database": name, "admin": admin, "token": _token(env)}
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        redis.stop()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


OPERATOR = """
import os
import re
from django.contrib.auth.models import User
User.objects.create_user("operator", password=os.environ["OPERATOR_PASSWORD"], is_staff=True)
"""


def _token(env: dict) -> str:
    code = (
        "from django.contrib.auth.models import User; from rest_framework.authtoken.models import Token; "
        "print(Token.objects.get_or_create(user=User.objects.get(username='operator'))[0].key)"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return out.stdout.decode().split()[-1]


def _ready(base: str) -> bool:
    import requests

    try:
        return requests.get(f"{base}/health", timeout=2).status_code == 200
    except requests.RequestException:
        return False


class Traffic:
    """Clients comparing, calling the API and saving, in threads, recording every answer."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token
        self.statuses: list[tuple[str, int]] = []
        self.saved_names: list[str] = []
        self.running = True
        self.threads = [threading.Thread(target=self.client, args=(n,)) for n in range(3)]

    def client(self, n: int) -> None:
        import requests

        session = requests.Session()
        headers = {"Authorization": f"Token {self.token}"}
        i = 0
        while self.running:
            i += 1
            replicas = 1 + (i % 7)
            compare = session.get(
                f"{self.base}/compare/",
                params={"submitted": "1", "region": "us-east-1", "vcpu": "1", "memory_gib": "2",
                        "usage_kind": "always_on", "replicas": replicas},
                timeout=30,
            )  # fmt: skip
            self.statuses.append(("compare", compare.status_code))
            scenario = scenario_data(usage={"replicas": replicas})
            api = session.post(f"{self.base}/api/v1/estimates", json=scenario, headers=headers, timeout=30)
            self.statuses.append(("estimate", api.status_code))
            name = f"traffic {n}-{i}"
            save = session.post(
                f"{self.base}/api/v1/scenarios", json={"name": name, "scenario": scenario}, headers=headers, timeout=30
            )
            self.statuses.append(("save", save.status_code))
            if save.status_code == 201:
                self.saved_names.append(name)

    def __enter__(self) -> Traffic:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.running = False
        for thread in self.threads:
            thread.join(timeout=60)


def saved_names(stack: dict) -> set[str]:
    import requests

    answer = requests.get(
        f"{stack['base']}/api/v1/scenarios", headers={"Authorization": f"Token {stack['token']}"}, timeout=30
    )
    assert answer.status_code == 200
    return {s["name"] for s in answer.json()}


def active_snapshot(stack: dict) -> int:
    import requests

    return requests.get(f"{stack['base']}/health", timeout=10).json()["checks"]["snapshot"]["id"]


def test_redis_stopped_and_restarted_while_requests_come_in(stack):
    import requests

    before_names, snapshot = saved_names(stack), active_snapshot(stack)
    with Traffic(stack["base"], stack["token"]) as traffic:
        time.sleep(2)
        stack["redis"].stop()
        time.sleep(3)
        # Readiness reports the cache and broker down, the instance degraded but still serving.
        health = requests.get(f"{stack['base']}/health", timeout=10).json()
        assert health["status"] == "degraded"
        assert not health["checks"]["cache"]["ok"]

        # An operator's refresh cannot be queued without the broker: a clear message, at once, no 500.
        operator = requests.Session()
        login = operator.get(f"{stack['base']}/accounts/login/", timeout=10)
        assert login.status_code == 200
        operator.post(
            f"{stack['base']}/accounts/login/",
            data={"username": "operator", "password": PASSWORD, "csrfmiddlewaretoken": operator.cookies["csrftoken"]},
            headers={"Referer": f"{stack['base']}/accounts/login/"},
            timeout=10,
        )
        began = time.monotonic()
        refused = operator.post(
            f"{stack['base']}/prices/refresh/",
            data={"source": "bulk", "regions": ["us-east-1"], "services": ["AmazonECS"],
                  "csrfmiddlewaretoken": operator.cookies["csrftoken"]},
            headers={"Referer": f"{stack['base']}/prices/"},
            timeout=60,
        )  # fmt: skip
        assert refused.status_code == 200
        assert "The refresh could not be queued" in refused.text
        assert time.monotonic() - began < 15

        stack["redis"].start()
        wait_for(lambda: requests.get(f"{stack['base']}/health", timeout=10).json()["status"] == "ok", 30, "the cache")
        time.sleep(2)

    served = [status for _, status in traffic.statuses]
    assert len(served) > 30, sorted(set(traffic.statuses))
    assert all(status in (200, 201) for status in served), sorted(set(traffic.statuses))
    after = saved_names(stack)
    assert before_names <= after
    assert set(traffic.saved_names) <= after
    assert active_snapshot(stack) == snapshot


def test_the_database_connections_cut_under_the_workers(stack):
    before_names, snapshot = saved_names(stack), active_snapshot(stack)
    with Traffic(stack["base"], stack["token"]) as traffic:
        for _ in range(3):
            time.sleep(1.5)
            cut = (
                stack["admin"]
                .execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [stack["database"]],
                )
                .fetchone()[0]
            )
            assert cut >= 1  # the workers' persistent connections
        time.sleep(1.5)

    errors = [(what, status) for what, status in traffic.statuses if status not in (200, 201)]
    # A request whose query was running at the very moment of a cut gets the 503 page; none gets a 500. Each of
    # the 3 cuts can catch one such request in each web worker.
    assert all(status == 503 for _, status in errors), errors
    assert len(errors) <= 3 * WEB_WORKERS
    assert len(traffic.statuses) > 30
    after = saved_names(stack)
    assert before_names <= after
    assert set(traffic.saved_names) <= after
    assert active_snapshot(stack) == snapshot


def test_the_stack_serves_hashed_static_files_for_a_year_and_its_headers(stack):
    import requests

    page = requests.get(f"{stack['base']}/compare/", timeout=10)
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Request-ID"]
    assert page.headers["Server"].startswith("gunicorn")
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page.text)
    assert stylesheet, "static files are served under hashed names"
    css = requests.get(f"{stack['base']}{stylesheet.group(1)}", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert css.status_code == 200
    assert "max-age=315360000" in css.headers["Cache-Control"]
    assert css.headers.get("Content-Encoding") == "gzip"
