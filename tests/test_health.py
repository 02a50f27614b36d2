"""/health reports the database, cache, broker and the prices' age; old prices put a banner on every page."""

from datetime import UTC, datetime, timedelta

from django.test import override_settings

from pricing.models import PriceSnapshot
from tests.unreachable import UNREACHABLE_REDIS
from tests.web.test_compare import BASE as COMPARE_FORM


def test_health_reports_each_dependency_and_the_snapshot(client, seeded):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    checks = body["checks"]
    assert set(checks) == {"database", "cache", "broker", "snapshot"}
    assert all(check["ok"] for check in checks.values())
    assert checks["snapshot"]["id"] == seeded.pk
    assert checks["snapshot"]["as_of"] == seeded.as_of.isoformat()
    assert checks["snapshot"]["stale"] is False


def test_health_without_a_snapshot_is_ready_but_degraded(client, no_prices):
    body = client.get("/health").json()
    assert body["status"] == "degraded"
    assert body["checks"]["snapshot"]["ok"] is False
    assert body["checks"]["snapshot"]["error"] == "LookupError: no price snapshot is active"


@override_settings(CACHES=UNREACHABLE_REDIS)
def test_a_dead_cache_degrades_but_does_not_take_the_app_down(client, seeded):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["ok"] is False
    assert "127.0.0.1:9" in body["checks"]["cache"]["error"]
    assert body["checks"]["database"]["ok"] is True
    # And the comparison itself still answers.
    page = client.get("/compare/", COMPARE_FORM)
    assert page.status_code == 200
    assert "US dollars a month" in page.content.decode()  # the results table, not just the form


@override_settings(PRICE_SNAPSHOT_MAX_AGE_DAYS=30)
def test_old_prices_show_a_banner_and_a_stale_health(client, seeded):
    today = datetime.now(UTC).date()
    PriceSnapshot.objects.filter(pk=seeded.pk).update(as_of=today - timedelta(days=30))
    assert "These prices are" not in client.get("/").content.decode()
    PriceSnapshot.objects.filter(pk=seeded.pk).update(as_of=today - timedelta(days=31))
    page = client.get("/").content.decode()
    assert "These prices are 31 days old" in page
    assert "the limit set for this site is 30 days" in page
    body = client.get("/health").json()
    assert body["status"] == "degraded"
    assert body["checks"]["snapshot"]["age_days"] == 31
    assert body["checks"]["snapshot"]["stale"] is True
