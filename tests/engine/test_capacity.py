"""Capacity that really fits: sustained CPU on burstable capacity, memory kept for the system, zones, Lightsail's
search, and the honest ranking.

AWS's figures used here:
- Burstable baselines (EC2 User Guide, "Key concepts for burstable performance instances", the table copied in
  engine/data/ec2-burstable.csv): t3.medium and t3.large 2 vCPUs at 20 % and 30 % per vCPU; t2.medium 2 vCPUs
  at 20 %. T3 launches in unlimited mode, T2 in standard mode.
- Surplus credits (EC2 On-Demand pricing, "T2/T3/T4g Unlimited Mode Pricing"): $0.05 per vCPU-hour for T3 Linux.
- Lightsail (User Guide, "Baseline CPU performance", per vCPU): the $5 plan 2 vCPUs at 5 %, $7 at 10 %, $12 and
  $24 at 20 %; allowances 1, 2, 3 and 4 TB (1,024 GB each), counting data in and out; overage $0.09/GB in
  us-east-1; a load balancer $18 a month.
"""

from decimal import Decimal

import pytest

from compute_advisor.engine.capacity import even_split, machines_for
from tests.engine.conftest import lines, run

SURPLUS = "EC2 surplus CPU credits, t3 unlimited mode, Linux (vCPU-hours above the baseline)"


def ecs(**fields):
    option = run(options=["ecs_ec2"], public_ipv4=False, load_balancer="none", **fields).option("ecs_ec2")
    assert option.available, option.reason
    return option


def test_t3_unlimited_mode_pays_the_surplus_above_its_baseline():
    # One task of 1 vCPU kept 100 % busy on a t3.medium (baseline 20 % x 2 = 0.4 vCPU): 0.6 vCPU above it
    # every hour, 0.6 x 730 = 438 vCPU-hours at $0.05 = $21.90.
    option = ecs(
        workload={"vcpu": 1, "memory_gib": 1, "cpu_utilization_percent": 100},
        option_settings={"ecs_ec2": {"instance_types": ["t3.medium"]}},
    )
    surplus = next(line for line in option.line_items if line.description == SURPLUS)
    assert surplus.quantity == Decimal(438)
    assert lines(option)[SURPLUS] == "21.90"
    assert option.configuration["credit_mode"] == "unlimited"
    assert option.configuration["baseline_vcpu"] == Decimal("0.4")
    # At 20 % the task uses 0.2 vCPU, within the baseline: nothing to pay.
    calm = ecs(
        workload={"vcpu": 1, "memory_gib": 1, "cpu_utilization_percent": 20},
        option_settings={"ecs_ec2": {"instance_types": ["t3.medium"]}},
    )
    assert SURPLUS not in lines(calm)


def test_quiet_hours_pay_for_busy_ones_within_a_day():
    # t3.large: 2 vCPUs at 30 % = 0.6 vCPU baseline; tasks of 0.5 vCPU at 100 %, 4 to an instance by vCPU
    # (bridge networking: awsvpc would hold 2, one per spare network interface).
    # 8 hours of 4 tasks (2.0 vCPU, 1.4 above) and 16 hours of 1 task (0.5 vCPU, 0.1 below) on one instance:
    # the day nets 8 x 1.4 - 16 x 0.1 = 9.6 vCPU-hours, and the month (730 / 24 days' worth) 292.
    option = ecs(
        workload={"vcpu": "0.5", "memory_gib": 1, "cpu_utilization_percent": 100},
        usage={"kind": "hourly", "replicas_by_hour": [1] * 8 + [4] * 8 + [1] * 8},
        resilience={"min_zones": 1},
        option_settings={"ecs_ec2": {"instance_types": ["t3.large"], "network_mode": "bridge"}},
    )
    surplus = next(line for line in option.line_items if line.description == SURPLUS)
    assert surplus.quantity.quantize(Decimal("0.000001")) == Decimal(292)
    assert lines(option)[SURPLUS] == "14.60"


def test_t2_standard_mode_holds_only_the_tasks_its_baseline_sustains():
    # t2.medium: 2 vCPUs at 20 % = 0.4 vCPU. Tasks of 0.25 vCPU at 50 % use 0.125 each: 3 fit the baseline,
    # though 8 would fit its vCPUs.
    option = ecs(
        workload={"vcpu": "0.25", "memory_gib": "0.5"},
        usage={"kind": "always_on", "replicas": 6},
        resilience={"min_zones": 1},
        option_settings={"ecs_ec2": {"instance_types": ["t2.medium"], "network_mode": "bridge"}},
    )
    assert option.configuration["tasks_per_instance"] == 3
    assert option.configuration["limited_by"] == "CPU baseline"
    assert option.configuration["instances"] == 2
    assert not any("surplus" in line.description for line in option.line_items)
    # One task needing 0.5 vCPU sustained (1 vCPU at 50 %) is more than a t2.medium ever sustains.
    refused = run(
        workload={"vcpu": 1, "memory_gib": 1},
        options=["ecs_ec2"],
        option_settings={"ecs_ec2": {"instance_types": ["t2.medium"]}},
    ).option("ecs_ec2")
    assert not refused.available
    assert "sustain its 50% average CPU" in refused.reason


def test_two_replicas_spread_over_two_instances():
    two = ecs(
        workload={"vcpu": "0.5", "memory_gib": 1},
        usage={"kind": "always_on", "replicas": 2},
        option_settings={"ecs_ec2": {"instance_types": ["m6i.large"], "network_mode": "bridge"}},
    )
    assert two.configuration["instances"] == 2
    assert two.configuration["availability_zones"] == 2
    assert any("spread over 2 Availability Zones" in w for w in two.warnings)
    packed = ecs(
        workload={"vcpu": "0.5", "memory_gib": 1},
        usage={"kind": "always_on", "replicas": 2},
        resilience={"min_zones": 1},
        option_settings={"ecs_ec2": {"instance_types": ["m6i.large"], "network_mode": "bridge"}},
    )
    assert packed.configuration["instances"] == 1
    # Five replicas over three zones, two to an instance: three instances (2, 2, 1), not 1 + 2.
    assert machines_for(5, 2, zones=3) == 3
    assert even_split(5, 3) == [2, 2, 1]
    assert machines_for(1, 4, zones=3) == 1


def test_one_machine_is_priced_with_a_warning_that_it_has_no_zone_redundancy():
    option = run(options=["beanstalk"]).option("beanstalk")
    assert option.configuration["environment"] == "single_instance"
    assert any("no zone redundancy" in w for w in option.warnings)
    assert not any(
        "no zone redundancy" in w
        for w in run(options=["beanstalk"], resilience={"min_zones": 1}).option("beanstalk").warnings
    )


def test_a_2_gib_container_does_not_fit_a_2_gib_machine():
    # Small (2 GB): 2,048 x 0.95 - 256 = 1,689 MiB free; the container needs 2,048.
    option = run(
        workload={"vcpu": "0.25", "memory_gib": 2, "cpu_utilization_percent": 10}, options=["lightsail_instance"]
    ).option("lightsail_instance")
    assert option.configuration["bundle"] == "medium_3_0"
    assert option.configuration["usable_memory_gib"] < 4
    pinned = run(
        workload={"vcpu": "0.25", "memory_gib": 2},
        options=["lightsail_instance"],
        option_settings={"lightsail_instance": {"bundle": "small_3_0"}},
    ).option("lightsail_instance")
    assert not pinned.available
    assert "memory" in pinned.reason


def test_lightsail_is_not_first_when_it_cannot_sustain_the_load():
    # 2 vCPU at 80 %: 1.6 vCPU sustained. Only Lightsail bundles with a baseline of 1.6 vCPU or more fit.
    result = run(workload={"vcpu": 2, "memory_gib": 4, "cpu_utilization_percent": 80})
    light = result.option("lightsail_instance")
    if light.available:
        assert light.configuration["baseline_vcpu"] >= Decimal("1.6")
    assert result.ranking[0] != "lightsail_instance"


def test_lightsail_prefers_one_bundle_whose_allowance_covers_the_transfer():
    # One replica sending 3,300 GB: the $24 Medium bundle (4 TB) beats two $7 Micros (2 x 2 TB) plus an
    # $18 load balancer ($32), and a $12 Small with 228 GB of overage ($32.52).
    option = run(
        workload={"vcpu": "0.25", "memory_gib": "0.5", "cpu_utilization_percent": 10},
        traffic={"data_transfer_out_gib": 3300},
        options=["lightsail_instance"],
    ).option("lightsail_instance")
    assert option.configuration["bundle"] == "medium_3_0"
    assert option.configuration["instances"] == 1
    assert option.monthly_cost == Decimal("23.55")  # $24 x 730 / 744
    # Data in counts against the allowance too: with 1,000 GB in (4,300 GB in all), Medium's 4,096 GB leave
    # 204 GB of the data out to pay ($23.55 + $18.36); three Micros (6,144 GB) and their load balancer cost
    # 3 x $7 x 730 / 744 + $18 x 730 / 744 = $38.27.
    inbound = run(
        workload={"vcpu": "0.25", "memory_gib": "0.5", "cpu_utilization_percent": 10},
        traffic={"data_transfer_out_gib": 3300, "data_transfer_in_gib": 1000},
        options=["lightsail_instance"],
    ).option("lightsail_instance")
    assert (inbound.configuration["bundle"], inbound.configuration["instances"]) == ("micro_3_0", 3)
    assert inbound.configuration["load_balancer"] is True
    assert inbound.monthly_cost == Decimal("38.27")
    assert any("transfer allowance" in w for w in inbound.warnings)


def test_lightsail_chooses_ipv6_only_bundles_without_public_ipv4():
    option = run(
        workload={"vcpu": "0.1", "memory_gib": "0.2"}, public_ipv4=False, options=["lightsail_instance"]
    ).option("lightsail_instance")
    assert option.configuration["bundle"] == "nano_ipv6_3_0"
    assert option.configuration["ipv6_only"] is True
    assert option.monthly_cost == Decimal("3.43")  # $3.50 x 730 / 744


def test_a_1_vcpu_2_gb_workload_gets_a_lightsail_container_power():
    option = run(workload={"vcpu": 1, "memory_gib": 2}, options=["lightsail_container"]).option("lightsail_container")
    assert option.available, option.reason
    assert option.configuration["power"] == "medium"
    assert option.monthly_cost == Decimal("39.25")  # $40 x 730 / 744
    pinned = run(
        workload={"vcpu": 1, "memory_gib": 2},
        options=["lightsail_container"],
        option_settings={"lightsail_container": {"power": "medium"}},
    ).option("lightsail_container")
    assert pinned.available


def test_app_runner_is_ranked_only_for_an_account_that_already_uses_it():
    new = run(options=["fargate", "app_runner"])
    app_runner = new.option("app_runner")
    assert app_runner.available
    assert not app_runner.ranked
    assert new.ranking == ["fargate"]
    assert new.unranked == ["app_runner"]
    assert [o.option for o in new.listing] == ["fargate", "app_runner"]
    existing = run(options=["fargate", "app_runner"], option_settings={"app_runner": {"existing_account": True}})
    assert set(existing.ranking) == {"fargate", "app_runner"}


@pytest.mark.parametrize(
    ("usage", "summary"),
    [
        (
            {"kind": "scheduled", "replicas": 1, "runs_per_day": 3, "minutes_per_run": 10},
            "Scheduled runs: 3 runs a day of 10 minutes, 1 task a run, on 30 days a month: 15 task-hours a month.",
        ),
        ({"kind": "always_on", "replicas": 2}, "Always on: 2 replicas for 730 hours a month: 1,460 replica-hours"),
    ],
)
def test_every_result_restates_its_usage_and_assumptions(usage, summary):
    result = run(usage=usage, options=["fargate"])
    assert result.usage_summary.startswith(summary)
    data = result.to_json()
    assert data["usage"]["summary"] == result.usage_summary
    assert data["assumptions"]["cpu_utilization_percent"] == "50"
    assert data["assumptions"]["min_zones"] == 2


def test_scheduled_ecs_on_ec2_instances_are_terminated_between_runs():
    option = ecs(usage={"kind": "scheduled", "replicas": 1, "runs_per_day": 1, "minutes_per_run": 30})
    assert any("terminated after it" in w for w in option.warnings)
    volumes = next(line for line in option.line_items if line.description.startswith("EBS gp3 root volumes"))
    # 30 runs of 30 minutes: 15 instance-hours of a 730-hour month, so 15/730 of a 30 GB volume-month.
    assert volumes.quantity.quantize(Decimal("0.000001")) == (Decimal(30) * 15 / 730).quantize(Decimal("0.000001"))
