"""Production settings pass Django's deployment checks, and serve what browsers need to keep users safe."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from compute_advisor.lib.env import development_key_create

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Not the test process's own switches (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE).
    dropped = {"DEBUG", "HTTPS", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "compute_advisor.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    done = run_manage("check", "--deploy", "--fail-level", "WARNING", HTTPS="1", SECRET_KEY=secrets.token_urlsafe(50))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_without_https_the_deploy_check_names_what_is_missing():
    done = run_manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50))
    assert done.returncode != 0
    for warning in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert warning in done.stderr + done.stdout


def test_the_deploy_check_flags_the_development_key():
    # Without SECRET_KEY the settings use the development key `make install` made: fine for `check`, flagged
    # by `check --deploy`. (scripts/serve.py refuses it outright: tests/test_serve_script.py.)
    development_key_create(settings.DEVELOPMENT_KEY_FILE)
    assert run_manage("check", HTTPS="1").returncode == 0
    done = run_manage("check", "--deploy", "--fail-level", "WARNING", HTTPS="1")
    assert done.returncode != 0
    assert "security.W009" in done.stderr + done.stdout


def test_pages_carry_the_security_headers(client, db):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
