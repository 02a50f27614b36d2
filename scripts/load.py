"""`make load`: start the production stack on 127.0.0.1 and measure it under load.

It creates a fresh PostgreSQL database for the run, starts scripts/serve.py (gunicorn, Celery worker and beat,
Redis as cache and broker) on a free port, then drives three targets in turn for a fixed time with a bounded
number of concurrent clients, each on its own keep-alive connection:

  trivial       GET /healthz (a view that touches nothing: the stack's own floor)
  comparison    GET /compare/ with a scenario (form, engine, result cache, full page with charts)
  estimate API  POST /api/v1/estimates with a scenario (token-authenticated, as API clients are)

Scenarios rotate through several replica counts, so the first requests compute and later ones hit the cache,
as they would for a team comparing the same few services. Then a PDF storm: 10 clients asking for PDFs no one
asked for before, while two clients measure /healthz. It prints requests per second, p50/p95/p99 and errors
for each, the requests and 5xx in all, the storm's renders and 429s, then saves scenarios from many clients at
once and counts them before and after. It fails (exit 1) on any error (a 429 in the storm is rationing, not
an error), a lost save, a comparison page p95 above 3x the trivial view's (the API's ratio is printed too; it
pays a token lookup in the database on every call, which the trivial view does not), or a /healthz p95 above
100 ms during the storm.

    python scripts/load.py [--seconds 15] [--clients 8]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
P95_LIMIT = 3.0
PDF_CLIENTS = 10
HEALTH_P95_MS = 100.0
OPTIONS = ("ecs_ec2", "fargate", "beanstalk", "app_runner", "lightsail_instance", "lightsail_container", "ecs_express")


@dataclass
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Measured:
    name: str
    seconds: float
    latencies: list[float]
    errors: dict[str, int]

    @property
    def count(self) -> int:
        return len(self.latencies) + sum(self.errors.values())

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def clear_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def wait_ready(port: int, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the stack exited with status {process.returncode}; see var/load-serve.log")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit("the stack did not become ready in time; see var/load-serve.log")


def api_token(env: dict[str, str]) -> str:
    code = (
        "from django.contrib.auth.models import User; from rest_framework.authtoken.models import Token; "
        "user, _ = User.objects.get_or_create(username='load-test'); "
        "print(Token.objects.get_or_create(user=user)[0].key)"
    )
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def check_comparison(port: int, request: Request) -> None:
    """The page measured must be a priced comparison, not a form sent back with errors."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(request.method, request.path)
    page = connection.getresponse().read().decode()
    if "Every option, cheapest first" not in page:
        raise SystemExit(f"the comparison page did not price the scenario: {request.path}")


def drive(
    name: str,
    port: int,
    requests: list[Request],
    clients: int,
    seconds: float,
    *,
    rationed: frozenset[int] = frozenset(),
    refused: dict[int, int] | None = None,
) -> Measured:
    """`clients` threads, each sending the requests in turn on one keep-alive connection until time is up.
    Statuses in `rationed` are counted in `refused`, not as errors."""
    refused = {} if refused is None else refused
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        failed: dict[str, int] = {}
        index = offset
        start.wait()
        while time.monotonic() < deadline[0]:
            request = requests[index % len(requests)]
            index += 1
            began = time.perf_counter()
            try:
                connection.request(request.method, request.path, body=request.body, headers=request.headers)
                response = connection.getresponse()
                response.read()
                if 200 <= response.status < 300:
                    mine.append(time.perf_counter() - began)
                elif response.status in rationed:  # work refused on purpose (a PDF storm's 429s)
                    with lock:
                        refused[response.status] = refused.get(response.status, 0) + 1
                else:
                    failed[f"HTTP {response.status}"] = failed.get(f"HTTP {response.status}", 0) + 1
            except (OSError, http.client.HTTPException) as error:
                failed[type(error).__name__] = failed.get(type(error).__name__, 0) + 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.close()
        with lock:
            latencies.extend(mine)
            for key, count in failed.items():
                errors[key] = errors.get(key, 0) + count

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + seconds
    began = time.monotonic()
    start.wait()
    for thread in threads:
        thread.join()
    return Measured(name, time.monotonic() - began, latencies, errors)


def comparison_requests(token: str) -> tuple[list[Request], list[Request]]:
    pages, api = [], []
    for replicas in range(1, 13):
        query = [
            ("submitted", "1"), ("region", "us-east-1"), ("vcpu", "1"), ("memory_gib", "2"),
            ("architecture", "x86_64"), ("os", "linux"), ("usage_kind", "always_on"), ("replicas", str(replicas)),
            ("public_ipv4", "on"), *(("options", code) for code in OPTIONS),
        ]  # fmt: skip
        pages.append(Request("GET", "/compare/?" + urlencode(query)))
        scenario = {
            "region": "us-east-1",
            "workload": {"vcpu": "0.5", "memory_gib": "1"},
            "usage": {"kind": "always_on", "replicas": replicas},
        }
        headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
        api.append(Request("POST", "/api/v1/estimates", json.dumps(scenario).encode(), headers))
    return pages, api


def pdf_storm(port: int, clients: int, seconds: float) -> tuple[Measured, Measured, dict[int, int]]:
    """`clients` clients asking for PDFs no one asked for before (each a fresh render), and meanwhile two
    clients on /healthz: what the cheap requests see while the expensive ones are rationed."""
    query = {"vcpu": "1", "memory_gib": "2", "region": "us-east-1"}
    pdfs = [
        Request(
            "GET",
            "/compare/report.pdf?" + urlencode({**query, "name": f"storm {n}"}),
            headers={"X-Forwarded-For": f"198.51.100.{n % clients}"},  # ten clients, as the proxy would say
        )
        for n in range(5000)
    ]
    refused: dict[int, int] = {}
    storm: list[Measured] = []
    thread = threading.Thread(
        target=lambda: storm.append(
            drive("PDF storm", port, pdfs, clients, seconds, rationed=frozenset({429}), refused=refused)
        )
    )
    thread.start()
    time.sleep(0.5)  # the storm is on
    health = drive("healthz in the storm", port, [Request("GET", "/healthz")], 2, seconds - 1)
    thread.join()
    return storm[0], health, refused


def concurrent_saves(port: int, token: str, clients: int, each: int) -> tuple[int, int, int, list[str]]:
    """Saves from many clients at once; the count of saved scenarios before, after, and the successes."""
    headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}

    def count() -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/api/v1/scenarios", headers=headers)
        return len(json.loads(connection.getresponse().read()))

    before = count()
    saved: list[int] = []
    problems: list[str] = []
    lock = threading.Lock()

    def saver(n: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in range(each):
            body = {
                "name": f"load {n}-{i}",
                "scenario": {
                    "region": "us-east-1",
                    "workload": {"vcpu": "1", "memory_gib": "2"},
                    "usage": {"kind": "always_on", "replicas": 1 + i},
                },
            }
            connection.request("POST", "/api/v1/scenarios", json.dumps(body).encode(), headers)
            response = connection.getresponse()
            response.read()
            with lock:
                (saved.append(1) if response.status == 201 else problems.append(f"HTTP {response.status}"))

    threads = [threading.Thread(target=saver, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return before, count(), len(saved), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15, help="Time each target is driven (default 15).")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent clients (default 8).")
    parser.add_argument("--saves", type=int, default=25, help="Saves per client in the save test (default 25).")
    args = parser.parse_args(argv)

    database = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/compute_advisor_load")
    redis_url = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/5")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",  # a log line per request would measure the terminal
        "DJANGO_SETTINGS_MODULE": "compute_advisor.settings",
        "TRUSTED_PROXY_COUNT": "1",  # the storm's clients are told apart by X-Forwarded-For
        "API_USER_RATE": "1000000/minute",  # the API is measured here, not its per-account limits
        "SAVED_SCENARIOS_PER_ACCOUNT": "1000000",
    }
    print(f"fresh database {urlsplit(database).path.lstrip('/')}, Redis {redis_url}, port {port}")
    fresh_database(database)
    clear_redis(redis_url)
    log_path = ROOT / "var" / "load-serve.log"
    log_path.parent.mkdir(exist_ok=True)
    with log_path.open("w") as log:
        stack = subprocess.Popen(
            [PYTHON, "scripts/serve.py", "--host", "127.0.0.1", "--port", str(port), "--allow-deploy-warnings"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_ready(port, stack)
        token = api_token(env)
        pages, api = comparison_requests(token)
        check_comparison(port, pages[0])
        trivial = [Request("GET", "/healthz")]
        for requests in (trivial, pages, api):  # warm every worker's imports and the result cache
            drive("warm-up", port, requests, args.clients, 2)
        print(f"driving each target for {args.seconds:g} s with {args.clients} concurrent clients ...")
        results = [
            drive("trivial view", port, trivial, args.clients, args.seconds),
            drive("comparison page", port, pages, args.clients, args.seconds),
            drive("estimate API", port, api, args.clients, args.seconds),
        ]
        storm, health, refused = pdf_storm(port, PDF_CLIENTS, args.seconds)
        results += [storm, health]
        before, after, saved, problems = concurrent_saves(port, token, args.clients, args.saves)
    finally:
        os.killpg(stack.pid, signal.SIGTERM)
        stack.wait(timeout=60)

    print(f"\n{'target':<22}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}  errors")
    for r in results:
        errors = ", ".join(f"{k}: {v}" for k, v in r.errors.items()) or "0"
        print(
            f"{r.name:<22}{r.count:>10}{r.count / r.seconds:>10.1f}"
            f"{r.percentile(50):>10.1f}{r.percentile(95):>10.1f}{r.percentile(99):>10.1f}  {errors}"
        )
    trivial_p95 = results[0].percentile(95)
    ratios = {r.name: r.percentile(95) / trivial_p95 for r in results[1:]}
    print("\np95 against the trivial view: " + ", ".join(f"{name} {ratio:.2f}x" for name, ratio in ratios.items()))
    attempts = args.clients * args.saves
    total = sum(r.count for r in results)
    server_errors = sum(n for r in results for k, n in r.errors.items() if k.startswith("HTTP 5"))
    print(f"requests: {total}, 5xx: {server_errors}")
    print(
        f"PDF storm ({PDF_CLIENTS} clients): {len(storm.latencies)} rendered, {refused.get(429, 0)} refused with 429; "
        f"/healthz p95 during it {health.percentile(95):.1f} ms (limit {HEALTH_P95_MS:g} ms)"
    )
    print(f"concurrent saves: {attempts} attempted, {saved} saved, {before} before and {after} after")

    failures = [f"{r.name}: {sum(r.errors.values())} errors" for r in results if r.errors]
    if ratios["comparison page"] > P95_LIMIT:
        failures.append(f"the comparison page's p95 is {ratios['comparison page']:.2f}x the trivial view's")
    if saved != attempts or after - before != attempts:
        failures.append(f"saves lost: {attempts} attempted, {after - before} stored ({', '.join(problems)})")
    failures += [f"{r.name}: no successful requests" for r in results if not r.latencies]
    if health.percentile(95) > HEALTH_P95_MS:
        failures.append(f"/healthz p95 during the PDF storm is {health.percentile(95):.1f} ms")
    passed = (
        f"PASSED: no errors, no lost save, comparison page p95 within {P95_LIMIT:g}x, "
        f"/healthz p95 under {HEALTH_P95_MS:g} ms in a PDF storm"
    )
    print("\n" + ("FAILED: " + "; ".join(failures) if failures else passed))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
