"""The scenario and the wizard's answers are declared once, in the engine: a bound or a default read from the
declaration is the same in the API's OpenAPI schema, in the web forms, and in what the API and the CLI say
when it is broken."""

import json
import re
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from compute_advisor.engine.declaration import field_spec, number_as_read, numbers_as_read, too_many_digits
from compute_advisor.engine.scenario import Scenario
from compute_advisor.estimates.forms import ScenarioForm
from compute_advisor.estimates.scenario_form import (
    BY_PATH,
    DEFAULTS,
    field_for,
    query_from_scenario,
    scenario_from_form,
)
from compute_advisor.wizard.answers import Answers
from compute_advisor.wizard.forms import STEPS
from tests.factories import scenario_data

# (scenario path, the schema component and property that document it)
SCENARIO_FIELDS = [
    ("workload.vcpu", "Workload", "vcpu"),
    ("workload.disk_gib", "Workload", "disk_gib"),
    ("workload.ephemeral_storage_gib", "Workload", "ephemeral_storage_gib"),
    ("hours_per_month", "Scenario", "hours_per_month"),
    ("usage.replicas", "AlwaysOn", "replicas"),
    ("usage.runs_per_day", "Scheduled", "runs_per_day"),
    ("traffic.requests_per_second", "Traffic", "requests_per_second"),
    ("option_settings.app_runner.min_instances", "AppRunnerSettings", "min_instances"),
]
ANSWER_FIELDS = ["vcpu", "replicas", "requests_per_second", "data_transfer_out_gib", "budget_usd", "minutes_per_run"]


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    with django_db_blocker.unblock():
        response = APIClient().get("/api/v1/schema/?format=json")
    return json.loads(response.content)


def _number_schema(prop):
    """A declared number accepts a JSON number or a decimal string: the bounds sit on the number branch."""
    branches = prop.get("anyOf", [prop])
    return next(b for b in branches if b.get("type") in ("number", "integer"))


def _bounds_in_schema(prop):
    number = _number_schema(prop)
    low = number.get("exclusiveMinimum", number.get("minimum"))
    return (
        None if low is None else Decimal(str(low)),
        "exclusiveMinimum" in number,
        None if "maximum" not in number else Decimal(str(number["maximum"])),
    )


def _default(value):
    return None if value is None else Decimal(str(value))


@pytest.mark.parametrize(("path", "component", "name"), SCENARIO_FIELDS)
def test_a_scenario_field_has_the_same_bounds_and_default_in_the_schema_and_the_form(openapi, path, component, name):
    spec = field_spec(Scenario, path)
    prop = openapi["components"]["schemas"][component]["properties"][name]
    assert _bounds_in_schema(prop) == (spec.minimum, spec.exclusive_minimum, spec.maximum)
    assert _default(prop.get("default")) == _default(spec.default)
    assert prop["description"] == spec.description
    assert prop["title"] == spec.title

    form_name = BY_PATH[path].name
    field = ScenarioForm().fields[form_name]
    assert field.max_value == spec.maximum
    if spec.exclusive_minimum:
        assert field.min_value is None
        assert [v.limit_value for v in field.validators if getattr(v, "code", "") == "min_value"] == [spec.minimum]
    else:
        assert field.min_value == spec.minimum
    assert field.label == spec.title
    assert _default(DEFAULTS.get(form_name)) == _default(spec.initial)


@pytest.mark.parametrize("name", ANSWER_FIELDS)
def test_an_answer_has_the_same_bounds_and_default_in_the_schema_the_wizard_and_the_api(openapi, name):
    spec = field_spec(Answers, name)
    prop = openapi["components"]["schemas"]["AnswersRequest"]["properties"][name]
    assert _bounds_in_schema(prop) == (spec.minimum, spec.exclusive_minimum, spec.maximum)
    assert _default(prop.get("default")) == _default(spec.default)
    (field,) = [step.base_fields[name] for step in STEPS if name in step.base_fields]
    assert field.max_value == spec.maximum
    assert field.label == spec.title
    # One default for the web and the API: what the wizard's first page shows is what the API assumes.
    assert _default(Answers().to_dict()[name]) == _default(spec.default)


def _cli(scenario, tmp_path):
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario))
    env = {"DJANGO_SETTINGS_MODULE": "compute_advisor.settings_test", "PATH": "/usr/bin:/bin", "DEBUG": "1"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    return subprocess.run(
        [sys.executable, "manage.py", "estimate", "--input", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"hours_per_month": "0.5"}, "hours_per_month"),  # the API once took 0.5 although schema and form said 1
        ({"workload": {"disk_gib": "0"}}, "workload.disk_gib"),
        ({"workload": {"vcpu": "193"}}, "workload.vcpu"),
        ({"usage": {"replicas": 5001}}, "usage.replicas"),
        # Scheduled runs count their tasks in a field of their own: the message lands beside it.
        (
            {"usage": {"kind": "scheduled", "replicas": 5001, "runs_per_day": 1, "minutes_per_run": 10}},
            "usage.replicas",
        ),
    ],
)
def test_the_api_the_form_and_the_cli_refuse_the_same_value_with_the_same_message(
    client, seeded, tmp_path, change, path
):
    scenario = scenario_data(**change)
    api = APIClient().post("/api/v1/estimates", json.dumps(scenario), content_type="application/json")
    assert api.status_code == 400
    (message,) = api.json()["errors"][path]

    cli = _cli(scenario, tmp_path)
    assert cli.returncode == 2
    assert cli.stdout == ""
    assert f"{path}: {message}" in cli.stderr

    query = query_from_scenario(scenario_data(**change))
    page = client.get(f"{reverse('estimates:compare')}?{query}").content.decode()
    spec = field_spec(Scenario, path)
    fields = re.split(r'id="field-', page)[1:]
    errors = [
        (part.split('"', 1)[0], found.group(1))
        for part in fields
        if (found := re.search(r'<span class="error" role="alert">([^<]*)</span>', part))
    ]
    assert [name for name, _ in errors] == [field_for(path, scenario["usage"]["kind"])]
    too_big = "less than or equal to" in message
    limit = f"{(spec.maximum if too_big else spec.minimum).normalize():f}"
    assert limit in errors[0][1]
    assert limit in message


def test_the_form_round_trips_every_field_to_the_scenario_and_the_url():
    scenario = {
        "name": "orders",
        "region": "eu-west-1",
        "workload": {
            "vcpu": "0.5",
            "memory_gib": "1",
            "architecture": "arm64",
            "os": "linux",
            "cpu_utilization_percent": "35",
        },
        "usage": {"kind": "scheduled", "replicas": 3, "runs_per_day": "4", "minutes_per_run": "15"},
        "hours_per_month": "720",
        "resilience": {"min_zones": 3},
        "traffic": {"data_transfer_out_gib": "10", "data_transfer_in_gib": "25"},
        "load_balancer": "nlb",
        "public_ipv4": False,
        "purchase": "spot",
        "options": ["fargate", "ecs_ec2"],
        "option_settings": {
            "ecs_ec2": {"instance_types": ["m7g.large", "c7g.large"]},
            "beanstalk": {"environment": "load_balanced"},
            "app_runner": {"existing_account": True},
        },
    }
    from django.http import QueryDict

    from compute_advisor.estimates.forms import form_data_with_defaults

    form = ScenarioForm(form_data_with_defaults(QueryDict(query_from_scenario(scenario))), regions=["eu-west-1"])
    assert form.is_valid(), form.errors
    back = scenario_from_form(form.cleaned_data)
    parsed_back = Scenario.model_validate(back)
    assert parsed_back == Scenario.model_validate(scenario)


def test_the_schema_documents_every_declared_field(openapi):
    schemas = openapi["components"]["schemas"]
    for component, model in [("Traffic", "Traffic"), ("Scheduled", "Scheduled"), ("Workload", "Workload")]:
        from compute_advisor.engine import scenario as declared

        assert set(schemas[component]["properties"]) == set(getattr(declared, model).model_fields)
    assert "trigger" in schemas["Scheduled"]["properties"]
    assert {"avg_request_kib", "connection_seconds", "rules_per_request"} <= set(schemas["Traffic"]["properties"])


def test_an_unknown_usage_kind_names_the_usage_kinds_only():
    from compute_advisor.engine import ScenarioError, parse_scenario

    with pytest.raises(ScenarioError) as caught:
        parse_scenario(scenario_data(usage={"kind": "nope"}))
    assert caught.value.errors == {"usage.kind": ["kind must be one of always_on, scheduled, hourly, autoscaling"]}


def read_one_by_one(value):
    """How a number was read before lists were read in one pass: every text and Decimal checked by parsing it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str | Decimal) and too_many_digits(value):
        return "too-many-digits"
    return value


def _as_decimal(text):
    try:
        return Decimal(text)
    except ArithmeticError:
        return Decimal(0)


number_texts = st.one_of(
    st.from_regex(r"\A[-+]?\d{0,40}(\.\d{0,40})?([eE][-+]?\d{1,12})?\Z"),
    st.sampled_from(["1E-100000000", "NaN", "Infinity", "-inf", " 5 ", "1_000", "x"]),
    # Around the bound of 30 digits, before the point and after it.
    st.sampled_from(["1" * 30, "1" * 31, "-" + "1" * 30, "." + "0" * 29 + "1", "." + "0" * 30 + "1", "1." + "0" * 29]),
    st.text(max_size=70),
)
number_values = st.one_of(
    number_texts,
    st.integers(-(10**40), 10**40),
    st.booleans(),
    st.floats(allow_nan=False),
    number_texts.filter(lambda t: t.strip() != "").map(_as_decimal),
)


@hypothesis_settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(number_values, max_size=30))
def test_a_list_of_numbers_is_read_as_each_number_alone(values):
    assert numbers_as_read(values) == [read_one_by_one(v) for v in values]
    assert [number_as_read(v) for v in values] == [read_one_by_one(v) for v in values]
