from decimal import Decimal
from itertools import pairwise

import pytest

from compute_advisor.engine import estimate
from compute_advisor.engine.breakeven import _scaled, sweep
from tests.engine.conftest import book, scenario


def test_the_sweep_prices_each_option_at_each_point_and_names_the_crossings():
    s = scenario(
        workload={"vcpu": "0.5", "memory_gib": 1},
        usage={"kind": "always_on", "replicas": 6},
        options=["app_runner", "ecs_ec2"],
        load_balancer="alb",
    )
    result = sweep(s, book())
    assert result.xs[0] == 1
    assert Decimal(6) in result.xs
    app_runner, ec2 = result.costs["app_runner"], result.costs["ecs_ec2"]
    assert app_runner[0] < ec2[0]
    assert app_runner[-1] > ec2[-1]
    [crossing] = result.crossings
    assert (crossing.cheaper, crossing.dearer) == ("app_runner", "ecs_ec2")
    # The crossing is the first whole replica count where EC2 becomes cheaper.
    below = int(crossing.below)

    def costs(n):
        r = estimate(s.model_copy(update={"usage": s.usage.model_copy(update={"replicas": n})}), book())
        return r.option("app_runner").total, r.option("ecs_ec2").total

    before, at = costs(below - 1), costs(below)
    assert before[0] < before[1]
    assert at[0] >= at[1]
    assert crossing.sentence.startswith(f"AWS App Runner is cheaper than Amazon ECS on EC2 below {below} replicas")
    assert result.to_json()["crossings"][0]["below"] == str(below)


def test_unavailable_points_are_gaps_not_zeros():
    s = scenario(workload={"vcpu": "0.25", "memory_gib": "0.5"}, options=["lightsail_container"])
    result = sweep(s, book(), points=[1, 20, 21])
    assert result.costs["lightsail_container"][:2] != [None, None]
    assert result.costs["lightsail_container"][2] is None


def test_the_sweep_over_active_hours_a_day():
    s = scenario(options=["fargate", "lightsail_instance"], usage={"kind": "always_on", "replicas": 1})
    result = sweep(s, book(), axis="active_hours_per_day")
    assert [int(x) for x in result.xs] == list(range(1, 25))
    fargate = result.costs["fargate"]
    assert all(a < b for a, b in pairwise(fargate))
    assert len(set(result.costs["lightsail_instance"])) == 1  # Lightsail costs the same however long it runs


SWEPT = {
    "always on": ({"usage": {"kind": "always_on", "replicas": 12}}, "replicas"),
    "an hourly profile": (
        {
            "usage": {
                "kind": "hourly",
                "replicas_by_hour": [2 + (h % 24 >= 8) * 6 - (h % 24 >= 18) * 4 for h in range(24)],
            }
        },
        "replicas",
    ),
    "scheduled runs": (
        {"usage": {"kind": "scheduled", "replicas": 3, "runs_per_day": 4, "minutes_per_run": 25}},
        "replicas",
    ),
    "active hours, a small task on Graviton": (
        {"workload": {"vcpu": "0.5", "memory_gib": "1", "architecture": "arm64"}, "usage": {"replicas": 4}},
        "active_hours_per_day",
    ),
    "a burstable workload with traffic and an app runner share": (
        {
            "workload": {"vcpu": "0.25", "memory_gib": "0.5", "cpu_utilization_percent": "15"},
            "usage": {"replicas": 3},
            "traffic": {"data_transfer_out_gib": "900", "requests_per_second": "25", "avg_response_kib": "12"},
            "option_settings": {"app_runner": {"active_hours_per_day": "8"}},
        },
        "replicas",
    ),
    "spot": ({"usage": {"replicas": 5}, "purchase": "spot"}, "replicas"),
}


@pytest.mark.parametrize(("fields", "axis"), list(SWEPT.values()), ids=list(SWEPT))
def test_the_sweep_gives_each_point_the_figures_of_pricing_it_from_scratch(fields, axis):
    """What the sweep keeps from one point to the next (each option's choices, remembered by the price book)
    never changes a figure: each point is priced again on a new book, with nothing remembered."""
    s = scenario(**fields)
    swept = sweep(s, book(), axis=axis)
    for index, x in enumerate(swept.xs):
        alone = estimate(_scaled(s, x, axis), book())
        for option in alone.options:
            expected = option.total if option.available else None
            got = swept.costs[option.option][index]
            assert got == expected
            assert got is None or got.as_tuple() == expected.as_tuple()
    for crossing in swept.crossings:
        below = crossing.below
        before = estimate(_scaled(s, below - 1, axis), book())
        at = estimate(_scaled(s, below, axis), book())
        cheaper, dearer = crossing.cheaper, crossing.dearer
        if before.option(cheaper).available and before.option(dearer).available:
            assert before.option(cheaper).total < before.option(dearer).total
        assert not (at.option(cheaper).available and at.option(dearer).available) or (
            at.option(cheaper).total >= at.option(dearer).total
        )
