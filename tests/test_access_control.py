"""Nobody reads, changes or deletes another user's scenario, through the pages or the API; share links are
unguessable, and their owner can revoke them for good."""

import json
import re
import string
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from compute_advisor.estimates.models import SavedScenario, new_share_token
from compute_advisor.reports.models import ReportBatch
from tests.factories import scenario_data


@pytest.fixture
def alices(seeded, alice):
    return SavedScenario.objects.create(owner=alice, name="alice's API", scenario=scenario_data(), snapshot=seeded)


def unchanged(saved: SavedScenario) -> bool:
    now = SavedScenario.objects.filter(pk=saved.pk).values("name", "scenario", "share_token", "share_enabled").first()
    before = {k: getattr(saved, k) for k in ("name", "scenario", "share_token", "share_enabled")}
    return now == before


def test_pages_give_another_user_nothing(alices, bob):
    client = Client()
    client.force_login(bob)
    assert "alice's API" not in client.get(reverse("estimates:mine")).content.decode()
    for action in ("delete", "revoke", "share", "rename"):
        response = client.post(reverse("estimates:action", args=[alices.pk, action]), {"name": "bob's now"})
        assert response.status_code == 404, action
    alices.share_enabled = True
    assert unchanged(alices)
    # Actions are POST only (with a CSRF token): a link or an image cannot delete anything.
    client.force_login(User.objects.get(username="alice"))
    assert client.get(reverse("estimates:action", args=[alices.pk, "delete"])).status_code == 405
    assert SavedScenario.objects.filter(pk=alices.pk).exists()


def test_the_api_gives_another_user_nothing(alices, bob):
    api = APIClient()
    api.force_authenticate(bob)
    assert api.get("/api/v1/scenarios").json() == []
    url = f"/api/v1/scenarios/{alices.pk}"
    assert api.get(url).status_code == 404
    patch = api.patch(url, json.dumps({"name": "mine", "share_enabled": False}), content_type="application/json")
    assert patch.status_code == 404
    assert api.delete(url).status_code == 404
    assert unchanged(alices)
    api.force_authenticate(None)
    for method in ("get", "patch", "delete"):
        assert getattr(api, method)(url).status_code in (401, 403), method
    assert unchanged(alices)


def test_owners_rename_replace_and_revoke_through_the_api(alices, alice):
    api = APIClient()
    api.force_authenticate(alice)
    url = f"/api/v1/scenarios/{alices.pk}"
    renamed = api.patch(url, {"name": "orders API"}, format="json")
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "orders API"
    bigger = scenario_data(usage={"replicas": 6})
    replaced = api.patch(url, {"scenario": bigger}, format="json")
    assert replaced.status_code == 200
    assert replaced.json()["scenario"]["usage"]["replicas"] == 6
    bad = api.patch(url, {"scenario": scenario_data(usage={"replicas": 0})}, format="json")
    assert bad.status_code == 400
    assert "scenario.usage.replicas" in bad.json()["errors"]
    assert api.patch(url, {"name": "  "}, format="json").status_code == 400
    alices.refresh_from_db()
    assert alices.name == "orders API"
    assert alices.scenario["usage"]["replicas"] == 6

    old = alices.share_token
    revoked = api.patch(url, {"share_enabled": False}, format="json").json()
    assert revoked["share_url"] == ""
    assert APIClient().get(f"/api/v1/shared/{old}").status_code == 404
    assert Client().get(reverse("estimates:shared", args=[old])).status_code == 404
    assert Client().get(reverse("reports:shared", args=[old, "pdf"])).status_code == 404
    again = api.patch(url, {"share_enabled": True}, format="json").json()
    assert again["share_url"]
    assert old not in again["share_url"]
    assert APIClient().get(f"/api/v1/shared/{old}").status_code == 404  # a revoked link stays dead
    token = re.search(r"/s/([^/]+)/$", again["share_url"]).group(1)
    assert APIClient().get(f"/api/v1/shared/{token}").status_code == 200
    same = api.patch(url, {"share_enabled": True}, format="json").json()
    assert same["share_url"] == again["share_url"]  # turning on a link that is on changes nothing


def test_another_users_report_batch_cannot_be_seen_or_downloaded(alices, alice, bob):
    batch = ReportBatch.objects.create(owner=alice, total=1, status=ReportBatch.Status.DONE, archive=b"PK")
    client = Client()
    client.force_login(bob)
    for query in ("", "?format=json", "?download=1"):
        assert client.get(reverse("reports:batch", args=[batch.pk]) + query).status_code == 404


def test_share_tokens_are_long_random_and_url_safe():
    tokens = [new_share_token() for _ in range(2000)]
    assert len(set(tokens)) == len(tokens)
    assert all(len(t) >= 43 and set(t) <= set(string.ascii_letters + string.digits + "-_") for t in tokens)
    # 256 random bits: every character position takes many values (no counter, date or id inside).
    for position in range(40):
        assert len(Counter(t[position] for t in tokens)) > 50


def test_a_share_token_is_not_a_prefix_or_a_guess(alices):
    client = Client()
    assert client.get(reverse("estimates:shared", args=[alices.share_token[:-1]])).status_code == 404
    assert client.get(reverse("estimates:shared", args=[str(alices.pk)])).status_code == 404
    assert client.get(reverse("estimates:shared", args=[alices.share_token])).status_code == 200


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.fixed_dictionaries(
        {}, optional={"name": JSON | st.text(max_size=300), "scenario": JSON, "share_enabled": JSON, "other": JSON}
    )
)
def test_any_change_body_is_applied_or_refused_never_a_500_and_never_left_invalid(alices, alice, body):
    from compute_advisor.engine import parse_scenario

    api = APIClient()
    api.force_authenticate(alice)
    response = api.patch(f"/api/v1/scenarios/{alices.pk}", json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert response.json()["errors"]
    stored = SavedScenario.objects.get(pk=alices.pk)
    parse_scenario(stored.scenario)  # whatever happened, what is stored is still a valid scenario
    assert 0 < len(stored.name) <= 200
