"""Capacity provider strategies: the base first, the rest by weight, each provider's part at its own rates."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compute_advisor.engine import Price, estimate, price_keys
from compute_advisor.engine.catalog import default_catalog
from compute_advisor.engine.money import cents
from compute_advisor.engine.options.ecs_ec2_strategy import MIXED_WARNING
from compute_advisor.engine.scenario import ScenarioError, parse_scenario
from compute_advisor.engine.strategy import Share, split, tasks_by_hour
from tests.engine.conftest import book

A, B = "FARGATE", "FARGATE_SPOT"


@pytest.mark.parametrize(
    ("tasks", "strategy", "expected"),
    [
        # ECS's own example shape: a base of 2 on one provider, the rest 1:3.
        (10, [Share(A, 2, 1), Share(B, 0, 3)], {A: 4, B: 6}),
        (2, [Share(A, 2, 1), Share(B, 0, 3)], {A: 2, B: 0}),
        # 1 task beyond the base: 1/4 and 3/4 of it; the larger remainder (FARGATE_SPOT's) takes it.
        (3, [Share(A, 2, 1), Share(B, 0, 3)], {A: 2, B: 1}),
        # 7 at 1:1: 3 and 3, the seventh to the one listed first.
        (7, [Share(A, 0, 1), Share(B, 0, 1)], {A: 4, B: 3}),
        (7, [Share(B, 0, 1), Share(A, 0, 1)], {A: 3, B: 4}),
        (5, [Share(A, 0, 2), Share(B, 0, 3)], {A: 2, B: 3}),
        # A base larger than the tasks: all of them on it.
        (1, [Share(A, 0, 1), Share(B, 5, 0)], {A: 0, B: 1}),
        # A provider of weight 0 runs its base only.
        (10, [Share(A, 0, 1), Share(B, 3, 0)], {A: 7, B: 3}),
        (0, [Share(A, 2, 1), Share(B, 0, 3)], {A: 0, B: 0}),
    ],
)
def test_it_splits_tasks_base_first_then_by_weight(tasks, strategy, expected):
    assert split(tasks, strategy) == expected


@given(
    tasks=st.integers(0, 5000),
    base=st.integers(0, 50),
    weights=st.lists(st.integers(0, 20), min_size=2, max_size=4).filter(any),
)
def test_every_task_has_one_provider_and_shares_follow_the_weights(tasks, base, weights):
    strategy = [Share(f"p{i}", base if i == 0 else 0, w) for i, w in enumerate(weights)]
    counts = split(tasks, strategy)
    assert sum(counts.values()) == tasks
    rest = max(tasks - base, 0)
    total = sum(weights)
    for share in strategy:
        exact = Decimal(rest * share.weight) / total
        own = counts[share.provider] - min(share.base, tasks)
        assert exact - 1 < own < exact + 1


def scenario(usage, **settings):
    return parse_scenario(
        {
            "region": "us-east-1",
            "workload": {"vcpu": "1", "memory_gib": "2"},
            "usage": usage,
            "options": ["ecs_ec2", "fargate"],
            "option_settings": settings,
        }
    )


def option(result, code):
    return next(o for o in result.options if o.option == code)


FARGATE_SPLIT = {"capacity_provider_strategy": [{"provider": A, "base": 2, "weight": 1}, {"provider": B, "weight": 3}]}


def test_fargate_bills_each_provider_part_at_its_own_rates():
    us_east_1 = book()
    result = option(
        estimate(scenario({"kind": "always_on", "replicas": 10}, fargate=FARGATE_SPLIT), us_east_1), "fargate"
    )
    providers = {p["provider"]: p for p in result.configuration["capacity_providers"]}
    assert (providers[A]["tasks"], providers[B]["tasks"]) == (4, 6)
    assert (providers[A]["task_hours"], providers[B]["task_hours"]) == (Decimal(2920), Decimal(4380))
    rate = {
        key: us_east_1.get("AmazonECS", key).usd
        for key in (
            "Fargate-vCPU-Hours:perCPU",
            "Fargate-GB-Hours",
            "SpotUsage-Fargate-vCPU-Hours:perCPU",
            "SpotUsage-Fargate-GB-Hours",
        )
    }
    costs = {line.description: line.cost for line in result.line_items}
    assert costs["Fargate vCPU (Linux/x86)"] == 2920 * rate["Fargate-vCPU-Hours:perCPU"]
    assert costs["Fargate memory (Linux/x86)"] == 2 * 2920 * rate["Fargate-GB-Hours"]
    assert costs["Fargate Spot vCPU (Linux/x86)"] == 4380 * rate["SpotUsage-Fargate-vCPU-Hours:perCPU"]
    assert costs["Fargate Spot memory (Linux/x86)"] == 2 * 4380 * rate["SpotUsage-Fargate-GB-Hours"]
    assert any("Fargate Spot can stop a task" in w for w in result.warnings)


def test_an_hourly_profile_is_split_hour_by_hour():
    profile = [2, 3, 6, 10] * 6
    result = option(
        estimate(scenario({"kind": "hourly", "replicas_by_hour": profile}, fargate=FARGATE_SPLIT), book()), "fargate"
    )
    providers = {p["provider"]: p for p in result.configuration["capacity_providers"]}
    # 2: all base; 3: the one beyond it to FARGATE_SPOT (3/4 > 1/4); 6: 4 beyond, 1 and 3; 10: 8 beyond, 2 and 6.
    assert providers[A]["tasks_by_hour"] == [2, 2, 3, 4] * 6
    assert providers[B]["tasks_by_hour"] == [0, 1, 3, 6] * 6
    assert tasks_by_hour(profile, [Share(A, 2, 1), Share(B, 0, 3)]) == {A: [2, 2, 3, 4] * 6, B: [0, 1, 3, 6] * 6}
    # Each provider's task-hours are its tasks over the month's hours (730 / 24 a profile hour).
    assert providers[A]["task_hours"] == Decimal(730) * sum([2, 2, 3, 4]) / 4
    assert providers[B]["task_hours"] == Decimal(730) * sum([0, 1, 3, 6]) / 4


EC2_SPLIT = {
    "capacity_provider_strategy": [{"provider": "on_demand", "base": 2, "weight": 1}, {"provider": "spot", "weight": 3}]
}


def test_ecs_on_ec2_puts_the_base_on_demand_and_prices_the_spot_group_from_the_spot_advisor():
    us_east_1 = book()
    result = option(estimate(scenario({"kind": "always_on", "replicas": 10}, ecs_ec2=EC2_SPLIT), us_east_1), "ecs_ec2")
    assert result.available, result.unavailable_reason
    assert result.configuration["tasks_by_provider"] == {"on_demand": 4, "spot": 6}
    groups = {g["provider"]: g for g in result.configuration["capacity_providers"]}
    spot_type = groups["spot"]["instance_type"]
    advice = default_catalog().spot_advice("us-east-1")[spot_type]
    assert groups["spot"]["interruption_band"] == advice.interruption_band
    assert sum(sum(box.values()) for box in groups["on_demand"]["peak_layout"]) == 4
    assert sum(sum(box.values()) for box in groups["spot"]["peak_layout"]) == 6
    (spot_line,) = [line for line in result.line_items if line.description.startswith("Spot group: EC2 ")]
    on_demand = us_east_1.get("AmazonEC2", f"BoxUsage:{spot_type}").usd
    assert spot_line.unit_price == on_demand * (100 - advice.saving_percent) / 100
    assert f"average saving of {advice.saving_percent}%" in spot_line.description
    assert "2025-06-28" in spot_line.description
    assert any(advice.interruption_band in w and spot_type in w for w in result.warnings)
    assert cents(sum((line.cost for line in result.line_items), Decimal(0))) == result.monthly_cost


def test_a_mixed_cluster_keeps_the_base_on_ec2_and_bursts_onto_fargate_spot():
    mixed = {
        "capacity_provider_strategy": [{"provider": "on_demand", "base": 2}, {"provider": "FARGATE_SPOT", "weight": 1}]
    }
    profile = [2] * 12 + [8] * 12
    us_east_1 = book()
    result = option(
        estimate(scenario({"kind": "hourly", "replicas_by_hour": profile}, ecs_ec2=mixed), us_east_1), "ecs_ec2"
    )
    assert result.configuration["tasks_by_provider_by_hour"] == {
        "on_demand": [2] * 24,
        "FARGATE_SPOT": [0] * 12 + [6] * 12,
    }
    assert MIXED_WARNING in result.warnings
    spot_vcpu = [line for line in result.line_items if line.description == "Fargate Spot vCPU (Linux/x86)"]
    # 6 tasks for half the month's hours.
    assert spot_vcpu[0].quantity == 6 * Decimal(730) / 2
    assert spot_vcpu[0].unit_price == us_east_1.get("AmazonECS", "SpotUsage-Fargate-vCPU-Hours:perCPU").usd
    groups = {g["provider"]: g for g in result.configuration["capacity_providers"]}
    # The base runs all month: its instances with it.
    assert groups["on_demand"]["instance_hours"] == 730 * groups["on_demand"]["instances"]


def test_an_application_on_a_strategy_attributes_every_cent():
    scenario_ = parse_scenario(
        {
            "region": "us-east-1",
            "services": [
                {
                    "name": "web",
                    "workload": {"vcpu": "0.5", "memory_gib": "1"},
                    "usage": {"kind": "always_on", "replicas": 6},
                },
                {
                    "name": "worker",
                    "workload": {"vcpu": "2", "memory_gib": "4"},
                    "usage": {"kind": "always_on", "replicas": 3},
                    "load_balanced": False,
                },
            ],
            "options": ["ecs_ec2"],
            "option_settings": {
                "ecs_ec2": {
                    "capacity_provider_strategy": [
                        {"provider": "on_demand", "base": 1, "weight": 1},
                        {"provider": "spot", "weight": 1},
                        {"provider": "FARGATE", "weight": 1},
                    ]
                }
            },
        }
    )
    result = estimate(scenario_, book()).options[0]
    assert result.available, result.unavailable_reason
    by_name = {s.name: s for s in result.services}
    assert by_name["web"].configuration["tasks_by_provider"] == {"on_demand": 3, "spot": 2, "FARGATE": 1}
    assert by_name["worker"].configuration["tasks_by_provider"] == {"on_demand": 2, "spot": 1, "FARGATE": 0}
    assert sum(s.monthly_cost for s in result.services) == cents(result.monthly_cost)
    fargate_lines = {line.service for line in result.line_items if line.description.startswith("Fargate")}
    assert fargate_lines == {"web"}


@pytest.mark.parametrize(
    ("settings", "purchase", "message"),
    [
        (
            {"fargate": {"capacity_provider_strategy": [{"provider": A, "weight": 1}, {"provider": A, "weight": 1}]}},
            "on_demand",
            "more than once",
        ),
        (
            {
                "fargate": {
                    "capacity_provider_strategy": [{"provider": A, "base": 1, "weight": 1}, {"provider": B, "base": 1}]
                }
            },
            "on_demand",
            "only one",
        ),
        (
            {"ecs_ec2": {"capacity_provider_strategy": [{"provider": "on_demand", "base": 3}]}},
            "on_demand",
            "weight above 0",
        ),
        ({"ecs_ec2": {"capacity_provider_strategy": [{"provider": "spot", "weight": 1}]}}, "spot", "leave purchase"),
        ({"ecs_ec2": {"capacity_provider_strategy": [{"provider": "EC2", "weight": 1}]}}, "on_demand", "'spot'"),
        (
            {"fargate": {"capacity_provider_strategy": [{"provider": "on_demand", "weight": 1}]}},
            "on_demand",
            "must be 'FARGATE' or 'FARGATE_SPOT'",
        ),
        ({"fargate": {"capacity_provider_strategy": []}}, "on_demand", "at least 1"),
    ],
)
def test_a_strategy_ecs_would_refuse_is_invalid_input(settings, purchase, message):
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(
            {
                "region": "us-east-1",
                "workload": {"vcpu": "1", "memory_gib": "2"},
                "usage": {"kind": "always_on", "replicas": 2},
                "purchase": purchase,
                "option_settings": settings,
            }
        )
    said = " ".join(m for messages in raised.value.errors.values() for m in messages)
    assert message in said
    assert all(path.startswith("option_settings.") for path in raised.value.errors)


def test_a_snapshots_own_spot_advisor_figure_is_preferred_to_the_bundled_copy():
    seed = book()
    first = option(estimate(scenario({"kind": "always_on", "replicas": 10}, ecs_ec2=EC2_SPLIT), seed), "ecs_ec2")
    spot_type = {g["provider"]: g for g in first.configuration["capacity_providers"]}["spot"]["instance_type"]
    bundled = default_catalog().spot_advice("us-east-1")[spot_type]
    # A figure a refresh read from the feed on another day, unlike the bundled one, for the same type in the
    # same region: a larger saving (so that the type stays the cheapest) and another band.
    saving, band = Decimal(bundled.saving_percent + 7), ">20%" if bundled.interruption_band != ">20%" else "<5%"
    snapshot_row = Price(
        usd=saving,
        unit="Percent",
        source="spot-advisor-us-east-1-2026-01-05",
        attributes={"interruption_band": band, "interruption_range": 4, "read_on": "2026-01-05"},
    )
    us_east_1 = seed.with_prices({price_keys.EC2_SPOT_SAVING.at(spot_type): snapshot_row})
    result = option(estimate(scenario({"kind": "always_on", "replicas": 10}, ecs_ec2=EC2_SPLIT), us_east_1), "ecs_ec2")
    groups = {g["provider"]: g for g in result.configuration["capacity_providers"]}
    assert groups["spot"]["instance_type"] == spot_type
    (spot_line,) = [line for line in result.line_items if line.description.startswith("Spot group: EC2 ")]
    on_demand = us_east_1.get("AmazonEC2", f"BoxUsage:{spot_type}").usd
    assert spot_line.unit_price == on_demand * (100 - snapshot_row.usd) / 100
    where = "the price snapshot's copy of 2026-01-05, source spot-advisor-us-east-1-2026-01-05"
    assert f"average saving of {saving}% (from {where})" in spot_line.description
    assert "2025-06-28" not in spot_line.description
    assert groups["spot"]["interruption_band"] == band
    assert groups["spot"]["spot_advisor"] == where
    assert any(f"at {band} of instances a month (from {where})" in w and spot_type in w for w in result.warnings)


def test_without_a_snapshot_figure_the_bundled_copy_is_named():
    us_east_1 = book()
    result = option(estimate(scenario({"kind": "always_on", "replicas": 10}, ecs_ec2=EC2_SPLIT), us_east_1), "ecs_ec2")
    groups = {g["provider"]: g for g in result.configuration["capacity_providers"]}
    assert groups["spot"]["spot_advisor"] == "the bundled copy of 2025-06-28"
    assert groups["spot"]["spot_price"] == (
        "derived from the Spot Advisor's average saving (from the bundled copy of 2025-06-28)"
    )
    (spot_line,) = [line for line in result.line_items if line.description.startswith("Spot group: EC2 ")]
    assert "(from the bundled copy of 2025-06-28)" in spot_line.description
    assert any("(from the bundled copy of 2025-06-28)" in w for w in result.warnings)


def test_a_snapshot_figure_for_another_type_is_never_used():
    seed = book()
    first = option(estimate(scenario({"kind": "always_on", "replicas": 10}, ecs_ec2=EC2_SPLIT), seed), "ecs_ec2")
    spot_type = {g["provider"]: g for g in first.configuration["capacity_providers"]}["spot"]["instance_type"]
    # Another type of the region with a figure in the snapshot (a saving of 1%, so it never becomes the cheaper).
    other = next(name for name in default_catalog().spot_advice("us-east-1") if name != spot_type)
    row = Price(usd=Decimal(1), unit="Percent", attributes={"interruption_band": "<5%", "read_on": "2026-01-05"})
    us_east_1 = seed.with_prices({price_keys.EC2_SPOT_SAVING.at(other): row})
    result = option(estimate(scenario({"kind": "always_on", "replicas": 10}, ecs_ec2=EC2_SPLIT), us_east_1), "ecs_ec2")
    group = {g["provider"]: g for g in result.configuration["capacity_providers"]}["spot"]
    assert group["instance_type"] == spot_type
    assert group["spot_advisor"] == "the bundled copy of 2025-06-28"
    assert result.monthly_cost == first.monthly_cost


def test_a_published_saving_no_spot_rate_can_come_from_gives_that_type_no_spot_figure():
    # The bundled feed, as published, has ca-central-1 p5.48xlarge at a saving of -62 %.
    text = Path("compute_advisor/engine/data/ec2-spot-advisor.csv").read_text(encoding="utf-8")
    raw = [line for line in text.splitlines() if line.startswith("ca-central-1,p5.48xlarge,")]
    assert raw == ["ca-central-1,p5.48xlarge,-62,<5%"]
    assert "p5.48xlarge" not in default_catalog().spot_advice("ca-central-1")
    assert default_catalog().spot_advice("ca-central-1")["m5.large"].saving_percent > 0
