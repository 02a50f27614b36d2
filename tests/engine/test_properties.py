"""Invariants over many generated scenarios (hypothesis)."""

from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from compute_advisor.engine import OPTION_CODES, ScenarioError, estimate
from compute_advisor.engine import parse_scenario as strict_parse
from compute_advisor.engine.money import cents
from tests.engine.conftest import book

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"]
VCPUS = ["0.25", "0.5", "1", "1.5", "2", "3", "4", "6", "8", "16"]
MEMORY = ["0.5", "1", "2", "3", "4", "6", "8", "12", "16", "30", "60"]


def parse_scenario(data):
    """Generated inputs can break a cross-field rule (runs longer than the month): those are not valid."""
    try:
        return strict_parse(data)
    except ScenarioError:
        assume(False)


quick = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

usage = st.one_of(
    st.builds(lambda n: {"kind": "always_on", "replicas": n}, st.integers(1, 40)),
    st.builds(
        lambda n, runs, minutes: {"kind": "scheduled", "replicas": n, "runs_per_day": runs, "minutes_per_run": minutes},
        st.integers(1, 20),
        st.integers(1, 24),
        st.integers(1, 60),
    ),
    st.builds(
        lambda values: {"kind": "hourly", "replicas_by_hour": values},
        st.lists(st.integers(0, 12), min_size=24, max_size=24).filter(any),
    ),
)

scenarios = st.fixed_dictionaries(
    {
        "region": st.sampled_from(REGIONS),
        "workload": st.fixed_dictionaries(
            {
                "vcpu": st.sampled_from(VCPUS),
                "memory_gib": st.sampled_from(MEMORY),
                "architecture": st.sampled_from(["x86_64", "arm64"]),
                "os": st.sampled_from(["linux", "linux", "windows"]),
                "ephemeral_storage_gib": st.sampled_from(["20", "50", "200"]),
                "disk_gib": st.sampled_from(["8", "30", "100"]),
                "cpu_utilization_percent": st.sampled_from(["0", "10", "50", "50", "90", "100"]),
            }
        ),
        "resilience": st.fixed_dictionaries({"min_zones": st.integers(1, 3)}),
        "usage": usage,
        "hours_per_month": st.sampled_from(["730", "720", "744", "100"]),
        "traffic": st.fixed_dictionaries(
            {
                "data_transfer_out_gib": st.sampled_from(["0", "50", "500", "20000"]),
                "data_transfer_in_gib": st.sampled_from(["0", "0", "800"]),
                "requests_per_second": st.sampled_from(["0", "5", "300"]),
                "avg_response_kib": st.sampled_from(["0", "16"]),
            }
        ),
        "load_balancer": st.sampled_from(["auto", "alb", "nlb", "none"]),
        "public_ipv4": st.booleans(),
        "purchase": st.sampled_from(["on_demand", "on_demand", "spot", "savings_plan_1y"]),
    }
)


@quick
@given(scenarios)
def test_every_valid_scenario_prices_or_says_why_not(data):
    scenario = parse_scenario(data)
    result = estimate(scenario, book(scenario.region))
    assert [o.option for o in result.options] == list(OPTION_CODES)
    for option in result.options:
        if option.available:
            assert option.line_items, option.option
            assert all(line.cost >= 0 for line in option.line_items)
            # The total is the rounded sum of the unrounded lines, and within half a cent a line of the
            # sum of the rounded lines.
            assert option.monthly_cost == cents(sum(line.cost for line in option.line_items))
            rounded = sum(cents(line.cost) for line in option.line_items)
            assert abs(option.monthly_cost - rounded) <= Decimal("0.005") * len(option.line_items)
        else:
            assert option.reason
            assert option.reason.endswith(".")
    json = result.to_json()
    assert json["ranking"] == result.ranking


@quick
@given(scenarios, st.integers(1, 10))
def test_more_replicas_never_cost_less(data, extra):
    data = {**data, "usage": {"kind": "always_on", "replicas": 2}}
    fewer = parse_scenario(data)
    more = parse_scenario({**data, "usage": {"kind": "always_on", "replicas": 2 + extra}})
    small, large = estimate(fewer, book(fewer.region)), estimate(more, book(more.region))
    for a, b in zip(small.options, large.options, strict=True):
        if a.available and b.available:
            assert b.total >= a.total, a.option


@quick
@given(scenarios, st.data())
def test_a_pinned_configuration_never_beats_the_engines_own_choice(data, draw):
    data = {**data, "purchase": "on_demand", "workload": {**data["workload"], "os": "linux"}}
    scenario = parse_scenario(data)
    price_book = book(scenario.region)
    free = estimate(scenario, price_book)
    ec2 = free.option("ecs_ec2")
    if ec2.available:
        architecture = scenario.workload.architecture
        from compute_advisor.engine.catalog import default_catalog

        same_arch = sorted(
            name
            for name, t in default_catalog().instance_types.items()
            if t.architecture == architecture and price_book.get("AmazonEC2", f"BoxUsage:{name}")
        )
        pin = draw.draw(st.sampled_from(same_arch))
        pinned = estimate(
            parse_scenario({**data, "option_settings": {"ecs_ec2": {"instance_types": [pin]}}}), price_book
        ).option("ecs_ec2")
        if pinned.available and not pinned.missing_prices:  # a charge left out can make a pin look cheaper
            assert pinned.total >= ec2.total
    lightsail = free.option("lightsail_instance")
    if lightsail.available:
        for bundle in ("nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"):
            pinned = estimate(
                parse_scenario({**data, "option_settings": {"lightsail_instance": {"bundle": bundle}}}), price_book
            ).option("lightsail_instance")
            if pinned.available and not pinned.missing_prices:
                assert pinned.total >= lightsail.total
