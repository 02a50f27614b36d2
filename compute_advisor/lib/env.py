"""Typed readers for environment variables that fail loudly on a bad value.

Settings must never parse a bad value silently: `DEBUG=yes please` is an error, not False.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
# Django's own mark of a key not meant for production (django.core.checks.security.base.SECRET_KEY_INSECURE_PREFIX):
# `manage.py check --deploy` warns of such a key (security.W009), and scripts/serve.py refuses it.
DEVELOPMENT_KEY_PREFIX = "django-insecure-"


def env_str(name: str, default: str = "", *, environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(name, default).strip()


def env_bool(name: str, default: bool = False, *, environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    if name not in environ:
        return default
    raw = environ[name].strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {environ[name]!r}")


def env_int(name: str, default: int, *, minimum: int | None = None, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    return value


def env_list(name: str, default: list[str], *, environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None or not raw.strip():
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_config(url: str, *, base_dir: os.PathLike[str] | str) -> dict[str, object]:
    """DATABASE_URL to Django's DATABASES entry; empty means the embedded SQLite file."""
    import dj_database_url

    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(base_dir, "db.sqlite3")}
    scheme = url.split(":", 1)[0].lower()
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a postgres:// or sqlite:// URL; got a {scheme or 'schemeless'} URL"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
    return dict(config)


def redis_url(url: str) -> str:
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL must start with redis://, rediss:// or unix://; got {url!r}")
    return url


def secret_key(*, development_key_file: Path, environ: Mapping[str, str] | None = None) -> str:
    """SECRET_KEY from the environment; without it, the development key that `make install` wrote.

    The development key lets every README command run from a plain shell on a developer's machine. It is
    made on that machine (random, mode 600, git-ignored) and carries Django's `django-insecure-` prefix, so
    production, which must bring its own key in the environment, can tell it apart and refuse it."""
    key = env_str("SECRET_KEY", environ=environ)
    if key:
        return key
    try:
        key = development_key_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"SECRET_KEY is not set and there is no development key in {development_key_file}: "
            "run `make install` to make one, or set SECRET_KEY"
        ) from None
    except OSError as exc:
        raise ImproperlyConfigured(f"the development key {development_key_file} cannot be read: {exc}") from None
    if not key.startswith(DEVELOPMENT_KEY_PREFIX) or len(key) < len(DEVELOPMENT_KEY_PREFIX) + 40:
        raise ImproperlyConfigured(
            f"{development_key_file} does not hold a development key: delete it and run `make install`, "
            "or set SECRET_KEY"
        )
    return key


def development_key_create(path: Path) -> bool:
    """Write a new random development key to `path`, readable by its owner only, unless one is there.

    Returns whether it wrote one. `make install` calls this; the settings read the file (see secret_key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: an existing key is never replaced, so the sessions signed with it stay valid.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(DEVELOPMENT_KEY_PREFIX + secrets.token_urlsafe(50) + "\n")
    return True


def settings_or_exit(program: str) -> None:
    """Load the Django settings now, so that a variable they cannot read stops `program` with the settings'
    one-line message instead of a traceback from deep inside Django's start-up."""
    from django.conf import settings

    try:
        _ = settings.INSTALLED_APPS  # reading a setting loads the settings module
    except ImproperlyConfigured as exc:
        sys.exit(f"{program}: {exc}")
