"""Applications: several services priced together, each option its way, with what they share charged once."""

from decimal import Decimal

import pytest

from compute_advisor.engine import estimate
from compute_advisor.engine.application import service_plans
from compute_advisor.engine.money import cents
from compute_advisor.engine.scenario import ScenarioError, parse_scenario
from tests.engine.conftest import book

ALL = ["ecs_ec2", "fargate", "beanstalk", "app_runner", "lightsail_instance", "lightsail_container", "ecs_express"]


def service(name, vcpu, memory, usage, **extra):
    return {"name": name, "workload": {"vcpu": vcpu, "memory_gib": memory}, "usage": usage, **extra}


def always(replicas):
    return {"kind": "always_on", "replicas": replicas}


def application(*services, **fields):
    return parse_scenario({"region": "us-east-1", "services": list(services), **fields})


def one_form(vcpu, memory, usage, **fields):
    return parse_scenario(
        {"region": "us-east-1", "workload": {"vcpu": vcpu, "memory_gib": memory}, "usage": usage, **fields}
    )


def by_option(result):
    return {o.option: o for o in result.options}


TRAFFIC = {"data_transfer_out_gib": 300, "requests_per_second": 20, "avg_response_kib": 20}


@pytest.mark.parametrize("usage", [always(3), {"kind": "hourly", "replicas_by_hour": [1] * 8 + [4] * 8 + [2] * 8}])
@pytest.mark.parametrize("option", ["fargate", "beanstalk", "app_runner", "lightsail_container", "ecs_express"])
def test_an_application_of_one_service_costs_what_the_one_service_form_does(usage, option):
    fields = {"traffic": TRAFFIC, "options": [option], "option_settings": {"app_runner": {"existing_account": True}}}
    alone = estimate(one_form("0.5", 1, usage, **fields), book()).options[0]
    together = estimate(application(service("web", "0.5", 1, usage), **fields), book()).options[0]
    assert alone.available
    assert together.available
    assert together.monthly_cost == alone.monthly_cost
    assert together.services is not None
    assert together.services[0].monthly_cost == together.monthly_cost


def test_ecs_on_ec2_packs_one_service_as_the_one_service_form_does():
    fields = {"options": ["ecs_ec2"], "option_settings": {"ecs_ec2": {"instance_types": ["m5.large"]}}}
    alone = estimate(one_form(1, 2, always(5), **fields), book()).options[0]
    together = estimate(application(service("web", 1, 2, always(5)), **fields), book()).options[0]
    assert together.monthly_cost == alone.monthly_cost
    assert together.configuration["capacity_providers"][0]["instances"] == alone.configuration["instances"] == 3


def test_mixed_services_packed_together_beat_packing_them_apart():
    # An m5.xlarge offers tasks 4,096 CPU units and 15,308 MiB (16 GiB less 5 % and the 256 MiB reserved). Apart,
    # CPU-heavy encoders (2 vCPU / 1 GiB) go 2 an instance, by CPU, and memory-heavy caches (0.25 vCPU / 6 GiB)
    # 2 an instance, by memory: 4 instances for 4 of each. Together, an instance holds an encoder and two caches
    # (2,560 units, 13,312 MiB): 2 such instances and one with the last 2 encoders, 3 in all.
    settings = {"ecs_ec2": {"instance_types": ["m5.xlarge"], "network_mode": "bridge"}}
    pin = {"options": ["ecs_ec2"], "public_ipv4": False, "option_settings": settings}
    encoder, cache = service("encoder", 2, 1, always(4)), service("cache", "0.25", 6, always(4))
    together = estimate(application(encoder, cache, **pin), book()).options[0]
    apart = [
        estimate(one_form(2, 1, always(4), **pin), book()).options[0],
        estimate(one_form("0.25", 6, always(4), **pin), book()).options[0],
    ]
    provider = together.configuration["capacity_providers"][0]
    assert [a.configuration["instances"] for a in apart] == [2, 2]
    assert provider["instances"] == 3
    assert together.total < sum(a.total for a in apart)
    assert sorted(tuple(sorted(box.items())) for box in provider["peak_layout"]) == [
        (("cache", 2), ("encoder", 1)),
        (("cache", 2), ("encoder", 1)),
        (("encoder", 2),),
    ]
    assert provider["stranded_vcpu"] == 3 * 4 - 4 * 2 - 4 * Decimal("0.25")


def test_each_line_names_its_service_and_the_shared_ones_are_charged_once():
    scenario = application(
        service("web", "0.5", 1, always(3)),
        service("api", 1, 2, always(2)),
        service("worker", 1, 2, always(1), load_balanced=False),
        traffic=TRAFFIC,
        options=["fargate"],
    )
    option = estimate(scenario, book()).options[0]
    data = option.to_json()
    balancers = [line for line in option.line_items if line.description.startswith("Application Load Balancer hours")]
    assert len(balancers) == 1
    assert balancers[0].service is None
    transfer = [line for line in option.line_items if line.category == "transfer"]
    assert [line.service for line in transfer] == [None]
    tasks = {line.service for line in option.line_items if line.description.startswith("Fargate vCPU")}
    assert tasks == {"web", "api", "worker"}
    assert all("service" in line for line in data["line_items"])
    costs = {s["name"]: Decimal(s["monthly_cost"]) for s in data["services"]}
    assert sum(costs.values()) == option.monthly_cost
    # The worker is not behind the load balancer: it gets none of the shared load balancer or transfer.
    own_worker = sum(line.cost for line in option.line_items if line.service == "worker")
    assert costs["worker"] == cents(own_worker)
    assert data["shared_cost_rule"].startswith("The load balancer and data transfer out")


def test_traffic_goes_to_the_fronted_services_and_scheduled_runs_are_not_fronted_by_default():
    scenario = application(
        service("web", 1, 2, always(2)),
        service("nightly", 1, 2, {"kind": "scheduled", "replicas": 1, "runs_per_day": 1, "minutes_per_run": 30}),
        traffic=TRAFFIC,
    )
    web, nightly = service_plans(scenario)
    assert (web.fronted, nightly.fronted) == (True, False)
    assert web.scenario.traffic.requests_per_second == 20
    assert nightly.scenario.traffic.requests_per_second == 0
    assert nightly.scenario.load_balancer == "none"


def test_a_day_profile_beside_a_week_one_is_repeated_and_bills_the_same():
    day = {"kind": "hourly", "replicas_by_hour": [1] * 12 + [3] * 12}
    week = {"kind": "hourly", "replicas_by_hour": [2] * 168}
    fields = {"options": ["fargate"]}
    together = estimate(application(service("a", 1, 2, day), service("b", 1, 2, week), **fields), book())
    alone = estimate(one_form(1, 2, day, **fields), book()).options[0]
    option = together.options[0]
    a_cost = sum(line.cost for line in option.line_items if line.service == "a")
    # The one-service form's own load balancer is the application's shared one.
    alone_tasks = sum(line.cost for line in alone.line_items if line.category != "load_balancer")
    assert a_cost == alone_tasks
    assert len(together.profile_weights) == 168
    by_hour = option.cost_by_profile_hour(together.profile_weights)
    assert len(by_hour) == 168
    assert sum(by_hour) == option.monthly_cost


def test_an_autoscaling_service_is_priced_on_its_simulated_replicas():
    usage = {
        "kind": "autoscaling",
        "min_replicas": 2,
        "max_replicas": 20,
        "demand_by_hour": [Decimal("0.5")] * 8 + [6] * 10 + [1] * 6,
        "policy": {"type": "target_tracking", "metric": "cpu", "target": 60},
    }
    simulated = [2] * 8 + [10] * 10 + [2] * 6
    fields = {"options": ["fargate"]}
    scaled = estimate(one_form(1, 2, usage, **fields), book())
    profiled = estimate(one_form(1, 2, {"kind": "hourly", "replicas_by_hour": simulated}, **fields), book())
    assert scaled.options[0].monthly_cost == profiled.options[0].monthly_cost
    data = scaled.to_json()["options"][0]
    assert data["services"][0]["replicas_by_hour"] == simulated
    assert len(data["cost_by_profile_hour"]) == 24
    assert "Service Auto Scaling between 2 and 20 replicas" in scaled.usage_summary


def test_an_option_that_cannot_run_one_service_names_it():
    scenario = application(
        service("web", 1, 2, always(2)),
        service("nightly", 1, 2, {"kind": "scheduled", "replicas": 1, "runs_per_day": 1, "minutes_per_run": 30}),
        options=["ecs_express"],
    )
    option = estimate(scenario, book()).options[0]
    assert not option.available
    assert option.reason.startswith("nightly: ECS Express Mode runs a web service")


def test_express_mode_services_share_one_alb():
    scenario = application(
        service("a", "0.5", 1, always(1)), service("b", "0.5", 1, always(1)), options=["ecs_express"]
    )
    option = estimate(scenario, book()).options[0]
    albs = [line for line in option.line_items if line.description.startswith("Application Load Balancer hours")]
    assert len(albs) == 1
    assert albs[0].quantity == 730
    assert albs[0].service is None
    assert "shared by 2 services" in albs[0].description


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        (
            {"services": [service("a", 1, 2, always(1))], "workload": {"vcpu": 1, "memory_gib": 2}},
            "workload",
            "not both",
        ),
        ({}, "workload", "is required"),
        ({"services": []}, "services", "at least 1"),
        ({"services": [service(f"s{i}", 1, 2, always(1)) for i in range(51)]}, "services", "at most 50"),
        ({"services": [service("a", 1, 2, always(1)), service("a", 1, 2, always(1))]}, "services", "more than once"),
        ({"services": [service("web app", 1, 2, always(1))]}, "services.0.name", "letters, digits"),
        ({"services": [service("a", 0, 2, always(1))]}, "services.0.workload.vcpu", "greater than 0"),
        ({"services": [service("a", 1, 2, {"kind": "always_on", "replicas": 0})]}, "services.0.usage.replicas", ""),
    ],
)
def test_bad_applications_name_their_field(data, path, message):
    with pytest.raises(ScenarioError) as raised:
        parse_scenario({"region": "us-east-1", **data})
    assert path in raised.value.errors, raised.value.errors
    assert any(message in m for m in raised.value.errors[path])


def test_every_option_prices_an_application_and_the_services_add_up():
    scenario = application(
        service("web", "0.5", 1, always(3)),
        service("worker", 1, 2, always(1), load_balanced=False),
        traffic=TRAFFIC,
        options=ALL,
        option_settings={"app_runner": {"existing_account": True}},
    )
    result = estimate(scenario, book())
    for option in result.options:
        assert option.available, (option.option, option.reason)
        assert option.services is not None
        assert sum(s.monthly_cost for s in option.services) == option.monthly_cost, option.option
        assert {line.service for line in option.line_items} <= {"web", "worker", None}


def test_lightsail_runs_small_services_as_containers_of_one_deployment_when_that_is_cheaper():
    us_east_1 = book()
    small = application(
        service("web", "0.125", "0.25", always(2)),
        service("worker", "0.125", "0.25", always(1), load_balanced=False),
        options=["lightsail_container"],
    )
    result = estimate(small, us_east_1).options[0]
    nano = us_east_1.get("AmazonLightsail", "ContainerPower:nano")
    assert result.configuration["deployment"].startswith("one container service: the services as containers")
    # One of each container on a node (0.25 vCPU, 0.5 GB: nano), as many nodes as web's 2 replicas.
    assert (result.configuration["power"], result.configuration["nodes"]) == ("nano", 2)
    assert result.monthly_cost == cents(2 * 730 * nano.usd / 744)
    # Apart, it would be a nano service of 2 nodes and another of 1.
    assert f"one container service per service would cost {cents(3 * 730 * nano.usd / 744)} USD" in " ".join(
        result.warnings
    )
    assert sum(s.monthly_cost for s in result.services) == result.monthly_cost


def test_lightsail_keeps_a_service_each_when_two_need_the_public_endpoint():
    both_public = application(
        service("web", "0.125", "0.25", always(1)),
        service("api", "0.125", "0.25", always(1)),
        options=["lightsail_container"],
    )
    result = estimate(both_public, book()).options[0]
    assert result.configuration["deployment"] == "one container service per service"
    assert "only one container of a deployment can be its public endpoint" in " ".join(result.warnings)
    assert {line.service for line in result.line_items} == {"web", "api"}


def test_what_a_price_book_remembers_never_changes_an_application_s_figures():
    # The application: ten services of four sizes autoscaling on CPU over a week, on every option.
    services = []
    for index in range(10):
        vcpu = ["0.25", "0.5", "1", "2"][index % 4]
        demand = [str((1 + index % 3) * (1 + (h % 24 >= 8) * 3 - (h // 24 >= 5) * 1)) for h in range(168)]
        usage = {
            "kind": "autoscaling",
            "min_replicas": 1,
            "max_replicas": 40,
            "demand_by_hour": demand,
            "policy": {"type": "target_tracking", "metric": "cpu", "target": 60},
        }
        services.append(service(f"service-{index}", vcpu, str(2 * float(vcpu)), usage, load_balanced=index < 5))
    warm = book()
    estimate(application(*services[::-1]), warm)  # the same sizes, remembered in another order
    estimate(one_form("1", "2", always(12)), warm)
    first = estimate(application(*services), warm).to_json()
    assert estimate(application(*services), warm).to_json() == first
    assert estimate(application(*services), book()).to_json() == first
    assert [o["available"] for o in first["options"]].count(True) >= 5


def test_the_result_states_each_services_usage_once_with_an_autoscaling_ones_simulated_hours():
    # web: 1-vCPU tasks tracking 60 % CPU. 3 vCPU of demand by day want 3 / 0.6 = 5 replicas (60 % busy, 3 vCPU
    # served at the target); 0.5 vCPU by night want 1, the min keeps 2 (25 % busy, 1.2 vCPU at the target).
    demand = ["0.5"] * 8 + ["3"] * 10 + ["0.5"] * 6
    web = service(
        "web",
        1,
        2,
        {
            "kind": "autoscaling",
            "min_replicas": 2,
            "max_replicas": 10,
            "demand_by_hour": demand,
            "policy": {"type": "target_tracking", "metric": "cpu", "target": 60},
        },
    )
    nightly = service("nightly", 1, 2, {"kind": "scheduled", "replicas": 1, "runs_per_day": 1, "minutes_per_run": 20})
    data = estimate(application(web, service("api", "0.5", 1, always(3)), nightly), book()).to_json()
    web_usage, api_usage, nightly_usage = data["usage"]["services"]
    assert [u["name"] for u in data["usage"]["services"]] == ["web", "api", "nightly"]
    assert (web_usage["kind"], api_usage["kind"], nightly_usage["kind"]) == ("autoscaling", "always_on", "scheduled")
    day, night = range(8, 18), [*range(8), *range(18, 24)]
    scaling = web_usage["scaling"]
    assert scaling["policy"] == "target_tracking"
    assert (scaling["metric"], scaling["demand_unit"], scaling["target"]) == ("cpu", "vCPU", "60")
    assert scaling["capacity_per_replica"] == "1"
    assert scaling["demand_by_hour"] == demand
    assert [scaling["replicas_by_hour"][h] for h in day] == [5] * 10
    assert [scaling["replicas_by_hour"][h] for h in night] == [2] * 14
    assert [scaling["utilization_percent_by_hour"][h] for h in day] == ["60"] * 10
    assert [scaling["utilization_percent_by_hour"][h] for h in night] == ["25"] * 14
    assert [scaling["capacity_at_target_by_hour"][h] for h in day] == ["3"] * 10
    assert [scaling["capacity_at_target_by_hour"][h] for h in night] == ["1.2"] * 14
    assert scaling["min_replicas_by_hour"] == [2] * 24
    assert scaling["max_replicas_by_hour"] == [10] * 24
    assert scaling["hours_at_max_over_target"] == 0
    # (10 h x 3 vCPU + 14 h x 0.5 vCPU busy) / (10 h x 5 + 14 h x 2 vCPU held) = 37 / 78.
    assert scaling["cpu_utilization_percent"] == "47.44"
    assert web_usage["summary"].startswith("Service Auto Scaling between 2 and 10 replicas")
    assert web_usage["replicas_by_hour"] == scaling["replicas_by_hour"]
    assert "scaling" not in api_usage
    assert "scaling" not in nightly_usage
    assert api_usage["replicas_by_hour"] == [3] * 24
    assert nightly_usage["replicas_by_hour"] is None
    # Every option's own services[] carries the same replicas each hour.
    for option in (o for o in data["options"] if o["available"]):
        assert option["services"][0]["replicas_by_hour"] == scaling["replicas_by_hour"]


def test_a_one_service_scenario_states_no_services_usage():
    data = estimate(one_form(1, 2, always(2)), book()).to_json()
    assert "services" not in data["usage"]
