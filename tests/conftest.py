"""Shared fixtures. Tests that need a real service skip when it is absent, unless REQUIRE_SERVICES=1
(CI), where an absent service fails the test instead: a green run then proves the service was used."""

from __future__ import annotations

import contextlib
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


def seed_load():
    """Load the shipped seed snapshot (a no-op returning it when it is already there) and make it active."""
    from django.conf import settings

    from pricing.services import price_snapshot_load_seed

    return price_snapshot_load_seed(path=settings.SEED_PRICES_FILE).snapshot


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the seed snapshot loaded into it once for the session: loading it takes about
    1,900 inserts, which done for every test was most of a web test's time.

    What each kind of test sees:
    - A `db` test runs inside a transaction that is rolled back afterwards, so it finds the seed active, and
      whatever it does to it (supersede it, add snapshots, delete it) is undone for the next one.
    - A transactional test (`transaction=True`, `transactional_db`, `live_server`: tests/browser,
      tests/services) commits, and pytest-django empties every table after it. pytest-django runs all `db`
      tests before the transactional ones (as Django's runner does), so no `db` test ever follows that
      flush; after the first flush a transactional test finds no seed unless it asks for `seeded`, which then
      loads it again (committed, and flushed after that test). A test that needs prices asks for `seeded`;
      a test that needs none asks for `no_prices`; no test may rely on either without asking.
    Why not `serialized_rollback`: Django serializes the database when it creates it (before this load, so
    the seed would have to be serialized again here) and restores it at the start of every transactional
    test that asks, object by object through the serializers: about 0.4 s against the seed loader's 0.15 s
    bulk insert, and paid by transactional tests that price nothing.
    The in-process caches keyed by snapshot (comparison.prices._book, selectors' regions) stay right: they
    are keyed by the snapshot's id and creation time, a snapshot's prices never change, and a re-loaded seed
    is a new snapshot with a new creation time. The Django cache is emptied before each test (below)."""
    with django_db_blocker.unblock():
        seed_load()


@pytest.fixture
def seeded(db):
    """The shipped seed snapshot, active. Loaded once for the session (see `django_db_setup`), so this only
    looks it up, and loads it again when a transactional test has flushed it away. (The catalog needs no
    loading: it is the engine's reference data.)"""
    from pricing.models import PriceSnapshot

    active = PriceSnapshot.objects.filter(source=PriceSnapshot.Source.SEED, status=PriceSnapshot.Status.ACTIVE)
    return active.first() or seed_load()


@pytest.fixture
def no_prices(db):
    """No price snapshot at all, as before the seed is first loaded. The seed is in the test database from the
    start (see `django_db_setup`); this deletes every snapshot (and so every price) inside the test: a `db`
    test's rollback puts them back, and a transactional test's flush empties the tables anyway."""
    from pricing.models import PriceSnapshot

    PriceSnapshot.objects.all().delete()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty Django cache. Results and pages are cached under their snapshot, and
    the seed is one snapshot for the whole session: without this a test would be served what an earlier one
    cached, or planted (tests/estimates/test_result_cache.py stores a marked result on purpose)."""
    from django.core.cache import cache

    with contextlib.suppress(Exception):  # a cache that is down holds nothing to serve
        cache.clear()


@pytest.fixture
def alice(db):
    """A user, and below another: for tests of what one may see and do of the other's."""
    from django.contrib.auth.models import User

    return User.objects.create_user("alice", password="a-long-password-1")


@pytest.fixture
def bob(db):
    from django.contrib.auth.models import User

    return User.objects.create_user("bob", password="a-long-password-2")
