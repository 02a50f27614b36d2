"""Billing rules of each option, one behaviour per test."""

from decimal import Decimal

import pytest

from compute_advisor.engine import ScenarioError
from compute_advisor.engine.catalog import default_catalog
from compute_advisor.engine.packing import TaskShape, awsvpc_task_limit, fit
from compute_advisor.engine.usage import hour_weights
from tests.engine.conftest import book, lines, run


@pytest.mark.parametrize(
    ("vcpu", "memory", "expected"),
    [
        ("0.25", "0.5", ("0.25", "0.5")),
        ("0.3", "1", ("0.5", "1")),
        ("1", "2.5", ("1", "3")),
        ("1", "9", ("2", "9")),
        ("4", "31", ("8", "32")),
        ("8", "61", ("16", "64")),
        ("16", "121", ("32", "244")),
        ("20", "60", ("32", "60")),
    ],
)
def test_fargate_snaps_up_to_the_cheapest_valid_size(vcpu, memory, expected):
    option = run(workload={"vcpu": vcpu, "memory_gib": memory}, options=["fargate"]).option("fargate")
    size = (option.configuration["task_vcpu"], option.configuration["task_memory_gib"])
    assert size == (Decimal(expected[0]), Decimal(expected[1]))
    if expected != (vcpu, memory):
        assert any("paid for but unused" in w for w in option.warnings)


def test_fargate_refuses_what_no_task_size_holds():
    option = run(workload={"vcpu": 33, "memory_gib": 64}, options=["fargate"]).option("fargate")
    assert not option.available
    assert "largest is 32 vCPU and 244 GB" in option.reason
    windows = run(workload={"vcpu": 8, "memory_gib": 16, "os": "windows"}, options=["fargate"]).option("fargate")
    assert not windows.available
    assert "4 vCPU and 30 GB" in windows.reason


def test_fargate_linux_runs_bill_at_least_a_minute_and_windows_five():
    short = {
        "kind": "scheduled",
        "replicas": 1,
        "runs_per_day": 1,
        "minutes_per_run": "0.5",
        "days_per_month": 30,
    }
    linux = run(usage=short, options=["fargate"], public_ipv4=False).option("fargate")
    assert linux.configuration["billed_seconds_per_run"] == 60
    assert linux.configuration["task_hours"] == Decimal(30 * 60) / 3600
    windows = run(
        usage=short,
        workload={"vcpu": 1, "memory_gib": 2, "os": "windows"},
        options=["fargate"],
        public_ipv4=False,
    ).option("fargate")
    assert windows.configuration["billed_seconds_per_run"] == 300
    assert any("at least 300 seconds" in w for w in windows.warnings)


def test_fargate_ephemeral_storage_is_free_to_20_gb_in_whole_gib_up_to_200():
    free = run(workload={"vcpu": 1, "memory_gib": 2, "ephemeral_storage_gib": 20}, options=["fargate"])
    assert not any("ephemeral" in line.description for line in free.option("fargate").line_items)
    # AWS's setting (ephemeralStorage.sizeInGiB, 21 to 200) is a whole number: 20.2 GiB is set as 21.
    partial = run(workload={"vcpu": 1, "memory_gib": 2, "ephemeral_storage_gib": "20.2"}, options=["fargate"])
    storage = next(line for line in partial.option("fargate").line_items if "ephemeral" in line.description)
    assert storage.quantity == 730
    assert "(1 GiB a task)" in storage.description
    with pytest.raises(ScenarioError) as refused:
        run(workload={"vcpu": 1, "memory_gib": 2, "ephemeral_storage_gib": 201}, options=["fargate"])
    assert refused.value.errors == {"workload.ephemeral_storage_gib": ["must be less than or equal to 200"]}


def test_windows_fargate_tasks_have_no_ephemeral_storage_setting():
    windows = {"vcpu": 1, "memory_gib": 2, "os": "windows", "ephemeral_storage_gib": 30}
    with pytest.raises(ScenarioError) as refused:
        run(workload=windows, options=["fargate"])
    assert "no ephemeral storage setting" in refused.value.errors["workload.ephemeral_storage_gib"][0]
    run(workload=windows, options=["ecs_ec2"])  # the setting is Fargate's alone


def test_gp3_settings_beyond_aws_limits_are_invalid_input():
    # Amazon EBS: at most 500 IOPS per GiB (above the free 3,000) and 0.25 MiB/s per provisioned IOPS.
    with pytest.raises(ScenarioError) as refused:
        run(
            workload={"vcpu": 1, "memory_gib": 2, "disk_gib": 10},
            option_settings={"ecs_ec2": {"ebs_iops": 6000, "ebs_throughput_mibps": 1600}},
        )
    assert set(refused.value.errors) == {
        "option_settings.ecs_ec2.ebs_iops",
        "option_settings.ecs_ec2.ebs_throughput_mibps",
    }
    assert "500 IOPS per GiB: 5000 for 10 GiB" in refused.value.errors["option_settings.ecs_ec2.ebs_iops"][0]
    assert "1500 MiB/s for 6000 IOPS" in refused.value.errors["option_settings.ecs_ec2.ebs_throughput_mibps"][0]
    # At the limits, it is priced: 5,000 IOPS on 10 GiB, 1,250 MiB/s for 5,000 IOPS.
    run(
        workload={"vcpu": 1, "memory_gib": 2, "disk_gib": 10},
        option_settings={"ecs_ec2": {"ebs_iops": 5000, "ebs_throughput_mibps": 1250}},
    )


def test_fargate_spot_uses_spot_rates_and_warns_of_interruptions():
    option = run(purchase="spot", options=["fargate"], public_ipv4=False, load_balancer="none").option("fargate")
    assert lines(option)["Fargate Spot vCPU (Linux/x86)"] == "9.41"  # 730 x 0.01288871
    assert any("two-minute warning" in w for w in option.warnings)
    windows = run(purchase="spot", workload={"vcpu": 1, "memory_gib": 2, "os": "windows"}, options=["fargate"])
    assert "does not run Windows" in windows.option("fargate").reason


def test_spot_without_a_price_is_unavailable_not_guessed():
    option = run(
        region="eu-central-1",
        purchase="spot",
        workload={"vcpu": 1, "memory_gib": 2, "architecture": "arm64"},
        options=["fargate"],
    ).option("fargate")
    assert not option.available
    assert "no Spot rate for Fargate vCPU (Linux/ARM) in eu-central-1" in option.reason


def test_savings_plans_without_rates_are_unavailable_with_the_reason():
    result = run(purchase="savings_plan_1y")
    for code in ("fargate", "ecs_ec2", "beanstalk", "ecs_express"):
        assert "1-year Compute Savings Plan" in result.option(code).reason
    assert result.option("app_runner").reason == "AWS App Runner is not covered by Compute Savings Plans."
    assert not result.option("lightsail_instance").available


def test_fargate_public_ipv4_is_charged_per_task_hour():
    option = run(usage={"kind": "always_on", "replicas": 3}, options=["fargate"], load_balancer="none").option(
        "fargate"
    )
    assert lines(option)["Public IPv4 addresses of tasks (one per task)"] == "10.95"  # 3 x 730 x 0.005


def test_missing_regional_price_makes_the_option_unavailable_with_the_key():
    option = run(region="eu-central-1", workload={"vcpu": 1, "memory_gib": 2, "os": "windows"}, options=["fargate"])
    assert option.option("fargate").reason == (
        "The price snapshot has no price for AmazonECS Fargate-Windows-vCPU-Hours:perCPU in eu-central-1."
    )


def test_ecs_on_ec2_packs_by_vcpu_memory_and_network_interfaces():
    catalog = default_catalog()
    m6i = catalog.instance_types["m6i.large"]
    # 2 vCPU, 8 GiB nominal (7,782 MiB registered), 3 ENIs: awsvpc leaves 2 interfaces for tasks.
    assert (
        fit(m6i, TaskShape.of(Decimal("0.25"), Decimal("0.5")), trunking_table=catalog.eni_trunking).tasks_per_instance
        == 2
    )
    assert fit(m6i, TaskShape.of(Decimal("0.25"), Decimal("0.5")), network_mode="bridge").tasks_per_instance == 8
    # ENI trunking raises the limit to AWS's published 10 tasks; memory then limits to 15 x 0.5 GiB.
    trunked = fit(
        m6i, TaskShape.of(Decimal("0.25"), Decimal("0.5")), trunking=True, trunking_table=catalog.eni_trunking
    )
    assert (trunked.tasks_per_instance, trunked.limited_by) == (8, "vCPU")
    # A task needing the full nominal 8 GiB does not fit: ECS registers less than that.
    assert fit(m6i, TaskShape.of(Decimal(1), Decimal(8)), network_mode="bridge") is None


def test_t_family_types_never_use_trunking():
    catalog = default_catalog()
    t3 = catalog.instance_types["t3.medium"]
    assert awsvpc_task_limit(t3, trunking=True, trunking_table=catalog.eni_trunking) == 2
    c5 = catalog.instance_types["c5.large"]
    assert awsvpc_task_limit(c5, trunking=True, trunking_table=catalog.eni_trunking) == 10
    assert awsvpc_task_limit(c5, trunking=False, trunking_table=catalog.eni_trunking) == 2


def test_ecs_on_ec2_reports_instances_tasks_per_instance_and_stranded_capacity():
    option = run(
        workload={"vcpu": 1, "memory_gib": 2},
        usage={"kind": "always_on", "replicas": 10},
        option_settings={"ecs_ec2": {"instance_types": ["m6i.large"]}},
        options=["ecs_ec2"],
    ).option("ecs_ec2")
    config = option.configuration
    assert (config["instance_type"], config["tasks_per_instance"], config["instances"]) == ("m6i.large", 2, 5)
    assert config["stranded_vcpu"] == 0
    assert config["stranded_memory_gib"] == 20
    assert lines(option)["EC2 m6i.large instances, Linux, On-Demand (up to 5 at once)"] == "350.40"  # 5 x 730 x 0.096


def test_ecs_on_ec2_scales_instances_with_the_hourly_profile():
    profile = [1] * 12 + [4] * 12
    option = run(
        usage={"kind": "hourly", "replicas_by_hour": profile},
        option_settings={"ecs_ec2": {"instance_types": ["m6i.large"], "network_mode": "bridge"}},
        options=["ecs_ec2"],
    ).option("ecs_ec2")
    # 2 tasks per instance by vCPU: 1 instance for 1 task, 2 for 4 tasks; each profile hour weighs 730 / 24.
    assert option.configuration["instance_hours"] == Decimal(365) * 1 + Decimal(365) * 2


def test_each_hour_of_a_profile_weighs_its_share_of_the_month():
    # A day of 1, 4 and 1 replicas, 8 hours each, over 730 hours: (8 + 32 + 8) x 730 / 24 = 1,460 task-hours
    # (filling the month with whole days and then the first 10 hours again gave 1,456).
    option = run(usage={"kind": "hourly", "replicas_by_hour": [1] * 8 + [4] * 8 + [1] * 8}, options=["fargate"]).option(
        "fargate"
    )
    assert option.configuration["task_hours"] == 1460
    weekly = hour_weights(168, Decimal(730))
    assert len(set(weekly)) == 1
    assert sum(weekly).quantize(Decimal("0.000001")) == 730


def test_gp3_iops_and_throughput_above_the_baseline_are_charged():
    option = run(
        options=["ecs_ec2"],
        option_settings={"ecs_ec2": {"instance_types": ["m6i.large"], "ebs_iops": 4000, "ebs_throughput_mibps": 253}},
    ).option("ecs_ec2")
    costs = lines(option)
    assert costs["EBS gp3 IOPS above the free 3,000 (4000 provisioned)"] == "5.00"  # 1,000 x 0.005
    assert costs["EBS gp3 throughput above the free 125 MiB/s (253 MiB/s provisioned)"] == "5.12"  # 128/1024 x 40.96
    gp2 = run(options=["ecs_ec2"], option_settings={"ecs_ec2": {"ebs_volume_type": "gp2"}}).option("ecs_ec2")
    assert lines(gp2)["EBS gp2 root volumes (30 GB each)"] == "3.00"


def test_beanstalk_single_instance_has_an_elastic_ip_and_no_load_balancer():
    option = run(options=["beanstalk"], public_ipv4=False).option("beanstalk")
    assert option.configuration["environment"] == "single_instance"
    assert not any(line.category == "load_balancer" for line in option.line_items)
    assert "Public IPv4 addresses of the environment's Elastic IP" in lines(option)


def test_beanstalk_load_balanced_runs_one_replica_per_instance_behind_an_alb():
    option = run(usage={"kind": "always_on", "replicas": 3}, options=["beanstalk"]).option("beanstalk")
    assert (option.configuration["environment"], option.configuration["instances"]) == ("load_balanced", 3)
    assert "Application Load Balancer hours" in lines(option)
    pinned_single = run(
        usage={"kind": "always_on", "replicas": 3},
        options=["beanstalk"],
        option_settings={"beanstalk": {"environment": "single_instance"}},
    ).option("beanstalk")
    assert "single-instance environment runs one instance" in pinned_single.reason


def test_lightsail_cannot_stop_between_runs_and_says_so():
    option = run(
        usage={"kind": "scheduled", "replicas": 1, "runs_per_day": 1, "minutes_per_run": 10},
        workload={"vcpu": "0.2", "memory_gib": "0.5"},
        options=["lightsail_instance"],
    ).option("lightsail_instance")
    assert option.configuration["bundle"] == "micro_3_0"
    assert any("cannot stop between scheduled runs" in w for w in option.warnings)


def test_lightsail_containers_stop_at_20_nodes():
    option = run(
        usage={"kind": "always_on", "replicas": 21},
        workload={"vcpu": "0.25", "memory_gib": "0.5"},
        options=["lightsail_container"],
    ).option("lightsail_container")
    assert option.reason == "A Lightsail container service runs at most 20 nodes; the workload needs 21."


def test_ecs_express_shares_its_load_balancer():
    alone = run(options=["ecs_express"]).option("ecs_express")
    shared = run(options=["ecs_express"], option_settings={"ecs_express": {"services_sharing_alb": 25}})
    alb_alone = lines(alone)["Application Load Balancer hours"]
    alb_shared = lines(shared.option("ecs_express"))["Application Load Balancer hours, shared by 25 services"]
    assert (alb_alone, alb_shared) == ("16.43", "0.66")
    # One Fargate task of 1 vCPU / 2 GB, its public IP, the ALB and its two public IPs.
    assert alone.monthly_cost == Decimal("63.42")


def test_data_transfer_out_is_free_to_100_gb_then_tiered():
    option = run(traffic={"data_transfer_out_gib": 10340}, options=["fargate"], load_balancer="none").option("fargate")
    costs = lines(option)
    assert costs["Data transfer out to the internet, first 10 TB a month"] == "921.60"  # 10,240 x 0.09
    assert "Data transfer out to the internet, next 40 TB a month" not in costs  # the first 100 GB were free
    more = run(traffic={"data_transfer_out_gib": 10440}, options=["fargate"], load_balancer="none").option("fargate")
    assert lines(more)["Data transfer out to the internet, next 40 TB a month"] == "8.50"  # 100 x 0.085


def test_data_transfer_into_a_tier_without_a_price_is_listed_missing():
    option = run(region="eu-central-1", traffic={"data_transfer_out_gib": 20000}, options=["fargate"])
    assert option.option("fargate").missing_prices == ["data transfer out beyond 10240 GB a month (9660 GB)"]


def test_unknown_pinned_names_are_input_errors():
    with pytest.raises(ScenarioError) as raised:
        run(
            option_settings={
                "ecs_ec2": {"instance_types": ["m9z.huge"]},
                "lightsail_container": {"power": "mega"},
            }
        )
    assert set(raised.value.errors) == {
        "option_settings.ecs_ec2.instance_types.0",
        "option_settings.lightsail_container.power",
    }


def test_a_region_without_prices_is_an_input_error():
    with pytest.raises(ScenarioError) as raised:
        run(region="sa-east-1")
    assert raised.value.errors == {"region": ["the price snapshot has no prices for sa-east-1"]}


def test_ranking_is_cheapest_first_and_options_keep_the_asked_order():
    result = run(options=["fargate", "ecs_ec2", "lightsail_instance"])
    assert [o.option for o in result.options] == ["fargate", "ecs_ec2", "lightsail_instance"]
    totals = [result.option(code).total for code in result.ranking]
    assert totals == sorted(totals)


def test_unrounded_lines_add_up_to_the_rounded_total():
    result = run(usage={"kind": "always_on", "replicas": 7}, traffic={"data_transfer_out_gib": 333})
    for option in result.options:
        if option.available:
            assert option.monthly_cost == sum(line.cost for line in option.line_items).quantize(Decimal("0.01"))


def test_the_engine_imports_no_django():
    import subprocess
    import sys

    code = (
        "import sys, compute_advisor.engine, pricing.snapshot_book; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'celery', 'rest_framework'}); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_engine_imports_nothing_above_it():
    """Every engine module, imported on its own, brings in no other part of the project (no Django app)."""
    import subprocess
    import sys

    code = (
        "import importlib, pkgutil, sys, compute_advisor.engine as engine; "
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(engine.__path__, 'compute_advisor.engine.')]; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'compute_advisor', 'pricing', 'django'} "
        "and not m.startswith('compute_advisor.engine') and m != 'compute_advisor'); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_seed_book_covers_each_region():
    assert not book("eu-west-1").is_empty()
    assert book("sa-east-1").is_empty()


def test_step_functions_trigger_is_charged_after_its_free_transitions():
    usage = {
        "kind": "scheduled",
        "replicas": 1,
        "runs_per_day": 24,
        "minutes_per_run": 5,
        "trigger": {"kind": "step_functions", "state_transitions_per_run": 10},
    }
    option = run(usage=usage, options=["fargate"]).option("fargate")
    # 720 runs x 10 transitions = 7,200; 4,000 free; 3,200 at $0.025 per 1,000.
    assert lines(option)["Step Functions state transitions (10 a run, after 4,000 free a month)"] == "0.08"
    assert option.configuration["state_transitions_per_month"] == 7200


def test_a_trigger_without_a_sourced_price_is_listed_missing():
    usage = {
        "kind": "scheduled",
        "replicas": 1,
        "runs_per_day": 1,
        "minutes_per_run": 5,
        "trigger": {"kind": "eventbridge_scheduler"},
    }
    option = run(usage=usage, options=["fargate"]).option("fargate")
    assert option.missing_prices == ["EventBridge Scheduler invocations"]
