"""Hostile input costs bounded work and gets a clear error: oversized bodies, deep nesting, numbers beyond any
size, NaN. Each case here once made a 500 or a long stall (issue 18)."""

import json
import subprocess
import sys
import time

import pytest
from rest_framework.test import APIClient

from compute_advisor.estimates.imports import ImportProblem, import_workload
from compute_advisor.lib.bounded_input import MAX_DEPTH, TooDeep, json_depth_exceeds, load_json, yaml_depth_exceeds
from tests.estimates.test_estimate_command import ROOT
from tests.factories import scenario_data

DEEP_JSON = "[" * 100_000  # about 100 KB: a RecursionError in json.loads without the depth check
API_BODIES = ["/api/v1/estimates", "/api/v1/estimates/sweep", "/api/v1/recommendations"]


@pytest.fixture
def api():
    return APIClient()


def test_the_depth_is_counted_in_one_pass_and_strings_do_not_count():
    assert not json_depth_exceeds(json.dumps(scenario_data()))
    assert json_depth_exceeds("[" * (MAX_DEPTH + 1))
    assert not json_depth_exceeds('{"a": "' + "[" * 1000 + '"}')
    assert not json_depth_exceeds('{"a": "\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}')
    with pytest.raises(TooDeep):
        load_json(DEEP_JSON)
    with pytest.raises(ValueError, match="NaN"):
        load_json('{"vcpu": NaN}')
    assert yaml_depth_exceeds("a: " + "[" * 40)
    assert yaml_depth_exceeds("\n".join(" " * i + "a:" for i in range(40)))
    assert not yaml_depth_exceeds("services:\n  web:\n    image: nginx  # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n")


@pytest.mark.parametrize("url", API_BODIES)
def test_deep_json_is_a_json_400_on_every_body(api, seeded, url):
    started = time.monotonic()
    response = api.post(url, DEEP_JSON, content_type="application/json")
    assert response.status_code == 400
    assert "nests more than 32 levels deep" in response.json()["errors"][""][0]
    assert time.monotonic() - started < 2


def test_an_oversized_body_is_a_json_413(api, seeded):
    body = json.dumps({**scenario_data(), "name": "x" * (600 * 1024)})
    response = api.post("/api/v1/estimates", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "larger than 512 KB" in response.json()["errors"][""][0]


def test_nan_and_a_huge_exponent_are_400s(api, seeded):
    nan = api.post(
        "/api/v1/estimates", '{"region": "us-east-1", "workload": {"vcpu": NaN}}', content_type="application/json"
    )
    assert nan.status_code == 400
    assert "NaN" in nan.json()["errors"][""][0]
    huge = api.post(
        "/api/v1/estimates",
        json.dumps(scenario_data(workload={"vcpu": "1E-1000000000", "memory_gib": 2})),
        content_type="application/json",
    )
    assert huge.status_code == 400
    assert huge.json()["errors"] == {"workload.vcpu": ["must be a number of at most 30 digits"]}


@pytest.mark.parametrize(
    "text",
    [
        DEEP_JSON,
        "services: " + "[" * 100_000,
        '{"family": "x", "cpu": "1E+999999999", "memory": "512", "containerDefinitions": []}',
        "services:\n  web:\n    deploy:\n      resources:\n        limits:\n          cpus: '1E+999999999'\n",
    ],
)
def test_imports_refuse_deep_nesting_and_sizes_beyond_any_container(text):
    started = time.monotonic()
    with pytest.raises(ImportProblem):
        import_workload(text)
    assert time.monotonic() - started < 1


def test_the_import_page_answers_deep_nesting_with_a_message(client, seeded):
    response = client.post("/compare/import/", {"text": "services: " + "[" * 50_000})
    assert response.status_code == 200
    assert "nests more than 32 levels deep" in response.content.decode()


def test_the_cli_refuses_deep_nesting_with_exit_2():
    result = subprocess.run(
        [sys.executable, "manage.py", "estimate", "--input", "-"],
        cwd=ROOT,
        input=DEEP_JSON,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "nests more than 32 levels deep" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
