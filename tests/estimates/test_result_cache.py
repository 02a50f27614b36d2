"""Priced results are cached under the normalised scenario and the snapshot; the cache only saves work."""

import dataclasses
import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import override_settings

from compute_advisor.engine import parse_scenario
from compute_advisor.estimates.result_cache import result_key
from compute_advisor.estimates.services import scenario_price
from pricing.models import PriceSnapshot
from tests.unreachable import UNREACHABLE_REDIS

BASE = {
    "region": "us-east-1",
    "workload": {"vcpu": "1", "memory_gib": "2"},
    "usage": {"kind": "always_on", "replicas": 3},
}


def test_equivalent_scenarios_share_a_key_and_a_change_of_price_input_does_not(seeded):
    key = result_key(parse_scenario(BASE), seeded)
    same = {
        **BASE,
        "name": "Orders API",
        "workload": {"vcpu": "1.0", "memory_gib": 2, "os": "linux"},
        "hours_per_month": "730.00",
    }
    assert result_key(parse_scenario(same), seeded) == key
    assert result_key(parse_scenario({**BASE, "usage": {"kind": "always_on", "replicas": 4}}), seeded) != key
    assert result_key(parse_scenario({**BASE, "purchase": "spot"}), seeded) != key
    newer = PriceSnapshot(pk=seeded.pk + 1, created_at=seeded.created_at + timedelta(days=1))
    assert result_key(parse_scenario(BASE), newer) != key
    # An id handed out again (a rebuilt database) is a different snapshot too.
    reused = PriceSnapshot(pk=seeded.pk, created_at=seeded.created_at + timedelta(seconds=1))
    assert result_key(parse_scenario(BASE), reused) != key


def test_a_priced_result_is_stored_and_served_from_the_cache(seeded):
    scenario = parse_scenario(BASE)
    first = scenario_price(scenario=scenario, snapshot=seeded)
    stored = cache.get(result_key(scenario, seeded))
    assert stored is not None
    assert stored.to_json() == first.to_json()

    # What the cache holds is what the next request gets, even for a scenario written differently.
    marked = dataclasses.replace(first, hours_per_month=Decimal("123"))
    cache.set(result_key(scenario, seeded), marked)
    again = scenario_price(scenario=parse_scenario({**BASE, "name": "renamed"}), snapshot=seeded)
    assert again.hours_per_month == Decimal("123")


@override_settings(RESULT_CACHE_SECONDS=0)
def test_the_result_cache_can_be_turned_off(seeded):
    scenario = parse_scenario({**BASE, "usage": {"kind": "always_on", "replicas": 7}})
    scenario_price(scenario=scenario, snapshot=seeded)
    assert cache.get(result_key(scenario, seeded)) is None


@override_settings(CACHES=UNREACHABLE_REDIS)
def test_with_redis_unreachable_results_are_computed_and_equal(seeded, caplog):
    scenario = parse_scenario({**BASE, "usage": {"kind": "always_on", "replicas": 5}})
    with caplog.at_level(logging.WARNING, logger="compute_advisor.estimates.result_cache"):
        result = scenario_price(scenario=scenario, snapshot=seeded)
    assert "cache unavailable, computing instead" in caplog.text
    with override_settings(RESULT_CACHE_SECONDS=0):
        assert scenario_price(scenario=scenario, snapshot=seeded).to_json() == result.to_json()
    assert result.option("fargate").total > 0


@pytest.mark.parametrize("replicas", [1, 2])
def test_cached_and_computed_results_agree(seeded, replicas):
    scenario = parse_scenario({**BASE, "usage": {"kind": "always_on", "replicas": replicas}})
    computed = scenario_price(scenario=scenario, snapshot=seeded)
    served = scenario_price(scenario=scenario, snapshot=seeded)
    assert served.to_json() == computed.to_json()
