"""Production mode on one machine: gunicorn, two Celery workers and Celery beat, supervised together.

    DATABASE_URL=postgres://... REDIS_URL=redis://... SECRET_KEY=... python scripts/serve.py

Before serving it checks the deployment settings, migrates, loads the seed snapshot (if there are no prices
yet), and collects the static files under hashed names for WhiteNoise. One worker takes the default queue
(report batches...), the other the `refresh` queue (price refreshes), so neither waits behind the other.

A worker or beat that dies is started again (after 1 s, doubling to at most 30 s while it keeps dying), and
the web tier goes on serving meanwhile; the refresh part a dead worker held is taken over by the restarted
one as it starts (pricing.tasks). If gunicorn itself dies, the others are stopped and the script exits
non-zero, so a process manager (systemd, a container runtime) restarts the whole set. SIGTERM or Ctrl-C stops
all of them gracefully.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = [PYTHON, str(ROOT / "manage.py")]
REQUIRED = {
    "DATABASE_URL": "the PostgreSQL database, e.g. postgres://user@127.0.0.1:5432/compute_advisor",
    "REDIS_URL": "Redis for the cache and the Celery broker, e.g. redis://127.0.0.1:6379/0",
    "SECRET_KEY": "a long random string, e.g. from: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
}
# The development key `make install` writes (compute_advisor.lib.env.DEVELOPMENT_KEY_PREFIX) and the keys Django's
# startproject makes carry Django's mark of a key not meant for production; production must bring its own.
DEVELOPMENT_KEY_PREFIX = "django-insecure-"
STOP_SECONDS = 35  # gunicorn's graceful timeout is 30 s
# The processes started again when they die; any other (the web tier) ends the set.
RESTARTED = frozenset({"worker", "refresh-worker", "beat"})
RESTART_FIRST_SECONDS, RESTART_MAX_SECONDS = 1.0, 30.0
# A process that ran this long before it died starts again at once: it was not crashing in a loop.
RESTART_RESET_SECONDS = 60.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=os.environ.get("PORT", "8000"))
    parser.add_argument("--no-worker", action="store_true", help="Run no Celery worker here (one runs elsewhere).")
    parser.add_argument("--no-beat", action="store_true", help="Run no Celery beat here (one runs elsewhere).")
    parser.add_argument("--skip-setup", action="store_true", help="Do not migrate, load data or collect static.")
    parser.add_argument(
        "--allow-deploy-warnings",
        action="store_true",
        help="Start although `check --deploy` warns (plain HTTP on a test machine); production starts only clean.",
    )
    args = parser.parse_args(argv)

    missing = [f"  {name}: {why}" for name, why in REQUIRED.items() if not os.environ.get(name, "").strip()]
    if missing:
        print("Production mode needs these environment variables:\n" + "\n".join(missing), file=sys.stderr)
        return 2
    if os.environ["SECRET_KEY"].strip().startswith(DEVELOPMENT_KEY_PREFIX):
        print(
            f"Production mode refuses a SECRET_KEY that starts with {DEVELOPMENT_KEY_PREFIX!r} (a development key):\n"
            f"  SECRET_KEY: {REQUIRED['SECRET_KEY']}",
            file=sys.stderr,
        )
        return 2
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "compute_advisor.settings", "DEBUG": "0"}

    if not args.skip_setup:
        for step in (
            # A warning of the deployment check (no HTTPS, no HSTS, a weak key) stops a production start.
            ["check", "--deploy", "--fail-level", "ERROR" if args.allow_deploy_warnings else "WARNING"],
            ["migrate", "--noinput"],
            ["load_seed_prices", "--if-none"],
            ["collectstatic", "--noinput", "--verbosity", "0"],
        ):
            if subprocess.run([*MANAGE, *step], cwd=ROOT, env=env).returncode:
                print(f"setup step failed: manage.py {' '.join(step)}", file=sys.stderr)
                return 1

    commands = {
        "web": [
            PYTHON, "-m", "gunicorn", "compute_advisor.wsgi:application",
            "--config", "python:compute_advisor.gunicorn_conf", "--bind", f"{args.host}:{args.port}",
        ],
    }  # fmt: skip
    if not args.no_worker:
        celery_worker = [PYTHON, "-m", "celery", "-A", "compute_advisor", "worker", "--loglevel", "INFO"]
        # Node names per queue: two workers of one host must not share a name.
        commands["worker"] = [*celery_worker, "--queues", "celery", "--hostname", "default@%h"]
        commands["refresh-worker"] = [
            *celery_worker, "--queues", "refresh", "--concurrency", "2", "--hostname", "refresh@%h",
        ]  # fmt: skip
    if not args.no_beat:
        schedule = ROOT / "var" / "celerybeat-schedule"
        schedule.parent.mkdir(exist_ok=True)
        commands["beat"] = [
            PYTHON, "-m", "celery", "-A", "compute_advisor", "beat", "--loglevel", "INFO", "--schedule", str(schedule),
        ]  # fmt: skip
    return supervise(commands, env)


def supervise(commands: dict[str, list[str]], env: dict[str, str]) -> int:
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    children = Children(commands, env)
    status = 0
    while not stopping:
        ended = children.check()
        if ended:
            print(f"{ended} exited; stopping the others", file=sys.stderr)
            status = 1
            break
        time.sleep(0.2)
    children.stop()
    return status


class Children:
    """The supervised processes: those in RESTARTED start again when they die, with a growing delay."""

    def __init__(self, commands: dict[str, list[str]], env: dict[str, str]) -> None:
        self.commands, self.env = commands, env
        self.started: dict[str, float] = {}
        self.processes = {name: self._start(name) for name in commands}
        self.delays = {name: RESTART_FIRST_SECONDS for name in commands}
        self.restart_at: dict[str, float] = {}
        print(f"serving: {', '.join(f'{n} (pid {p.pid})' for n, p in self.processes.items())}", file=sys.stderr)

    def _start(self, name: str) -> subprocess.Popen[bytes]:
        self.started[name] = time.monotonic()
        return subprocess.Popen(self.commands[name], cwd=ROOT, env=self.env)

    def check(self) -> str:
        """Schedule and make the restarts due; the name of a process that died and is not restarted, if any."""
        now = time.monotonic()
        for name, process in self.processes.items():
            if name in self.restart_at or process.poll() is None:
                continue
            if name not in RESTARTED:
                return f"{name} (status {process.returncode})"
            if now - self.started[name] >= RESTART_RESET_SECONDS:
                self.delays[name] = RESTART_FIRST_SECONDS
            self.restart_at[name] = now + self.delays[name]
            print(
                f"{name} exited with status {process.returncode}; starting it again in {self.delays[name]:g} s, "
                "the others go on",
                file=sys.stderr,
            )
            self.delays[name] = min(RESTART_MAX_SECONDS, self.delays[name] * 2)
        for name, when in list(self.restart_at.items()):
            if now >= when:
                del self.restart_at[name]
                self.processes[name] = self._start(name)
                print(f"{name} started again (pid {self.processes[name].pid})", file=sys.stderr)
        return ""

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
