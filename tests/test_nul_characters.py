"""NUL characters, which no field holds and PostgreSQL cannot store, get a 400 wherever they come in."""

import json

import pytest

from compute_advisor.engine import ScenarioError
from compute_advisor.estimates.models import SavedScenario
from tests.factories import parsed_scenario, scenario_data


def test_query_parameters_with_nul_are_refused_on_the_api_and_the_pages(client, seeded):
    api = client.get("/api/v1/catalog/instance-types", {"family": "c7g\x00", "min_vcpu": "2"})
    assert api.status_code == 400
    assert api.json() == {"errors": {"": ["Parameters must not contain NUL (\\u0000) characters."]}}
    diff = client.get(f"/api/v1/snapshots/{seeded.pk}/diff/{seeded.pk}", {"region": "\x00"})
    assert diff.status_code == 400
    page = client.get("/catalog/ec2-instance-types/", {"family": "\x00"})
    assert page.status_code == 400
    assert "NUL" in page.content.decode()
    assert client.get("/catalog/ec2-instance-types/", {"family": "c7g"}).status_code == 200


def test_a_scenario_with_nul_names_the_field(client, seeded):
    body = scenario_data(name="orders\x00")
    response = client.post("/api/v1/estimates", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["name"]


def test_the_scenario_parser_names_the_path_of_a_nul_anywhere():
    with pytest.raises(ScenarioError) as raised:
        parsed_scenario(usage={"kind": "hourly", "replicas_by_hour": [1, "2\x00"]})
    assert raised.value.errors == {"usage.replicas_by_hour.1": ["must not contain NUL (\\u0000) characters"]}


def test_a_form_post_with_nul_saves_nothing(client, seeded):
    before = SavedScenario.objects.count()
    response = client.post("/compare/save/", {"name": "x\x00y", "scenario": json.dumps(scenario_data())})
    assert response.status_code == 400
    assert SavedScenario.objects.count() == before
