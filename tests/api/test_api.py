"""Each API endpoint: answers, errors as JSON with field paths, permissions, authentication."""

import json

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from compute_advisor.comparison.service import comparison_from_data
from compute_advisor.estimates.models import SavedScenario
from tests.factories import scenario_data


@pytest.fixture
def api():
    return APIClient()


def post(api, url, body):
    return api.post(url, json.dumps(body), content_type="application/json")


def test_estimates_answers_the_contract(api, seeded):
    body = scenario_data()
    response = post(api, "/api/v1/estimates", body)
    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(comparison_from_data(scenario_data=body).result.to_json()))


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        (scenario_data(workload={"vcpu": 0}), "workload.vcpu", "greater than 0"),
        (scenario_data(usage={"kind": "hourly", "replicas_by_hour": [1] * 23}), "usage.replicas_by_hour", "24"),
        (scenario_data(region="sa-east-1"), "region", "no prices for sa-east-1"),
        (scenario_data(options=["k8s"]), "options.0", "must be"),
        ({"region": "us-east-1"}, "workload", "required"),
        (
            scenario_data(
                option_settings={"fargate": {"capacity_provider_strategy": [{"provider": "FARGATE", "base": 1}]}}
            ),
            "option_settings.fargate.capacity_provider_strategy",
            "weight above 0",
        ),
        (
            scenario_data(
                option_settings={"ecs_ec2": {"capacity_provider_strategy": [{"provider": "EC2", "weight": 1}]}}
            ),
            "option_settings.ecs_ec2.capacity_provider_strategy.0.provider",
            "must be",
        ),
    ],
)
def test_bad_scenarios_get_400_with_field_paths(api, seeded, body, path, message):
    response = post(api, "/api/v1/estimates", body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert path in errors, errors
    assert any(message in m for m in errors[path]), errors


def test_a_capacity_provider_strategy_is_priced_and_shown_per_provider(api, seeded):
    strategy = [{"provider": "on_demand", "base": 2, "weight": 1}, {"provider": "FARGATE_SPOT", "weight": 1}]
    body = scenario_data(
        usage={"kind": "always_on", "replicas": 6},
        options=["ecs_ec2"],
        option_settings={"ecs_ec2": {"capacity_provider_strategy": strategy}},
    )
    response = post(api, "/api/v1/estimates", body)
    assert response.status_code == 200
    (option,) = response.json()["options"]
    # 2 on the base, the other 4 split 1:1.
    assert option["configuration"]["tasks_by_provider"] == {"on_demand": 4, "FARGATE_SPOT": 2}
    providers = [p["provider"] for p in option["configuration"]["capacity_providers"]]
    assert providers == ["on_demand", "FARGATE_SPOT"]
    assert any(line["description"].startswith("Fargate Spot vCPU") for line in option["line_items"])


def test_malformed_json_is_a_400_not_a_500(api, seeded):
    response = api.post("/api/v1/estimates", "{", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["errors"][""][0]


def test_sweep_and_regions(api, seeded):
    sweep = post(
        api,
        "/api/v1/estimates/sweep",
        {"scenario": scenario_data(options=["fargate", "ecs_ec2"]), "points": [1, 2, 5, 10]},
    )
    assert sweep.status_code == 200
    assert sweep.json()["x"] == ["1", "2", "5", "10"]
    assert {s["option"] for s in sweep.json()["series"]} == {"fargate", "ecs_ec2"}
    hours = post(
        api, "/api/v1/estimates/sweep", {"scenario": scenario_data(), "axis": "active_hours_per_day", "points": [99]}
    )
    assert hours.status_code == 400
    assert "points" in hours.json()["errors"]
    regions = post(api, "/api/v1/estimates/regions", {"scenario": scenario_data()})
    assert regions.status_code == 200
    assert len(regions.json()) == 5


def test_scenarios_need_authentication_and_stay_private(api, seeded):
    assert api.get("/api/v1/scenarios").status_code in (401, 403)
    alice = User.objects.create_user("alice", password="a-long-password-1")
    bob = User.objects.create_user("bob", password="a-long-password-2")
    token = Token.objects.create(user=alice)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    created = post(api, "/api/v1/scenarios", {"name": "api-saved", "scenario": scenario_data()})
    assert created.status_code == 201
    assert created.json()["share_url"].endswith("/")
    pk = created.json()["id"]
    assert [s["name"] for s in api.get("/api/v1/scenarios").json()] == ["api-saved"]
    api.credentials()
    api.force_authenticate(bob)
    assert api.get(f"/api/v1/scenarios/{pk}").status_code == 404
    assert api.delete(f"/api/v1/scenarios/{pk}").status_code == 404
    assert SavedScenario.objects.filter(pk=pk).exists()
    api.force_authenticate(alice)
    assert api.delete(f"/api/v1/scenarios/{pk}").status_code == 204
    bad = post(api, "/api/v1/scenarios", {"name": "x", "scenario": scenario_data(usage={"kind": "nope"})})
    assert bad.status_code == 400
    assert "scenario.usage.kind" in bad.json()["errors"]


def test_shared_snapshots_diff_catalog(api, seeded):
    saved = SavedScenario.objects.create(name="s", scenario=scenario_data(), snapshot=seeded)
    shared = api.get(f"/api/v1/shared/{saved.share_token}")
    assert shared.status_code == 200
    assert shared.json()["result"]["region"] == "us-east-1"
    assert api.get("/api/v1/shared/not-a-token").status_code == 404
    assert api.get("/api/v1/snapshots").json()[0]["id"] == seeded.pk
    diff = api.get(f"/api/v1/snapshots/{seeded.pk}/diff/{seeded.pk}").json()
    assert diff["unchanged"] == seeded.row_count
    assert diff["up"] == []
    assert api.get("/api/v1/snapshots/1/diff/999").status_code == 404
    sizes = api.get("/api/v1/catalog/fargate-sizes").json()
    assert {"vcpu": "4", "memory_gib": "30", "linux": True, "windows": True} in sizes
    assert len(api.get("/api/v1/catalog/instance-types", {"family": "m7g"}).json()) == 9
    assert api.get("/api/v1/catalog/instance-types", {"min_vcpu": "x"}).status_code == 400
    assert api.get("/api/v1/catalog/nonsense").status_code == 404


def test_recommendations(api, seeded):
    response = post(api, "/api/v1/recommendations", {"workload": "batch", "runs_per_day": "1", "minutes_per_run": "10"})
    assert response.status_code == 200
    assert response.json()["winner"] == "fargate"
    bad = post(api, "/api/v1/recommendations", {"workload": "spaceship", "replicas": 0})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"workload", "replicas"}


def test_the_schema_and_its_documentation_page(api, seeded):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/estimates" in text
    assert "Field path to its messages" in text
    assert "Two replicas of 1 vCPU" in text
    # An application's usage by service, with an autoscaling one's simulated hours, is described too.
    for field in ("utilization_percent_by_hour", "capacity_at_target_by_hour", "min_replicas_by_hour"):
        assert field in text
    docs = api.get("/api/v1/docs/").content.decode()
    assert "swagger" in docs.lower()
    assert "cdn" not in docs.lower()


def test_anonymous_clients_are_throttled(api, seeded, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import AnonRateThrottle

    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    codes = [api.get("/api/v1/snapshots").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "errors" in api.get("/api/v1/snapshots").json()
    cache.clear()


def test_signed_in_clients_are_throttled_per_account(api, seeded, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import SimpleRateThrottle

    cache.clear()
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100/minute", "user": "2/minute"})
    user = User.objects.create_user("throttled", password="a long enough secret")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    codes = [api.get("/api/v1/snapshots").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    api.credentials()
    assert api.get("/api/v1/snapshots").status_code == 200  # anonymous: its own, separate count
    cache.clear()


def test_with_its_cache_unreachable_the_api_still_prices(api, seeded):
    from django.test import override_settings

    from tests.unreachable import UNREACHABLE_REDIS

    with override_settings(CACHES=UNREACHABLE_REDIS):
        response = post(api, "/api/v1/estimates", scenario_data())
    assert response.status_code == 200
    assert response.json()["ranking"]


def test_the_recommend_command(seeded, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"workload": "server", "needs_ssh": True}))
    call_command("recommend", "--answers", str(path))
    assert json.loads(capsys.readouterr().out)["winner"] == "lightsail_instance"
    path.write_text(json.dumps({"workload": "rocket"}))
    with pytest.raises(SystemExit) as exit_info:
        call_command("recommend", "--answers", str(path))
    assert exit_info.value.code == 2
    assert "workload" in capsys.readouterr().err
