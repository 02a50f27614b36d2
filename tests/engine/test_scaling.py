"""Service Auto Scaling, simulated hour by hour: target tracking, step scaling and scheduled min/max, worked by
hand and from AWS's documented rules."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compute_advisor.engine import scaling
from compute_advisor.engine.scaling import simulate
from compute_advisor.engine.scenario import ScenarioError, parse_scenario
from tests.factories import scenario_data

DAY = 24


def autoscaling(demand, policy, *, vcpu=1, memory_gib=2, low=1, high=20, schedule=()):
    data = scenario_data()
    data["workload"] = {"vcpu": vcpu, "memory_gib": memory_gib}
    data["usage"] = {
        "kind": "autoscaling",
        "min_replicas": low,
        "max_replicas": high,
        "demand_by_hour": demand,
        "policy": policy,
        "schedule": list(schedule),
    }
    return parse_scenario(data)


def run(scenario):
    return simulate(scenario.usage, scenario.workload)


def cpu(target):
    return {"type": "target_tracking", "metric": "cpu", "target": target}


def test_target_tracking_is_the_proportional_rule_aws_documents():
    # Application Auto Scaling's target tracking sets capacity in proportion to the metric: 10 tasks at 75 %
    # CPU with a 50 % target become 15. Ten 1-vCPU tasks at 75 % keep 7.5 vCPU busy.
    s = autoscaling([Decimal("7.5")] * DAY, cpu(50), high=100)
    assert run(s).replicas_by_hour == (15,) * DAY


@pytest.mark.parametrize(
    ("demand", "policy", "vcpu", "memory", "expected"),
    [
        ("6", cpu(60), 1, 2, 10),  # 6 / (1 x 0.6)
        ("6.01", cpu(60), 1, 2, 11),  # a hair over rounds up
        ("3", cpu(75), "0.5", 1, 8),  # 3 / 0.375
        ("10", {"type": "target_tracking", "metric": "memory", "target": 80}, 1, 2, 7),  # 10 / 1.6 = 6.25
        # ALBRequestCountPerTarget: 50 requests a second are 3,000 a minute; 1,000 per target a minute.
        ("50", {"type": "target_tracking", "metric": "requests_per_target", "target": 1000}, 1, 2, 3),
        ("50.1", {"type": "target_tracking", "metric": "requests_per_target", "target": 1000}, 1, 2, 4),
    ],
)
def test_target_tracking_by_metric(demand, policy, vcpu, memory, expected):
    s = autoscaling([demand] * DAY, policy, vcpu=vcpu, memory_gib=memory, high=100)
    assert run(s).replicas_by_hour == (expected,) * DAY


def test_the_min_and_max_clamp_what_the_policy_wants():
    demand = [0] * 6 + [100] * 6 + [3] * 12  # 0, 167 and 5 replicas wanted at 60 %
    result = run(autoscaling(demand, cpu(60), low=2, high=20))
    assert result.replicas_by_hour == (2,) * 6 + (20,) * 6 + (5,) * 12
    # The six hours at the max cannot keep CPU at the target.
    assert result.hours_at_max_over_target == 6


def test_scheduled_actions_set_the_min_on_weekdays_only_and_make_the_profile_a_week():
    schedule = [{"days": "weekdays", "from_hour": 8, "to_hour": 18, "min_replicas": 4}]
    result = run(autoscaling(["0.5"] * DAY, cpu(60), low=1, schedule=schedule))
    assert len(result.replicas_by_hour) == 168
    monday = result.replicas_by_hour[:DAY]
    saturday = result.replicas_by_hour[5 * DAY : 6 * DAY]
    assert monday == (1,) * 8 + (4,) * 10 + (1,) * 6  # from_hour included, to_hour not
    assert saturday == (1,) * DAY
    assert result.replicas_by_hour[4 * DAY : 5 * DAY] == monday  # Friday


def test_a_schedule_for_every_day_keeps_a_day_profile_and_a_later_action_overrides():
    schedule = [
        {"days": "all", "from_hour": 0, "to_hour": 24, "max_replicas": 3},
        {
            "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
            "from_hour": 12,
            "to_hour": 13,
            "max_replicas": 6,
        },
    ]
    result = run(autoscaling(["5"] * DAY, cpu(50), low=1, high=20, schedule=schedule))
    assert len(result.replicas_by_hour) == DAY
    assert result.replicas_by_hour == (3,) * 12 + (6,) + (3,) * 11


def test_a_min_scheduled_above_the_max_raises_the_max_with_it():
    schedule = [{"days": "all", "from_hour": 9, "to_hour": 10, "min_replicas": 8}]
    result = run(autoscaling(["0"] * DAY, cpu(50), low=1, high=5, schedule=schedule))
    assert result.replicas_by_hour[9] == 8
    assert result.max_by_hour[9] == 8


def test_step_scaling_starts_from_the_last_hour_and_takes_the_largest_matching_step():
    policy = {
        "type": "step",
        "metric": "cpu",
        "steps": [{"above": 70, "add": 2}, {"above": 90, "add": 4}],
        "below": 30,
        "remove": 1,
    }
    # 1-vCPU tasks. Worked by hand, starting from the min (1):
    # 0.5 vCPU on 1 -> 50 %: stays 1; 1.8 on 1 -> 180 %: above 90, +4 -> 5; 4 on 5 -> 80 %: +2 -> 7;
    # 4 on 7 -> 57 %: stays; 1 on 7 -> 14 %: below 30, -1 -> 6; 0 on 6 -> 0 %: -1 -> 5; then the max of 8
    # clamps 30 on 5 (600 %, +4 -> 9) to 8.
    demand = ["0.5", "1.8", "4", "4", "1", "0", "30"] + ["0"] * 17
    result = run(autoscaling(demand, policy, low=1, high=8))
    assert result.replicas_by_hour[:7] == (1, 5, 7, 7, 6, 5, 8)
    # Then it scales in one replica an hour, down to the min.
    assert result.replicas_by_hour[7:15] == (7, 6, 5, 4, 3, 2, 1, 1)


def test_step_scaling_from_zero_tasks_with_demand_takes_the_largest_step():
    policy = {"type": "step", "metric": "cpu", "steps": [{"above": 50, "add": 1}, {"above": 80, "add": 3}]}
    result = run(autoscaling(["1"] + ["0"] * 23, policy, low=0, high=10))
    assert result.replicas_by_hour[:2] == (3, 3)  # no scale-in without `below`


def test_percent_step_scaling_follows_aws_documented_example():
    # Application Auto Scaling's step scaling example: a capacity of 10, +10 % from 60, +30 % from 70, -10 %
    # below 40. The metric reaches the first step: 10 % of 10 adds 1 (11); then the second: 30 % of 11 is
    # 3.3, rounded down, 3 (14); then below 40: 10 % of 14 is 1.4, 1 (13). 1-vCPU tasks: 6.5 vCPU busy on 10
    # is 65 %, 8.25 on 11 is 75 %, 4.9 on 14 is 35 %, and 6.5 on 13 is 50 %, where nothing changes.
    policy = {
        "type": "step",
        "metric": "cpu",
        "adjustment": "percent_change_in_capacity",
        "steps": [{"above": 60, "add": 10}, {"above": 70, "add": 30}],
        "below": 40,
        "remove": 10,
    }
    demand = ["6.5", "8.25", "4.9"] + ["6.5"] * 21
    result = run(autoscaling(demand, policy, low=10, high=20))
    assert result.replicas_by_hour == (11, 14, 13) + (13,) * 21


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, 5),  # 10 % of 4 is 0.4: a change between 0 and 1 is 1
        ({"min_adjustment_magnitude": 3}, 7),  # at least 3
    ],
)
def test_a_percent_step_rounds_a_small_change_to_one_and_keeps_the_minimum_magnitude(extra, expected):
    policy = {
        "type": "step",
        "metric": "cpu",
        "adjustment": "percent_change_in_capacity",
        "steps": [{"above": 60, "add": 10}],
        **extra,
    }
    result = run(autoscaling(["3.6"] + ["2"] * 23, policy, low=4, high=20))  # 3.6 on 4 is 90 %
    assert result.replicas_by_hour[0] == expected


def test_the_simulated_cpu_use_is_what_the_replicas_keep_busy():
    # 2 vCPU of demand on 1-vCPU tasks at 50 % -> 4 replicas, 50 % busy; a quiet half of the day on the min 2
    # replicas with 0.5 vCPU busy -> 25 %. Weighted by the vCPU held: (2 x 12 + 0.5 x 12) / (4 x 12 + 2 x 12).
    result = run(autoscaling(["2"] * 12 + ["0.5"] * 12, cpu(50), low=2))
    assert result.replicas_by_hour == (4,) * 12 + (2,) * 12
    assert result.cpu_utilization_percent == Decimal(30) / Decimal(72) * 100


@pytest.mark.parametrize(
    ("usage", "path", "message"),
    [
        ({"min_replicas": 5, "max_replicas": 2}, "usage.min_replicas", "at most max_replicas"),
        ({"demand_by_hour": [1] * 23}, "usage.demand_by_hour", "24 (a day) or 168"),
        ({"demand_by_hour": [True] * 24}, "usage.demand_by_hour.0", "number"),
        ({"demand_by_hour": ["1E-100000000"] * 24}, "usage.demand_by_hour.0", "at most 30 digits"),
        ({"demand_by_hour": [-1] * 24}, "usage.demand_by_hour.0", "greater than or equal to 0"),
        ({"policy": cpu(150)}, "usage.policy.target", "at most 100"),
        ({"policy": {"type": "step", "steps": [{"above": 50, "add": 1}], "below": 60}}, "usage.policy.below", "under"),
        (
            {"policy": {"type": "step", "steps": [{"above": 50, "add": 1}], "min_adjustment_magnitude": 2}},
            "usage.policy.min_adjustment_magnitude",
            "percent_change_in_capacity only",
        ),
        (
            {"policy": {"type": "step", "steps": [{"above": 50, "add": 1}], "adjustment": "exact_capacity"}},
            "usage.policy.adjustment",
            "change_in_capacity",
        ),
        ({"policy": {"type": "predictive"}}, "usage.policy.type", "target_tracking, step"),
        ({"schedule": [{"from_hour": 9, "to_hour": 9, "min_replicas": 1}]}, "usage.schedule.0.to_hour", "after"),
        ({"schedule": [{"from_hour": 9, "to_hour": 10}]}, "usage.schedule.0", "neither"),
        (
            {"schedule": [{"days": ["funday"], "from_hour": 9, "to_hour": 10, "min_replicas": 1}]},
            "usage.schedule.0.days",
            "",
        ),
        ({"min_replicas": 0, "demand_by_hour": [0] * 24}, "usage.min_replicas", "no replica in any hour"),
    ],
)
def test_bad_autoscaling_input_names_its_field(usage, path, message):
    data = scenario_data()
    data["usage"] = {
        "kind": "autoscaling",
        "min_replicas": 1,
        "max_replicas": 10,
        "demand_by_hour": [1] * 24,
        "policy": cpu(60),
        **usage,
    }
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(data)
    assert any(key == path or key.startswith(path + ".") for key in raised.value.errors), raised.value.errors
    assert any(message in m for key, ms in raised.value.errors.items() if key.startswith(path) for m in ms)


def hour_by_hour(usage, workload):
    """The simulation as docs/CONTRACT.md states it, one hour after another (what engine.scaling works out once
    for each distinct hour)."""
    length = scaling.profile_length(usage)
    demand = list(usage.demand_by_hour) * (length // len(usage.demand_by_hour))
    policy, previous, replicas, lows, highs, over = usage.policy, None, [], [], [], 0
    for hour, need in enumerate(demand):
        low, high = scaling.bounds(usage, hour, length)
        if policy.type == "target_tracking":
            wanted = scaling.target_replicas(need, metric=policy.metric, target=policy.target, workload=workload)
            level = policy.target
        else:
            wanted = scaling.step_replicas(
                low if previous is None else previous, need, policy=policy, workload=workload
            )
            level = max(step.above for step in policy.steps)
        count = min(max(wanted, low), high)
        if count == high:
            at = scaling.metric_at(need, count, metric=policy.metric, workload=workload)
            over += at is None or at > level
        replicas.append(count)
        lows.append(low)
        highs.append(high)
        previous = count
    cpu = None
    if policy.metric == "cpu":
        held = sum((r * workload.vcpu for r in replicas), Decimal(0))
        busy = sum((min(d, r * workload.vcpu) for d, r in zip(demand, replicas, strict=True)), Decimal(0))
        cpu = busy * 100 / held if held else None
    return (tuple(demand), tuple(replicas), tuple(lows), tuple(highs), policy.metric, over, cpu)


demands = st.lists(st.sampled_from(["0", "0.4", "1", "1.0", "2.5", "3", "7.25", "12", "40"]), min_size=24, max_size=24)
policies = st.one_of(
    st.builds(cpu, st.sampled_from([40, 60, 75, "100"])),
    st.builds(
        lambda target: {"type": "target_tracking", "metric": "requests_per_target", "target": target},
        st.sampled_from([30, 600]),
    ),
    st.builds(
        lambda metric, below: {
            "type": "step",
            "metric": metric,
            "steps": [{"above": 70, "add": 1}, {"above": 90, "add": 3}],
            "below": below,
        },
        st.sampled_from(["cpu", "memory"]),
        st.sampled_from([None, 30]),
    ),
    st.builds(
        lambda magnitude: {
            "type": "step",
            "metric": "cpu",
            "adjustment": "percent_change_in_capacity",
            "steps": [{"above": 60, "add": 10}, {"above": 80, "add": 50}],
            "below": 30,
            "remove": 25,
            **({"min_adjustment_magnitude": magnitude} if magnitude else {}),
        },
        st.sampled_from([None, 2]),
    ),
)
schedules = st.lists(
    st.builds(
        lambda days, start, hours, low: {
            "days": days,
            "from_hour": start,
            "to_hour": start + hours,
            "min_replicas": low,
        },
        st.sampled_from(["all", "weekdays", ["saturday"]]),
        st.integers(0, 20),
        st.integers(1, 3),
        st.integers(0, 6),
    ),
    max_size=2,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(demands, st.booleans(), policies, schedules, st.sampled_from(["0.25", "1", "2"]))
def test_the_simulation_is_the_hour_by_hour_rule(day, week, policy, schedule, vcpu):
    s = autoscaling(day * 7 if week else day, policy, vcpu=vcpu, low=1, high=12, schedule=schedule)
    got = run(s)
    assert (
        got.demand_by_hour,
        got.replicas_by_hour,
        got.min_by_hour,
        got.max_by_hour,
        got.metric,
        got.hours_at_max_over_target,
        got.cpu_utilization_percent,
    ) == hour_by_hour(s.usage, s.workload)
    if got.cpu_utilization_percent is not None:
        assert got.cpu_utilization_percent.as_tuple() == hour_by_hour(s.usage, s.workload)[-1].as_tuple()


# Each hour's utilisation and capacity at the target, as the result states and the charts draw them.


def test_it_states_each_hours_utilisation_and_the_capacity_the_replicas_give_at_the_target():
    # 3 vCPU of demand on 1-vCPU tasks at a 60 % target: 3 / 0.6 = 5 replicas, 3 of their 5 vCPU busy (60 %),
    # and 5 x 1 x 0.6 = 3 vCPU served at the target. At night 0.5 vCPU wants 1 replica, the min keeps 2: 25 %.
    result = run(autoscaling(["3"] * 12 + ["0.5"] * 12, cpu(60), low=2))
    assert result.replicas_by_hour == (5,) * 12 + (2,) * 12
    assert result.utilization_percent_by_hour == (Decimal(60),) * 12 + (Decimal(25),) * 12
    assert result.capacity_at_level_by_hour == (Decimal(3),) * 12 + (Decimal("1.2"),) * 12
    assert result.served_per_replica == Decimal("0.6")


def test_demand_beyond_the_max_fills_the_replicas_and_no_more():
    # 8 vCPU against a max of 4 one-vCPU replicas: all 4 vCPU busy (100 %, not 200 %), 2.4 vCPU at the target.
    result = run(autoscaling(["8"] * DAY, cpu(60), low=1, high=4))
    assert result.utilization_percent_by_hour == (Decimal(100),) * DAY
    assert result.capacity_at_level_by_hour == (Decimal("2.4"),) * DAY
    assert result.hours_at_max_over_target == DAY


def test_the_hours_utilisation_averages_to_the_cpu_use_the_service_is_priced_at():
    demand = ["0.2", "1", "2.5", "7", "0"] * 4 + ["3"] * 4
    result = run(autoscaling(demand, cpu(70), vcpu="0.5", low=1, high=6))
    held = [r * Decimal("0.5") for r in result.replicas_by_hour]
    weighted = sum(u * h for u, h in zip(result.utilization_percent_by_hour, held, strict=True)) / sum(held)
    assert weighted == result.cpu_utilization_percent


def test_memory_utilisation_is_of_the_replicas_memory():
    # 5 GiB on 2-GiB tasks at 80 %: ceil(5 / 1.6) = 4 replicas holding 8 GiB, 62.5 % in use, 6.4 GiB at target.
    memory = {"type": "target_tracking", "metric": "memory", "target": 80}
    result = run(autoscaling(["5"] * DAY, memory, memory_gib=2, high=10))
    assert result.replicas_by_hour == (4,) * DAY
    assert result.utilization_percent_by_hour == (Decimal("62.5"),) * DAY
    assert result.capacity_at_level_by_hour == (Decimal("6.4"),) * DAY
    assert result.cpu_utilization_percent is None


def test_requests_per_target_have_no_utilisation_but_a_capacity_in_requests_a_second():
    # 1,000 requests per target a minute is 50 / 3 a second per replica; 50 a second want 3 replicas.
    requests = {"type": "target_tracking", "metric": "requests_per_target", "target": 1000}
    result = run(autoscaling(["50"] * DAY, requests, high=10))
    assert result.utilization_percent_by_hour is None
    assert result.capacity_at_level_by_hour == (Decimal(50),) * DAY


def test_step_scaling_states_its_capacity_at_the_top_steps_threshold():
    policy = {
        "type": "step",
        "metric": "cpu",
        "steps": [{"above": 60, "add": 1}, {"above": 80, "add": 2}],
        "below": 30,
        "remove": 1,
    }
    result = run(autoscaling(["1"] * DAY, policy, low=1, high=10))
    assert result.level == Decimal(80)
    assert result.capacity_at_level_by_hour == tuple(r * Decimal("0.8") for r in result.replicas_by_hour)
