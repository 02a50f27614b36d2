"""Values beyond the schema's bounds, generated: every entry point answers 2xx or 4xx, never 5xx, in bounded time.

The generator mutates a valid scenario at one path with hostile values (huge and tiny exponents, thousands of
digits, NaN spelled every way, wrong types, unicode digits, deep lists, long strings), and sends it to the API's
bodies, the comparison page's query and the instance-types filter.
"""

import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from tests.factories import scenario_data

HOSTILE_NUMBERS = [
    "1E-100000000",
    "1E+999999999",
    "1E-30",
    "-0",
    "NaN",
    "Infinity",
    "-Infinity",
    "9" * 5000,
    "0." + "0" * 500 + "1",
    "²",
    "١٢",
    "0x10",
    "1_000",
    " 1 ",
    "",
]
hostile_value = st.one_of(
    st.sampled_from(HOSTILE_NUMBERS),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.text(max_size=300),
    st.lists(st.integers(), max_size=200),
    st.dictionaries(st.text(max_size=10), st.integers(), max_size=5),
    st.just([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]),
)
PATHS = [
    ("workload", "vcpu"),
    ("workload", "memory_gib"),
    ("workload", "cpu_utilization_percent"),
    ("workload", "ephemeral_storage_gib"),
    ("workload", "disk_gib"),
    ("usage", "replicas"),
    ("usage", "kind"),
    ("usage", "replicas_by_hour"),
    ("traffic", "data_transfer_out_gib"),
    ("traffic", "data_transfer_in_gib"),
    ("traffic", "requests_per_second"),
    ("traffic", "connection_seconds"),
    ("resilience", "min_zones"),
    ("option_settings", "ecs_ec2"),
    ("option_settings", "lightsail_instance"),
    ("hours_per_month",),
    ("region",),
    ("options",),
]
hostile = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def mutated(path, value):
    data = scenario_data(usage={"kind": "always_on", "replicas": 2})
    node = data
    for part in path[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            return data
    node[path[-1]] = value
    return data


@hostile
@given(st.sampled_from(PATHS), hostile_value, st.sampled_from(["/api/v1/estimates", "/api/v1/estimates/sweep"]))
def test_the_api_never_answers_5xx(seeded, path, value, url):
    scenario = mutated(path, value)
    body = scenario if url.endswith("estimates") else {"scenario": scenario, "points": [1, 2]}
    text = json.dumps(body).replace('"NaN"', "NaN") if value == "NaN" else json.dumps(body)
    started = time.monotonic()
    response = APIClient().post(url, text, content_type="application/json")
    assert response.status_code < 500, response.content[:500]
    assert time.monotonic() - started < 5
    if response.status_code == 400:
        assert response.json()["errors"]


@hostile
@given(
    st.sampled_from(["vcpu", "memory_gib", "replicas", "hours_per_month", "profile", "cpu_utilization_percent"]),
    st.sampled_from(HOSTILE_NUMBERS),
)
def test_the_comparison_page_never_answers_5xx(client, seeded, field, value):
    query = {"submitted": "1", "region": "us-east-1", "vcpu": "1", "memory_gib": "2", "replicas": "2", field: value}
    started = time.monotonic()
    response = client.get("/compare/", query)
    assert response.status_code < 500
    assert time.monotonic() - started < 5


@hostile
@given(st.sampled_from(HOSTILE_NUMBERS))
def test_the_instance_types_filter_never_answers_5xx(seeded, value):
    response = APIClient().get("/api/v1/catalog/instance-types", {"min_vcpu": value})
    assert response.status_code in (200, 400)
