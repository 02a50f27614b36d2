"""Refused snapshots are never served: asked for by id, one that validation refused (or whose refresh broke
off, or that is still building) answers like a snapshot that does not exist, with a clear message, never a
500 and never its prices."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from compute_advisor.comparison.prices import NoPrices, snapshot_for
from pricing.models import PriceSnapshot
from pricing.refresh import refresh_start
from tests.factories import scenario_data
from tests.pricing.offers import ec2_offer, ecs_offer


@pytest.fixture
def refused(seeded, tmp_path):
    """A snapshot validation refused, with the prices its refresh wrote before it was refused."""
    few = ec2_offer(tmp_path, instances={"m6i.large": "0.001"})  # far too few EC2 prices: refused
    with pytest.raises(CommandError, match="was not activated"):
        call_command("refresh_prices", "--offer-file", str(few), "--region", "us-east-1")
    snapshot = PriceSnapshot.objects.get(status="failed")
    assert snapshot.prices.filter(key="BoxUsage:m6i.large").exists()
    return snapshot


def test_snapshot_for_serves_the_active_and_superseded_ones_only(seeded, refused, tmp_path):
    assert snapshot_for(None) == seeded
    assert snapshot_for(str(seeded.pk)) == seeded
    call_command("refresh_prices", "--offer-file", str(ecs_offer(tmp_path, name="ok.json")), "--region", "us-east-1")
    assert snapshot_for(seeded.pk).status == "superseded"  # an estimate saved with it can still be shown
    building = refresh_start(source="offer_file", offer_files={("AmazonECS", "us-east-1"): str(ecs_offer(tmp_path))})
    for snapshot in (refused, building.snapshot):
        with pytest.raises(NoPrices, match=rf"There is no price snapshot '{snapshot.pk}'\."):
            snapshot_for(snapshot.pk)


def test_the_api_answers_404_for_a_refused_snapshot_as_for_an_unknown_one(client, refused):
    body = json.dumps(scenario_data())
    url = reverse("api:estimates")
    refused_answer = client.post(f"{url}?snapshot={refused.pk}", body, content_type="application/json")
    unknown_answer = client.post(f"{url}?snapshot=999999", body, content_type="application/json")
    assert (refused_answer.status_code, unknown_answer.status_code) == (404, 404)
    assert f"There is no price snapshot '{refused.pk}'" in refused_answer.content.decode()
    assert "0.001" not in refused_answer.content.decode()
    assert client.post(url, body, content_type="application/json").status_code == 200


def test_the_cli_refuses_a_refused_snapshot_with_the_same_message(refused, tmp_path, capsys):
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(scenario_data()))
    with pytest.raises(SystemExit):
        call_command("estimate", "--input", str(scenario), "--snapshot", str(refused.pk))
    assert f"There is no price snapshot '{refused.pk}'" in capsys.readouterr().err


def test_the_diff_page_does_not_offer_or_show_a_refused_snapshot(client, seeded, refused):
    page = client.get(reverse("pricing:diff"), {"older": seeded.pk, "newer": refused.pk}).content.decode()
    assert "Select a valid choice" in page
    assert "0.001" not in page
    assert f'<option value="{refused.pk}"' not in client.get(reverse("pricing:prices")).content.decode()


def test_the_api_diff_takes_no_refused_snapshot(client, seeded, refused):
    assert client.get(f"/api/v1/snapshots/{seeded.pk}/diff/{refused.pk}").status_code == 404
    assert client.get(f"/api/v1/snapshots/{seeded.pk}/diff/{seeded.pk}").status_code == 200
