"""scripts/serve.py refuses to start production mode without what production needs."""

import os
import subprocess
import sys
from pathlib import Path

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
