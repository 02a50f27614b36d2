from decimal import Decimal
from itertools import pairwise

from compute_advisor.engine.breakeven import sweep
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
    from compute_advisor.engine import estimate

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
