"""Shared fixtures. Tests that need a real service skip when it is absent, unless REQUIRE_SERVICES=1
(CI), where an absent service fails the test instead: a green run then proves the service was used."""

from __future__ import annotations

import os

import pytest

from compute_advisor.lib.env import env_bool


def services_required() -> bool:
    return env_bool("REQUIRE_SERVICES", False)


def need(service: str, available: bool, why: str = "") -> None:
    """Skip (locally) or fail (REQUIRE_SERVICES=1) when `service` is not available."""
    if available:
        return
    message = f"{service} is not available{': ' + why if why else ''}"
    if services_required():
        pytest.fail(f"{message} (REQUIRE_SERVICES=1)")
    pytest.skip(message)


def redis_url() -> str:
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


@pytest.fixture
def seeded(db):
    """The shipped seed snapshot, active. (The catalog needs no loading: it is the engine's reference data.)"""
    from django.conf import settings

    from pricing.services import price_snapshot_load_seed

    return price_snapshot_load_seed(path=settings.SEED_PRICES_FILE).snapshot


@pytest.fixture
def alice(db):
    """A user, and below another: for tests of what one may see and do of the other's."""
    from django.contrib.auth.models import User

    return User.objects.create_user("alice", password="a-long-password-1")


@pytest.fixture
def bob(db):
    from django.contrib.auth.models import User

    return User.objects.create_user("bob", password="a-long-password-2")
