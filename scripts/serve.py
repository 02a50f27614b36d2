"""Production mode on one machine: gunicorn, a Celery worker and Celery beat, supervised together.

    DATABASE_URL=postgres://... REDIS_URL=redis://... SECRET_KEY=... python scripts/serve.py

Before serving it checks the deployment settings, migrates, loads the seed snapshot (if there are no prices
yet), and collects the static files under hashed names for WhiteNoise. If any of the three
processes dies the others are stopped and the script exits non-zero, so a process manager (systemd, a
container runtime) restarts the whole set. SIGTERM or Ctrl-C stops all three gracefully.
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=os.environ.get("PORT", "8000"))
    parser.add_argument("--no-worker", action="store_true", help="Run no Celery worker here (one runs elsewhere).")
    parser.add_argument("--no-beat", action="store_true", help="Run no Celery beat here (one runs elsewhere).")
    parser.add_argument("--skip-setup", action="store_true", help="Do not migrate, load data or collect static.")
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
            ["check", "--deploy", "--fail-level", "ERROR"],
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
        commands["worker"] = [PYTHON, "-m", "celery", "-A", "compute_advisor", "worker", "--loglevel", "INFO"]
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
    children = {name: subprocess.Popen(command, cwd=ROOT, env=env) for name, command in commands.items()}
    print(f"serving: {', '.join(f'{name} (pid {p.pid})' for name, p in children.items())}", file=sys.stderr)
    status = 0
    while not stopping:
        for name, process in children.items():
            if process.poll() is not None:
                print(f"{name} exited with status {process.returncode}; stopping the others", file=sys.stderr)
                stopping, status = True, 1
                break
        time.sleep(0.5)
    for process in children.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for process in children.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
    return status


if __name__ == "__main__":
    sys.exit(main())
