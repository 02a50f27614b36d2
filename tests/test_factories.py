"""The scenario factory: fresh dicts, and overrides merged into workload and usage."""

from decimal import Decimal

from tests.factories import parsed_scenario, scenario_data


def test_it_gives_the_minimal_scenario():
    assert scenario_data() == {
        "region": "us-east-1",
        "workload": {"vcpu": 1, "memory_gib": 2},
        "usage": {"kind": "always_on", "replicas": 2},
    }


def test_each_call_is_a_new_dict_that_shares_nothing():
    first = scenario_data()
    first["workload"]["vcpu"] = 4
    first["usage"]["replicas"] = 9
    assert scenario_data() == scenario_data(workload={"vcpu": 1}, usage={"replicas": 2})
    assert scenario_data()["workload"]["vcpu"] == 1


def test_what_is_passed_in_is_copied_too():
    traffic = {"data_transfer_out_gib": "10"}
    data = scenario_data(traffic=traffic)
    data["traffic"]["data_transfer_out_gib"] = "99"
    assert traffic == {"data_transfer_out_gib": "10"}


def test_workload_and_usage_are_merged_into_the_defaults():
    data = scenario_data(workload={"os": "windows"}, usage={"replicas": 3})
    assert data["workload"] == {"vcpu": 1, "memory_gib": 2, "os": "windows"}
    assert data["usage"] == {"kind": "always_on", "replicas": 3}


def test_a_usage_of_another_kind_replaces_the_default_one():
    profile = [1] * 24
    assert scenario_data(usage={"kind": "hourly", "replicas_by_hour": profile})["usage"] == {
        "kind": "hourly",
        "replicas_by_hour": profile,
    }


def test_other_keys_are_set_as_given():
    data = scenario_data(region="eu-west-1", purchase="spot", options=["fargate"])
    assert (data["region"], data["purchase"], data["options"]) == ("eu-west-1", "spot", ["fargate"])


def test_parsed_scenario_is_the_engines_scenario_of_that_dict():
    scenario = parsed_scenario(workload={"vcpu": "0.5"})
    assert scenario.workload.vcpu == Decimal("0.5")
    assert scenario.usage.replicas == 2
