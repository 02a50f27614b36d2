"""AWS's own worked examples, reproduced to the cent.

Fargate: https://aws.amazon.com/fargate/pricing/ (examples with per-second US East rates). The
same workloads priced with the seed's hourly list prices ($0.04048 per vCPU-hour, $0.004445 per
GB-hour: the per-second rates times 3,600) must give the same cents.
"""

from decimal import Decimal

import pytest

from tests.engine.conftest import book, lines, per_second, run

FIVE_TASKS_TEN_MINUTES = {
    "workload": {"vcpu": 1, "memory_gib": 2, "ephemeral_storage_gib": 30},
    "usage": {
        "kind": "scheduled",
        "replicas": 5,
        "runs_per_day": 1,
        "minutes_per_run": 10,
        "days_per_month": 30,
    },
    "options": ["fargate"],
    "public_ipv4": False,
}
LINUX_X86_RATES = per_second(x86_vcpu="0.000011244", x86_gb="0.000001235", storage="0.0000000308")
LINUX_ARM_RATES = per_second(arm_vcpu="0.0000089944", arm_gb="0.0000009889", storage="0.0000000308")
WINDOWS_RATES = per_second(win_vcpu="0.0000254167", win_gb="0.0000027778", win_os="0.0000127778")


def fargate(result):
    option = result.option("fargate")
    assert option.available, option.reason
    return option


@pytest.mark.parametrize("rates", ["published per-second rates", "seed hourly list prices"])
def test_example_1_linux_x86_with_extra_ephemeral_storage(rates):
    price_book = book().with_prices(LINUX_X86_RATES) if rates.startswith("published") else book()
    option = fargate(run(price_book, **FIVE_TASKS_TEN_MINUTES))
    assert lines(option) == {
        "Fargate vCPU (Linux/x86)": "1.01",
        "Fargate memory (Linux/x86)": "0.22",
        "Fargate ephemeral storage above the free 20 GiB (10 GiB a task)": "0.03",
    }
    assert option.monthly_cost == Decimal("1.26")


@pytest.mark.parametrize("rates", ["published per-second rates", "seed hourly list prices"])
def test_example_2_linux_arm(rates):
    price_book = book().with_prices(LINUX_ARM_RATES) if rates.startswith("published") else book()
    example = {
        **FIVE_TASKS_TEN_MINUTES,
        "workload": {**FIVE_TASKS_TEN_MINUTES["workload"], "architecture": "arm64"},
    }
    option = fargate(run(price_book, **example))
    assert lines(option) == {
        "Fargate vCPU (Linux/ARM)": "0.81",
        "Fargate memory (Linux/ARM)": "0.18",
        "Fargate ephemeral storage above the free 20 GiB (10 GiB a task)": "0.03",
    }
    assert option.monthly_cost == Decimal("1.02")


def test_example_3_quarter_vcpu_tasks_an_hour_a_day():
    # The page prices this for EKS pods; 0.25 vCPU / 1 GB is itself a valid ECS task size.
    for price_book in (book().with_prices(LINUX_X86_RATES), book()):
        option = fargate(
            run(
                price_book,
                workload={"vcpu": "0.25", "memory_gib": 1},
                usage={"kind": "scheduled", "replicas": 10, "runs_per_day": 1, "minutes_per_run": 60},
                options=["fargate"],
                public_ipv4=False,
            )
        )
        assert lines(option) == {"Fargate vCPU (Linux/x86)": "3.04", "Fargate memory (Linux/x86)": "1.33"}
        assert option.monthly_cost == Decimal("4.37")


def test_example_4_windows_with_its_os_licence():
    option = fargate(
        run(
            book().with_prices(WINDOWS_RATES),
            workload={"vcpu": 1, "memory_gib": 2, "os": "windows"},
            usage={"kind": "scheduled", "replicas": 10, "runs_per_day": 1, "minutes_per_run": 60},
            options=["fargate"],
            public_ipv4=False,
        )
    )
    assert lines(option) == {
        "Fargate vCPU (Windows/x86)": "27.45",
        "Fargate Windows OS licence": "13.80",
        "Fargate memory (Windows/x86)": "6.00",
    }
    assert option.monthly_cost == Decimal("47.25")


def test_the_hourly_list_prices_are_the_per_second_rates_times_3600():
    seed = book()
    assert seed.get("AmazonECS", "Fargate-vCPU-Hours:perCPU").usd == Decimal("0.04048")
    assert seed.get("AmazonECS", "Fargate-GB-Hours").usd == Decimal("0.004445")
    # 0.000011244 and 0.000001235 are the hourly prices divided by 3,600, rounded to the page's digits.
    assert (Decimal("0.04048") / 3600).quantize(Decimal("0.000000001")) == Decimal("0.000011244")
    assert (Decimal("0.004445") / 3600).quantize(Decimal("0.000000001")) == Decimal("0.000001235")


def test_the_contract_example_two_tasks_of_1_vcpu_2_gb_all_month():
    option = fargate(
        run(
            usage={"kind": "always_on", "replicas": 2},
            options=["fargate"],
            public_ipv4=False,
            load_balancer="none",
        )
    )
    assert lines(option) == {"Fargate vCPU (Linux/x86)": "59.10", "Fargate memory (Linux/x86)": "12.98"}
    assert option.monthly_cost == Decimal("72.08")


def test_alb_example_from_the_elastic_load_balancing_pricing_page():
    # 1 new connection a second lasting 2 minutes, 5 requests a second, 300 KB/s processed, 60 rules,
    # a 720-hour month: 1.08 LCU (processed bytes) -> $6.22, plus 720 ALB-hours -> $16.20; $22.42.
    option = run(
        hours_per_month=720,
        options=["fargate"],
        public_ipv4=False,
        load_balancer="alb",
        traffic={
            "requests_per_second": 5,
            "new_connections_per_second": 1,
            "connection_seconds": 120,
            "processed_gb_per_hour": "1.08",
            "rules_per_request": 60,
        },
    ).option("fargate")
    load_balancer = [line for line in option.line_items if line.category == "load_balancer"]
    assert [str(line.cost.quantize(Decimal("0.01"))) for line in load_balancer] == ["16.20", "6.22"]
    assert "set by processed bytes" in load_balancer[1].description
    assert sum(line.cost for line in load_balancer).quantize(Decimal("0.01")) == Decimal("22.42")


def test_the_load_balancer_defaults_are_those_of_the_alb_example():
    # Only the request rate and sizes given: the defaults (5 requests a connection, 2-minute connections) are
    # the example's, and 5 requests/s of 60 KB make its 300 KB/s, which AWS counts as 1.08 GB an hour.
    option = run(
        hours_per_month=720,
        options=["fargate"],
        public_ipv4=False,
        load_balancer="alb",
        traffic={"requests_per_second": 5, "avg_response_kib": 60, "rules_per_request": 60},
    ).option("fargate")
    capacity = next(line for line in option.line_items if "capacity units" in line.description)
    assert capacity.quantity == Decimal("720") * Decimal("1.08")
    assert str(capacity.cost.quantize(Decimal("0.01"))) == "6.22"
    assert "1 new connections/s" in capacity.description
    assert "GB of 10^9 bytes" in capacity.description


def test_a_request_rate_alone_does_not_inflate_capacity_units():
    # 100 requests/s with the example's keep-alive: 20 new connections/s = 0.8 LCU, 2,400 active = 0.8 LCU
    # (counting each request as a new 1-second connection made 4 LCUs).
    option = run(
        options=["fargate"], public_ipv4=False, load_balancer="alb", traffic={"requests_per_second": 100}
    ).option("fargate")
    capacity = next(line for line in option.line_items if "capacity units" in line.description)
    assert capacity.quantity == Decimal("730") * Decimal("0.8")


def test_lightsail_least_expensive_plan_for_100_hours_is_67_cents():
    # A container small enough for the nano plan: 0.5 GiB less 5 % and 256 MiB for the system leaves 230 MiB,
    # and its baseline (5 % of 2 vCPUs) sustains 0.1 vCPU.
    option = run(
        hours_per_month=100,
        workload={"vcpu": "0.1", "memory_gib": "0.2"},
        options=["lightsail_instance"],
    ).option("lightsail_instance")
    assert option.configuration["bundle"] == "nano_3_0"
    assert option.monthly_cost == Decimal("0.67")


def test_lightsail_micro_container_for_100_hours_is_134_cents():
    option = run(
        hours_per_month=100,
        workload={"vcpu": "0.25", "memory_gib": 1},
        options=["lightsail_container"],
    ).option("lightsail_container")
    assert option.configuration["power"] == "micro"
    assert option.monthly_cost == Decimal("1.34")


def test_lightsail_micro_container_scale_2_costs_at_most_20_a_month():
    full_month = run(
        hours_per_month=744,
        workload={"vcpu": "0.25", "memory_gib": 1},
        usage={"kind": "always_on", "replicas": 2},
        options=["lightsail_container"],
    ).option("lightsail_container")
    assert full_month.monthly_cost == Decimal("20.00")
    # A 730-hour month is 730/744 of the cap.
    assert run(
        workload={"vcpu": "0.25", "memory_gib": 1},
        usage={"kind": "always_on", "replicas": 2},
        options=["lightsail_container"],
    ).option("lightsail_container").monthly_cost == Decimal("19.62")


def test_lightsail_transfer_beyond_the_container_allowance_is_charged_per_gb():
    option = run(
        hours_per_month=744,
        workload={"vcpu": "0.25", "memory_gib": 1},
        traffic={"data_transfer_out_gib": 600},
        options=["lightsail_container"],
    ).option("lightsail_container")
    assert (
        lines(option)["Lightsail data transfer out above the 500 GB allowance (which counts data in and out)"] == "9.00"
    )


@pytest.mark.parametrize(
    ("settings", "usage", "hours", "expected"),
    [
        # 1 vCPU / 2 GB active all month: (0.064 + 2 x 0.007) x 730.
        ({}, {"kind": "always_on", "replicas": 1}, 730, "56.94"),
        # Idle all month, one provisioned instance: 2 GB x 0.007 x 730.
        ({"active_hours_per_day": 0}, {"kind": "always_on", "replicas": 1}, 730, "10.22"),
        # Active 8 hours a day for 30 days (240 h at 0.078), provisioned the other 480 h at 0.014.
        ({"active_hours_per_day": 8}, {"kind": "always_on", "replicas": 1}, 720, "25.44"),
    ],
)
def test_app_runner_bills_memory_once_and_vcpu_only_while_active(settings, usage, hours, expected):
    option = run(
        usage=usage, hours_per_month=hours, options=["app_runner"], option_settings={"app_runner": settings}
    ).option("app_runner")
    assert option.monthly_cost == Decimal(expected)
    assert any("Closed to new customers since 2026-04-30" in w for w in option.warnings)
