"""scripts/serve.py refuses to start production mode without what production needs, runs a worker per queue,
and starts a dead worker again without taking the web tier down."""

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_production_mode_names_each_missing_setting_and_exits_2():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}}
    env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    done = subprocess.run(
        [sys.executable, "scripts/serve.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "DATABASE_URL: the PostgreSQL database" in done.stderr
    assert "SECRET_KEY: a long random" in done.stderr
    assert "REDIS_URL" not in done.stderr
    assert "Traceback" not in done.stderr


def test_production_mode_refuses_a_development_key():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}}
    env.update(
        DATABASE_URL="postgres://u@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/0",
        SECRET_KEY="django-insecure-" + "k" * 50,
    )
    done = subprocess.run(
        [sys.executable, "scripts/serve.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "refuses a SECRET_KEY that starts with 'django-insecure-'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_deploy_check_warning_stops_a_production_start():
    import secrets

    env = {k: v for k, v in os.environ.items() if k not in {"HTTPS", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DATABASE_URL="postgres://u@127.0.0.1:1/x",  # never reached: the check comes first
        REDIS_URL="redis://127.0.0.1:6379/0",
        SECRET_KEY=secrets.token_urlsafe(50),
    )
    done = subprocess.run(
        [sys.executable, "scripts/serve.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "security.W008" in done.stderr + done.stdout  # no HTTPS redirect: a warning, now fatal
    assert "setup step failed: manage.py check --deploy --fail-level WARNING" in done.stderr


DRIVER = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("serve", sys.argv[1])
serve = importlib.util.module_from_spec(spec)
spec.loader.exec_module(serve)
sys.exit(serve.supervise(json.loads(sys.argv[2]), dict(__import__("os").environ)))
"""


def test_a_dead_worker_is_started_again_and_the_web_tier_goes_on(tmp_path):
    """The supervisor of production mode, with stand-ins: a "web" that records its pid and serves on, and a
    "worker" whose main process dies at once every time. The worker comes back (twice within 4 s: after 1 s,
    then 2 s), the web process is the same one throughout, and SIGTERM still stops everything with status 0."""
    web_pid, starts = tmp_path / "web.pid", tmp_path / "worker.starts"
    commands = {
        "web": [
            sys.executable,
            "-c",
            f"import os,time; open({str(web_pid)!r},'w').write(str(os.getpid())); time.sleep(60)",
        ],
        "worker": [sys.executable, "-c", f"open({str(starts)!r},'a').write('x'); raise SystemExit(1)"],
    }
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(ROOT / "scripts" / "serve.py"), json.dumps(commands)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (not starts.exists() or len(starts.read_text()) < 3):
            time.sleep(0.2)
        assert len(starts.read_text()) >= 3, "the worker was not started again"
        assert driver.poll() is None, "the supervisor stopped"
        pid = int(web_pid.read_text())
        os.kill(pid, 0)  # the first web process still runs
    finally:
        driver.send_signal(signal.SIGTERM)
        _, stderr = driver.communicate(timeout=60)
    assert driver.returncode == 0, stderr
    assert "worker exited with status 1; starting it again in 1 s, the others go on" in stderr
    assert "worker started again" in stderr
    assert "stopping the others" not in stderr
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # stopped with the rest


def test_the_production_commands_run_a_worker_for_each_queue(monkeypatch):
    """serve.py starts one worker on the default queue and one on the refresh queue (settings names both)."""
    from django.conf import settings

    spec = importlib.util.spec_from_file_location("serve_under_test", ROOT / "scripts" / "serve.py")
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)
    seen = {}
    monkeypatch.setattr(serve, "supervise", lambda commands, env: seen.update(commands) or 0)
    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1:5432/x")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("SECRET_KEY", "k" * 50)
    assert serve.main(["--skip-setup"]) == 0
    queues = {name: command[command.index("--queues") + 1] for name, command in seen.items() if "--queues" in command}
    assert queues == {"worker": settings.CELERY_TASK_DEFAULT_QUEUE, "refresh-worker": settings.PRICE_REFRESH_QUEUE}
    assert set(seen) == {"web", "worker", "refresh-worker", "beat"}
    assert set(seen) - {"web"} <= serve.RESTARTED
