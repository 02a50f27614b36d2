"""Factories for the tests' data. (Users and snapshots are fixtures in tests/conftest.py.)"""

from __future__ import annotations

import copy
from typing import Any

from compute_advisor.engine import Scenario, parse_scenario

# The smallest scenario every option can price: one small service, two replicas, all month.
_SCENARIO: dict[str, Any] = {
    "region": "us-east-1",
    "workload": {"vcpu": 1, "memory_gib": 2},
    "usage": {"kind": "always_on", "replicas": 2},
}


def scenario_data(**overrides: Any) -> dict[str, Any]:
    """A new scenario dict, as the API, the CLI and a saved scenario take it: the one above, with `overrides`.

    A keyword sets that top-level key (`region="eu-west-1"`, `purchase="spot"`, `options=["fargate"]`,
    `traffic={...}`), except the two whose default is a dict, which a dict is merged into, one level deep:
    `workload={"os": "windows"}` keeps 1 vCPU and 2 GiB, `usage={"replicas": 3}` stays always on. A usage of
    another kind replaces the default one instead (`usage={"kind": "hourly", "replicas_by_hour": [...]}`), as
    each kind has its own fields. Everything is copied: the dict, and what was passed in, can be changed
    freely without touching another call's.
    """
    data = copy.deepcopy(_SCENARIO)
    for key, value in copy.deepcopy(overrides).items():
        default = data.get(key)
        data[key] = {**default, **value} if _merges(default, value) else value
    return data


def _merges(default: object, value: object) -> bool:
    if not (isinstance(default, dict) and isinstance(value, dict)):
        return False
    return value.get("kind") in (None, default.get("kind"))  # a usage of another kind has other fields


def parsed_scenario(**overrides: Any) -> Scenario:
    """`scenario_data(**overrides)` parsed by the engine (ScenarioError when the overrides make it invalid)."""
    return parse_scenario(scenario_data(**overrides))
