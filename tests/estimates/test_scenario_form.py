"""The comparison form's table of fields: which form field edits which scenario path, per usage kind, and the
scenario <-> URL round trip."""

from urllib.parse import parse_qs

import pytest
from django.http import QueryDict

from compute_advisor.engine import Scenario
from compute_advisor.estimates.forms import ScenarioForm, form_data_with_defaults
from compute_advisor.estimates.scenario_form import (
    BY_KIND,
    BY_PATH,
    DEFAULTS,
    FIELDS,
    field_for,
    query_from_scenario,
    scenario_from_form,
)
from tests.factories import scenario_data

SUBMITTED = "submitted=1&options=fargate&options=app_runner"  # a submitted form names what it compares
SCHEDULED = {"kind": "scheduled", "replicas": 4, "runs_per_day": "3", "minutes_per_run": "10"}


def form_for(query: str) -> ScenarioForm:
    form = ScenarioForm(form_data_with_defaults(QueryDict(query)), regions=["us-east-1"])
    assert form.is_valid(), form.errors
    return form


def test_it_lets_two_fields_share_a_path_only_across_usage_kinds():
    for kind, paths in BY_KIND.items():
        mine = [f.path for f in FIELDS if not f.kinds or kind in f.kinds]
        assert len(mine) == len(set(mine)) == len(paths), kind
    assert BY_KIND["always_on"]["usage.replicas"].name == "replicas"
    assert BY_KIND["scheduled"]["usage.replicas"].name == "tasks_per_run"
    assert "usage.replicas" not in BY_KIND["hourly"]
    assert BY_PATH["usage.replicas"].name == "replicas"


@pytest.mark.parametrize(
    ("path", "kind", "name"),
    [
        ("usage.replicas", "scheduled", "tasks_per_run"),
        ("usage.replicas", "always_on", "replicas"),
        ("usage.replicas", None, "replicas"),
        ("usage.replicas", "hourly", "usage_kind"),  # an hourly profile has no replicas field of its own
        ("usage.runs_per_day", "scheduled", "runs_per_day"),
        ("option_settings.ecs_ec2.instance_types.0", "scheduled", "pin_ec2_types"),
        ("resilience.min_zones", "always_on", "min_zones"),
    ],
)
def test_it_puts_an_engine_error_beside_the_field_of_its_usage_kind(path, kind, name):
    assert field_for(path, kind) == name


def test_it_declares_tasks_a_run_from_the_scheduled_usage():
    field = ScenarioForm().fields["tasks_per_run"]
    assert field.label == "Tasks a run"
    assert field.help_text == "Tasks each run starts."
    assert (field.min_value, field.max_value) == (1, 5000)
    assert DEFAULTS["tasks_per_run"] == 1
    assert DEFAULTS["replicas"] == 2


def test_it_starts_a_scheduled_run_with_one_task_whatever_the_always_on_replicas():
    form = form_for(f"{SUBMITTED}&usage_kind=scheduled&replicas=3&runs_per_day=3&minutes_per_run=10")
    assert scenario_from_form(form.cleaned_data)["usage"] == {
        "kind": "scheduled",
        "replicas": 1,
        "runs_per_day": "3",
        "minutes_per_run": "10",
        "days_per_month": "30",
    }


def test_it_round_trips_a_scheduled_scenario_through_the_url_with_its_tasks_a_run():
    scenario = scenario_data(usage=SCHEDULED)
    query = query_from_scenario(scenario)
    params = parse_qs(query)
    assert params["tasks_per_run"] == ["4"]
    assert "replicas" not in params  # the always-on field keeps its own default
    back = scenario_from_form(form_for(query).cleaned_data)
    assert Scenario.model_validate(back) == Scenario.model_validate(scenario)
    assert parse_qs(query_from_scenario(back))["tasks_per_run"] == ["4"]


def test_it_gives_an_always_on_scenario_the_default_tasks_a_run_and_an_hourly_one_its_peak():
    always_on = parse_qs(query_from_scenario(scenario_data(usage={"replicas": 3})))
    assert (always_on["replicas"], "tasks_per_run" in always_on) == (["3"], False)
    hourly = parse_qs(
        query_from_scenario(scenario_data(usage={"kind": "hourly", "replicas_by_hour": [1] * 20 + [5] * 4}))
    )
    assert (hourly["replicas"], "tasks_per_run" in hourly) == (["5"], False)


def test_it_leaves_the_app_runner_account_out_unless_it_is_ticked():
    assert "existing_account" not in str(scenario_from_form(form_for(SUBMITTED).cleaned_data))
    ticked = scenario_from_form(form_for(f"{SUBMITTED}&apprunner_existing_account=on").cleaned_data)
    assert ticked["option_settings"] == {"app_runner": {"existing_account": True}}
    assert "apprunner_existing_account=on" in query_from_scenario(ticked)
