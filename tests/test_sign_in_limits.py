"""Failed sign-ins slow down per client address and user name, and per address: a delay, never a lock that a
stranger could set off against someone else."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client, override_settings

from tests.unreachable import UNREACHABLE_REDIS


@pytest.fixture
def alice(db):
    cache.clear()
    yield User.objects.create_user("alice", password="correct horse battery")
    cache.clear()


def sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@override_settings(SIGN_IN_MAX_FAILURES=3, SIGN_IN_WINDOW_SECONDS=600)
def test_after_the_allowed_failures_attempts_wait_a_doubling_delay(alice, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr("compute_advisor.accounts.sign_in.time.time", lambda: now[0])
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert [sign_in(client, "alice", "wrong").status_code for _ in range(3)] == [200, 200, 200]
    waiting = sign_in(client, "alice", "correct horse battery")
    assert waiting.status_code == 429
    assert waiting["Retry-After"] == "1"
    assert "Too many failed sign-ins. Try again in 1 second." in waiting.content.decode()
    assert "_auth_user_id" not in client.session
    now[0] += 1
    assert sign_in(client, "alice", "wrong").status_code == 200  # the 4th failure: the next waits 2 seconds
    assert sign_in(client, "alice", "wrong")["Retry-After"] == "2"
    now[0] += 2
    assert sign_in(client, "alice", "correct horse battery").status_code == 302  # a delay, never a lock


@override_settings(SIGN_IN_MAX_FAILURES=3)
def test_a_stranger_cannot_lock_a_named_user_out(alice):
    for last in range(10):
        for _ in range(3):
            sign_in(Client(REMOTE_ADDR=f"198.51.100.{last}"), "Alice", "wrong")  # names compare without case
    assert sign_in(Client(REMOTE_ADDR="198.51.100.99"), "alice", "correct horse battery").status_code == 302


@override_settings(SIGN_IN_MAX_FAILURES=2)
def test_one_address_trying_many_names_waits_too(alice):
    attacker = Client(REMOTE_ADDR="192.0.2.66")
    for index in range(10):  # 5 x 2 failures for the address alone
        sign_in(attacker, f"user{index}", "wrong")
    assert sign_in(attacker, "alice", "correct horse battery").status_code == 429


@override_settings(SIGN_IN_MAX_FAILURES=3)
def test_the_admin_login_has_the_same_limit(alice):
    alice.is_staff = True
    alice.save()
    client = Client(REMOTE_ADDR="203.0.113.70")
    for _ in range(3):
        assert client.post("/admin/login/", {"username": "alice", "password": "wrong"}).status_code == 200
    blocked = client.post("/admin/login/", {"username": "alice", "password": "correct horse battery"})
    assert blocked.status_code == 429
    assert "Too many failed sign-ins" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    fresh = Client(REMOTE_ADDR="203.0.113.71")
    signed_in = fresh.post("/admin/login/", {"username": "alice", "password": "correct horse battery"})
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/admin/"


@override_settings(SIGN_IN_MAX_FAILURES=3)
def test_other_people_still_sign_in_and_fewer_failures_are_fine(alice):
    User.objects.create_user("bob", password="another good secret")
    attacker = Client(REMOTE_ADDR="192.0.2.1")
    for _ in range(3):
        sign_in(attacker, "alice", "wrong")
    bob = Client(REMOTE_ADDR="192.0.2.2")
    assert sign_in(bob, "bob", "another good secret").status_code == 302
    carol_client = Client(REMOTE_ADDR="192.0.2.3")
    User.objects.create_user("carol", password="yet another secret")
    sign_in(carol_client, "carol", "typo")
    assert sign_in(carol_client, "carol", "yet another secret").status_code == 302


@override_settings(CACHES=UNREACHABLE_REDIS, SIGN_IN_MAX_FAILURES=1)
def test_with_the_cache_down_sign_in_still_works(alice):
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert sign_in(client, "alice", "wrong").status_code == 200
    assert sign_in(client, "alice", "correct horse battery").status_code == 302


@override_settings(SIGN_IN_MAX_FAILURES=1, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_client_is_counted_by_its_forwarded_address(alice):
    User.objects.create_user("bob", password="another good secret")
    for name in ("x1", "x2", "x3", "x4", "x5"):  # different names: only the address's own limit (5 x 1) applies
        sign_in(Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50"), name, "wrong")
    # The same proxy, another client: not blocked by the first one's failures.
    behind_proxy = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.51")
    assert sign_in(behind_proxy, "bob", "another good secret").status_code == 302
    # The attacker cannot reset its count by writing its own X-Forwarded-For entry in front.
    spoofed = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.50")
    assert sign_in(spoofed, "alice", "correct horse battery").status_code == 429
