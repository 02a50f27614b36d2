"""The scenario parser with random JSON: it answers with a Scenario or a ScenarioError, nothing else."""

from hypothesis import given, settings
from hypothesis import strategies as st

from compute_advisor.engine import Scenario, ScenarioError, parse_scenario

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=15), children, max_size=5),
    max_leaves=30,
)
keys = st.sampled_from(
    [
        "region",
        "workload",
        "usage",
        "hours_per_month",
        "traffic",
        "load_balancer",
        "public_ipv4",
        "purchase",
        "options",
        "option_settings",
        "name",
        "vcpu",
        "memory_gib",
        "kind",
        "replicas",
        "replicas_by_hour",
        "runs_per_day",
        "minutes_per_run",
    ]
)
near_scenarios = st.fixed_dictionaries(
    {
        "region": st.sampled_from(["us-east-1", "x", "", "eu-west-1"]) | json_values,
        "workload": st.dictionaries(keys, json_values, max_size=6) | json_values,
        "usage": st.dictionaries(keys, json_values, max_size=6) | json_values,
    },
    optional={k: json_values for k in ("hours_per_month", "traffic", "options", "option_settings", "purchase")},
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(json_values, near_scenarios))
def test_random_json_gives_a_scenario_or_field_errors(data):
    try:
        scenario = parse_scenario(data)
    except ScenarioError as exc:
        errors = exc.errors
    else:
        assert isinstance(scenario, Scenario)
        return
    assert errors
    assert all(isinstance(path, str) and messages for path, messages in errors.items())
    assert all(isinstance(m, str) and m for messages in errors.values() for m in messages)
