"""Settings come from the environment, and a bad value stops the app with a clear message."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from compute_advisor.lib.env import (
    DEVELOPMENT_KEY_PREFIX,
    database_config,
    development_key_create,
    env_bool,
    env_int,
    env_list,
    redis_url,
    secret_key,
)

ROOT = Path(__file__).resolve().parent.parent


def settings_in_subprocess(env: dict[str, str], expression: str) -> subprocess.CompletedProcess[str]:
    """Import the real settings module with exactly `env`, as a fresh process would."""
    code = f"import compute_advisor.settings as s; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_uses_sqlite_when_database_url_is_unset():
    config = database_config("", base_dir="/srv/app")
    assert config == {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/app/db.sqlite3"}


def test_it_reads_a_postgres_database_url():
    config = database_config("postgres://alice:s3cret@db.internal:6543/advisor", base_dir="/x")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"], config["PASSWORD"]) == (
        "db.internal",
        6543,
        "advisor",
        "alice",
        "s3cret",
    )


def test_it_refuses_a_database_url_of_another_kind():
    with pytest.raises(ImproperlyConfigured, match="postgres:// or sqlite://"):
        database_config("mysql://root@localhost/db", base_dir="/x")


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("On", True), ("0", False), ("no", False)])
def test_it_reads_booleans(raw, expected):
    assert env_bool("DEBUG", environ={"DEBUG": raw}) is expected


def test_it_refuses_a_boolean_it_cannot_read():
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be one of"):
        env_bool("DEBUG", environ={"DEBUG": "yes please"})


def test_it_reads_lists_and_whole_numbers():
    assert env_list("ALLOWED_HOSTS", ["x"], environ={"ALLOWED_HOSTS": "a.example, b.example ,"}) == [
        "a.example",
        "b.example",
    ]
    assert env_list("ALLOWED_HOSTS", ["x"], environ={}) == ["x"]
    assert env_int("N", 3, environ={"N": "12"}) == 12
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("N", 3, environ={"N": "twelve"})
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("N", 3, minimum=1, environ={"N": "0"})


def test_it_refuses_a_redis_url_without_a_redis_scheme():
    assert redis_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        redis_url("127.0.0.1:6379")


def test_the_settings_module_reads_every_variable_from_the_environment():
    result = settings_in_subprocess(
        {
            "SECRET_KEY": "k" * 50,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "advisor.example.com,api.example.com",
            "DATABASE_URL": "postgres://u@db:5432/advisor",
            "REDIS_URL": "redis://cache:6379/2",
        },
        "s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['HOST'], s.CACHES['default']['LOCATION'],"
        " s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, s.SECRET_KEY == 'k' * 50",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False ['advisor.example.com', 'api.example.com'] db redis://cache:6379/2 redis://cache:6379/2 False True"
    )


def test_without_configuration_it_runs_embedded_with_eager_tasks():
    result = settings_in_subprocess(
        {"DEBUG": "1", "SECRET_KEY": "k" * 50},
        "s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "True",
    ]


def test_the_secret_key_in_the_environment_wins_over_the_development_key(tmp_path):
    development_key_create(tmp_path / "key")
    assert secret_key(development_key_file=tmp_path / "key", environ={"SECRET_KEY": " from-the-environment "}) == (
        "from-the-environment"
    )


def test_without_a_secret_key_it_reads_the_development_key_make_install_made(tmp_path):
    key_file = tmp_path / "var" / "development-secret-key"
    assert development_key_create(key_file) is True
    key = secret_key(development_key_file=key_file, environ={})
    assert key == key_file.read_text().strip()
    assert key.startswith(DEVELOPMENT_KEY_PREFIX)
    assert len(key) >= 50 + len(DEVELOPMENT_KEY_PREFIX)
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_it_never_replaces_a_development_key_and_makes_a_new_one_each_checkout(tmp_path):
    development_key_create(tmp_path / "a")
    first = (tmp_path / "a").read_text()
    assert development_key_create(tmp_path / "a") is False
    assert (tmp_path / "a").read_text() == first
    development_key_create(tmp_path / "b")
    assert (tmp_path / "b").read_text() != first


def test_without_a_secret_key_or_a_development_key_it_says_both_ways_out(tmp_path):
    with pytest.raises(ImproperlyConfigured, match=r"SECRET_KEY is not set .* run `make install` .* or set SECRET_KEY"):
        secret_key(development_key_file=tmp_path / "absent", environ={"SECRET_KEY": ""})


def test_it_refuses_a_development_key_file_that_holds_something_else(tmp_path):
    (tmp_path / "key").write_text("hunter2\n")
    with pytest.raises(ImproperlyConfigured, match="does not hold a development key"):
        secret_key(development_key_file=tmp_path / "key", environ={})


def test_the_development_key_carries_djangos_mark_of_an_insecure_key():
    from django.core.checks.security.base import SECRET_KEY_INSECURE_PREFIX

    assert DEVELOPMENT_KEY_PREFIX == SECRET_KEY_INSECURE_PREFIX


def test_the_settings_read_the_development_key_from_var():
    from django.conf import settings

    assert settings.DEVELOPMENT_KEY_FILE == ROOT / "var" / "development-secret-key"
