"""How the engine's configuration keys and values read on pages and in reports."""

from decimal import Decimal

import pytest

from compute_advisor.engine import estimate, parse_scenario
from compute_advisor.estimates.presentation import (
    configuration_details,
    configuration_label,
    configuration_summary,
    configuration_value,
)
from tests.engine.conftest import book


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("instance_type", "Instance type"),
        ("registered_memory_mib", "Registered memory (MiB)"),
        ("task_memory_gib", "Task memory (GiB)"),
        ("transfer_allowance_gb", "Transfer allowance (GB)"),
        ("stranded_vcpu", "Stranded vCPU"),
        ("vcpu", "vCPU"),
        ("ebs_volume_type", "EBS volume type"),
        ("eni_trunking", "ENI trunking"),
        ("services_sharing_alb", "Services sharing ALB"),
        ("on_demand", "On-Demand"),
        ("limited_by", "Packing limited by"),
    ],
)
def test_configuration_keys_read_as_words(key, label):
    assert configuration_label(key) == label


def test_configuration_values_read_as_words():
    assert configuration_value(True) == "yes"
    assert configuration_value(False) == "no"
    assert configuration_value(Decimal("2.500")) == "2.5"
    assert configuration_value(None) == "none"
    assert configuration_value("t4g.medium") == "t4g.medium"


def test_a_strategy_reads_as_its_groups_with_their_base_weight_and_interruption_band():
    strategy = [{"provider": "on_demand", "base": 2, "weight": 1}, {"provider": "spot", "weight": 3}]
    scenario = parse_scenario(
        {
            "region": "us-east-1",
            "workload": {"vcpu": "1", "memory_gib": "2"},
            "usage": {"kind": "always_on", "replicas": 10},
            "options": ["ecs_ec2"],
            "option_settings": {"ecs_ec2": {"capacity_provider_strategy": strategy}},
        }
    )
    (option,) = estimate(scenario, book()).options
    spot = next(g for g in option.configuration["capacity_providers"] if g["provider"] == "spot")
    details = dict(configuration_details(option))
    assert details["Tasks by provider"] == "On-Demand group 4; Spot group 6"
    assert details["Capacity providers"].startswith("On-Demand group (base 2, weight 1): app on up to ")
    assert (
        f"Spot group (base 0, weight 3): app on up to {spot['instances']} x {spot['instance_type']}"
        in (details["Capacity providers"])
    )
    summary = configuration_summary(option)
    assert (
        f"Spot group {spot['instances']} x {spot['instance_type']} (interruptions {spot['interruption_band']})"
        in summary
    )
