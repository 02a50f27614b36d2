"""Priced results are cached under the normalised scenario and the snapshot; the cache only saves work."""

import dataclasses
import logging
import shutil
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

import pricing.snapshot_book as snapshot_book
from compute_advisor.comparison.result_cache import (
    engine_digest,
    pricing_input_files,
    pricing_inputs_digest,
    result_key,
)
from compute_advisor.comparison.service import comparison_price as scenario_price
from compute_advisor.engine import price_keys, reference
from pricing.models import PriceSnapshot
from tests.factories import parsed_scenario
from tests.unreachable import UNREACHABLE_REDIS


def test_equivalent_scenarios_share_a_key_and_a_change_of_price_input_does_not(seeded):
    written = {"vcpu": "1", "memory_gib": "2"}
    base = parsed_scenario(workload=written, usage={"replicas": 3})
    key = result_key(base, seeded)
    same = parsed_scenario(
        name="Orders API",
        workload={"vcpu": "1.0", "memory_gib": 2, "os": "linux"},
        usage={"replicas": 3},
        hours_per_month="730.00",
    )
    assert result_key(same, seeded) == key
    assert result_key(parsed_scenario(workload=written, usage={"replicas": 4}), seeded) != key
    assert result_key(parsed_scenario(workload=written, usage={"replicas": 3}, purchase="spot"), seeded) != key
    newer = PriceSnapshot(pk=seeded.pk + 1, created_at=seeded.created_at + timedelta(days=1))
    assert result_key(base, newer) != key
    # An id handed out again (a rebuilt database) is a different snapshot too.
    reused = PriceSnapshot(pk=seeded.pk, created_at=seeded.created_at + timedelta(seconds=1))
    assert result_key(base, reused) != key


def test_a_priced_result_is_stored_and_served_from_the_cache(seeded):
    scenario = parsed_scenario(usage={"replicas": 3})
    first = scenario_price(scenario=scenario, snapshot=seeded)
    stored = cache.get(result_key(scenario, seeded))
    assert stored is not None
    assert stored.to_json() == first.to_json()

    # What the cache holds is what the next request gets, even for a scenario written differently.
    marked = dataclasses.replace(first, hours_per_month=Decimal("123"))
    cache.set(result_key(scenario, seeded), marked)
    again = scenario_price(scenario=parsed_scenario(usage={"replicas": 3}, name="renamed"), snapshot=seeded)
    assert again.hours_per_month == Decimal("123")


@override_settings(RESULT_CACHE_SECONDS=0)
def test_the_result_cache_can_be_turned_off(seeded):
    scenario = parsed_scenario(usage={"replicas": 7})
    scenario_price(scenario=scenario, snapshot=seeded)
    assert cache.get(result_key(scenario, seeded)) is None


@override_settings(CACHES=UNREACHABLE_REDIS)
def test_with_redis_unreachable_results_are_computed_and_equal(seeded, caplog):
    scenario = parsed_scenario(usage={"replicas": 5})
    with caplog.at_level(logging.WARNING, logger="compute_advisor.comparison.result_cache"):
        result = scenario_price(scenario=scenario, snapshot=seeded)
    assert "cache unavailable, computing instead" in caplog.text
    with override_settings(RESULT_CACHE_SECONDS=0):
        assert scenario_price(scenario=scenario, snapshot=seeded).to_json() == result.to_json()
    assert result.option("fargate").total > 0


@pytest.mark.parametrize("replicas", [1, 2])
def test_cached_and_computed_results_agree(seeded, replicas):
    scenario = parsed_scenario(usage={"replicas": replicas})
    computed = scenario_price(scenario=scenario, snapshot=seeded)
    served = scenario_price(scenario=scenario, snapshot=seeded)
    assert served.to_json() == computed.to_json()


def test_the_digest_covers_every_file_the_engine_reads():
    covered = set(pricing_input_files())
    assert set(p for p in reference.DATA_DIR.iterdir() if p.is_file()) <= covered
    # Every module the engine runs (the price-key registry among them), and the reader of a snapshot's prices.
    assert Path(price_keys.__file__) in covered
    modules = {
        Path(module.__file__)
        for name, module in list(sys.modules.items())
        if name.startswith("compute_advisor.engine") and getattr(module, "__file__", None)
    }
    assert modules <= covered
    assert Path(snapshot_book.__file__) in covered


def copy_of_the_inputs(tmp_path):
    engine = Path(reference.__file__).parent
    copy = tmp_path / "compute_advisor" / "engine"
    shutil.copytree(engine, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "pricing").mkdir()
    shutil.copy(snapshot_book.__file__, tmp_path / "pricing" / "snapshot_book.py")
    return [copy, tmp_path / "pricing" / "snapshot_book.py"]


def test_the_digest_is_that_of_the_files_wherever_they_are(tmp_path):
    inputs = copy_of_the_inputs(tmp_path)
    assert pricing_inputs_digest(inputs, root=tmp_path) == engine_digest()


@pytest.mark.parametrize(
    "change",
    [
        "edit a data file",
        "add a data file of a new kind",
        "edit an engine module",
        "edit the price-key registry",
        "edit the snapshot reader",
        "rename a data file",
    ],
)
def test_changing_or_adding_a_file_the_engine_reads_changes_the_digest(tmp_path, change):
    inputs = copy_of_the_inputs(tmp_path)
    before = pricing_inputs_digest(inputs, root=tmp_path)
    data = inputs[0] / "data"
    if change == "edit a data file":
        path = data / "lightsail.json"
        path.write_text(path.read_text().replace('"container_max_scale": 20', '"container_max_scale": 21'))
    elif change == "add a data file of a new kind":
        (data / "spot-interruption-rates.yaml").write_text("m6i.large: 5\n")
    elif change == "edit an engine module":
        path = inputs[0] / "options" / "fargate.py"
        path.write_text(path.read_text() + "\n# a change\n")
    elif change == "edit the price-key registry":
        path = inputs[0] / "price_keys.py"
        path.write_text(path.read_text().replace('"GB-Mo", "EBS gp2 storage"', '"GB-Mo", "EBS gp2 volumes"'))
    elif change == "edit the snapshot reader":
        inputs[1].write_text(inputs[1].read_text() + "\n# a change\n")
    else:
        (data / "lightsail.json").rename(data / "lightsail-plans.json")
    assert pricing_inputs_digest(inputs, root=tmp_path) != before
