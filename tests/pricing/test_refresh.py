"""Refreshing prices into a new snapshot: activation, carry-over, refusal, idempotent parts, history."""

import json
import threading
from datetime import timedelta
from decimal import Decimal
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from compute_advisor.comparison.service import comparison_from_data
from compute_advisor.estimates.models import SavedScenario
from pricing.fetchers import fetch_part
from pricing.models import Price, PriceRefresh, PriceRefreshPart, PriceSnapshot
from pricing.refresh import RefreshRefused, refresh_finish, refresh_part_claim, refresh_part_run, refresh_start
from pricing.selectors import price_snapshot_active, price_usd, snapshot_diff
from pricing.tasks import launch_refresh
from tests.factories import scenario_data
from tests.pricing.offer_generator import ec2_instance, usage_item, write_offer_path
from tests.pricing.offers import FARGATE_US_EAST_1, ec2_offer, ecs_offer, transfer_offer


def one_fargate_task() -> dict:
    return scenario_data(usage={"replicas": 1}, options=["fargate"], public_ipv4=False)


def test_an_offer_file_refresh_activates_a_snapshot_the_engine_uses_at_once(seeded, tmp_path, capsys):
    cheaper = {**FARGATE_US_EAST_1, "Fargate-vCPU-Hours:perCPU": "0.0300000000"}
    before = comparison_from_data(scenario_data=one_fargate_task()).result.option("fargate").monthly_cost
    call_command("refresh_prices", "--offer-file", str(ecs_offer(tmp_path, prices=cheaper)), "--region", "us-east-1")
    assert "is active" in capsys.readouterr().out
    active = price_snapshot_active()
    assert active.pk != seeded.pk
    assert active.source == "bulk_api"
    after = comparison_from_data(scenario_data=one_fargate_task()).result.option("fargate").monthly_cost
    assert after < before
    assert price_usd(
        snapshot=active, service_code="AmazonECS", region="us-east-1", key="Fargate-vCPU-Hours:perCPU"
    ) == Decimal("0.03")
    # Everything else came across from the seed, with its source.
    assert active.row_count == seeded.row_count
    assert price_usd(snapshot=active, service_code="AmazonEC2", region="eu-west-1", key="BoxUsage:m6i.large") == (
        price_usd(snapshot=seeded, service_code="AmazonEC2", region="eu-west-1", key="BoxUsage:m6i.large")
    )
    carried = active.prices.get(service_code="AmazonEC2", region="eu-west-1", key="BoxUsage:m6i.large")
    assert carried.source.ref == "skypilot-catalog-v8-aws"
    spot = active.prices.get(service_code="AmazonECS", region="us-east-1", key="SpotUsage-Fargate-vCPU-Hours:perCPU")
    assert spot.source.ref == "fargate-regimes-2026-09-28"  # the Price List has no Spot: kept from before
    seeded.refresh_from_db()
    assert seeded.status == "superseded"
    assert "Fresh from the AWS Price List: AmazonECS us-east-1" in active.notes


def test_a_part_that_brings_too_few_prices_is_refused_and_the_active_snapshot_stays(seeded, tmp_path):
    few = ec2_offer(tmp_path, instances={"m6i.large": "0.096"})  # 1,371 EC2 prices before, 3 now
    with pytest.raises(CommandError, match="was not activated: AmazonEC2 us-east-1 brought 3 prices, fewer than half"):
        call_command("refresh_prices", "--offer-file", str(few), "--region", "us-east-1")
    assert price_snapshot_active().pk == seeded.pk
    refresh = PriceRefresh.objects.get()
    assert refresh.status == "failed"
    assert refresh.snapshot.status == "failed"


def test_a_bad_offer_file_is_refused_with_a_message_and_nothing_saved_is_touched(seeded, tmp_path):
    saved = {SavedScenario.objects.create(name=f"s{n}", scenario=scenario_data(), snapshot=seeded).pk for n in range(3)}
    for name, text in [
        ("truncated.json", '{"offerCode": "AmazonEC2", "products": {'),
        ("not-json.json", "<html>503 Service Unavailable</html>"),
        ("wrong-shape.json", '{"offerCode": "AmazonEC2", "products": [1, 2], "terms": "none"}'),
    ]:
        path = tmp_path / name
        path.write_text(text)
        with pytest.raises(CommandError):
            call_command("refresh_prices", "--offer-file", str(path), "--region", "us-east-1")
        assert price_snapshot_active().pk == seeded.pk
        assert set(SavedScenario.objects.filter(snapshot=seeded).values_list("pk", flat=True)) == saved
    with pytest.raises(CommandError, match="No such offer file"):
        call_command("refresh_prices", "--offer-file", str(tmp_path / "none.json"), "--region", "us-east-1")


def test_redoing_a_part_whose_worker_died_replaces_its_rows_and_a_done_part_is_not_redone(seeded, tmp_path):
    refresh = refresh_start(source="offer_file", offer_files={("AmazonECS", "us-east-1"): str(ecs_offer(tmp_path))})
    part = refresh.parts.get()
    assert refresh_part_run(part=part, fetch=fetch_part).rows == 8
    assert refresh_part_run(part=part, fetch=fetch_part) is None  # a redelivered message: done, so skipped
    # A worker wrote the rows, then died before the part was done: its lease ran out.
    long_ago = timezone.now() - timedelta(hours=1)
    PriceRefreshPart.objects.filter(pk=part.pk).update(status="running", heartbeat_at=long_ago, lease_token="dead")
    assert refresh_part_run(part=part, fetch=fetch_part).rows == 8
    assert Price.objects.filter(snapshot=refresh.snapshot).count() == len(FARGATE_US_EAST_1)
    part.refresh_from_db()
    assert (part.status, part.rows, part.attempts, part.skipped, part.lease_token) == ("done", 8, 2, 1, "")
    assert refresh_finish(refresh=refresh).status == "succeeded"
    assert refresh_finish(refresh=refresh).status == "succeeded"  # finishing twice changes nothing


def test_a_part_held_by_a_live_worker_is_not_claimed_twice(seeded, tmp_path):
    refresh = refresh_start(source="offer_file", offer_files={("AmazonECS", "us-east-1"): str(ecs_offer(tmp_path))})
    part = refresh.parts.get()
    held = refresh_part_claim(part_id=part.pk)
    assert held is not None
    assert held.lease_token
    assert refresh_part_claim(part_id=part.pk) is None  # its heartbeat is fresh
    assert refresh_part_run(part=part, fetch=fetch_part) is None


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def bulk_mirror(tmp_path, settings):
    """A local copy of the Bulk API's layout: index -> region index -> offer files, served over HTTP."""
    root = tmp_path / "mirror"
    files = {
        ("AmazonECS", "us-east-1"): ecs_offer(tmp_path),
        ("AWSDataTransfer", "us-east-1"): transfer_offer(tmp_path),
    }
    offers = {}
    for (service, region), path in files.items():
        base = root / "offers/v1.0/aws" / service
        (base / "20261101000000" / region).mkdir(parents=True)
        (base / "20261101000000" / region / "index.json").write_bytes(path.read_bytes())
        (base / "current").mkdir(parents=True, exist_ok=True)
        (base / "current/region_index.json").write_text(
            json.dumps(
                {
                    "formatVersion": "v1.0",
                    "regions": {
                        region: {
                            "regionCode": region,
                            "currentVersionUrl": f"/offers/v1.0/aws/{service}/20261101000000/{region}/index.json",
                        }
                    },
                }
            )
        )
        offers[service] = {
            "offerCode": service,
            "currentRegionIndexUrl": f"/offers/v1.0/aws/{service}/current/region_index.json",
        }
    (root / "offers/v1.0/aws/index.json").write_text(json.dumps({"formatVersion": "v1.0", "offers": offers}))
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PRICING_BULK_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield
    server.shutdown()


def test_a_bulk_api_refresh_runs_as_celery_tasks_and_the_last_part_finishes_it(
    seeded, bulk_mirror, django_capture_on_commit_callbacks
):
    refresh = refresh_start(source="bulk", regions=["us-east-1"], services=["AmazonECS", "AWSDataTransfer"])
    with django_capture_on_commit_callbacks(execute=True):
        launch_refresh(refresh)
    refresh.refresh_from_db()
    assert refresh.status == "succeeded", refresh.error
    assert [(p.service_code, p.status, p.rows) for p in refresh.parts.all()] == [
        ("AWSDataTransfer", "done", 4),
        ("AmazonECS", "done", 8),
    ]
    active = price_snapshot_active()
    assert active.pk == refresh.snapshot.pk
    source = active.prices.get(service_code="AmazonECS", region="us-east-1", key="Fargate-GB-Hours").source
    assert source.title.startswith("AWS Price List Bulk API offer file AmazonECS for us-east-1")
    assert source.url.startswith("http://127.0.0.1:")


def test_an_unreachable_source_fails_the_refresh_and_keeps_the_active_snapshot(
    seeded, settings, django_capture_on_commit_callbacks
):
    settings.PRICING_BULK_BASE_URL = "http://127.0.0.1:9"  # nothing listens there
    refresh = refresh_start(source="bulk", regions=["us-east-1"], services=["AmazonECS"])
    with django_capture_on_commit_callbacks(execute=True):
        launch_refresh(refresh)
    refresh.refresh_from_db()
    assert refresh.status == "failed"
    assert "AmazonECS us-east-1" in refresh.error
    assert price_snapshot_active().pk == seeded.pk


def test_the_diff_lists_ups_downs_additions_and_removals(seeded, tmp_path):
    prices = {**FARGATE_US_EAST_1, "Fargate-vCPU-Hours:perCPU": "0.0500000000", "Fargate-GB-Hours": "0.0040000000"}
    del prices["Fargate-Windows-OS-Hours:perCPU"]
    # At the seed's price, so that the part brings at least half the rows the seed has for it.
    prices["ECS-Anywhere-Instance-hours"] = "0.0102500000"
    call_command("refresh_prices", "--offer-file", str(ecs_offer(tmp_path, prices=prices)), "--region", "us-east-1")
    newer = price_snapshot_active()
    diff = snapshot_diff(older=seeded, newer=newer, region="us-east-1")
    assert [(c.key, c.before, c.after) for c in diff.up] == [
        ("Fargate-vCPU-Hours:perCPU", Decimal("0.04048"), Decimal("0.05")),
    ]
    assert [c.key for c in diff.down] == ["Fargate-GB-Hours"]
    assert diff.up[0].change_percent.quantize(Decimal("0.1")) == Decimal("23.5")
    # The OS licence was not in the new file: it is carried over, so nothing is removed or added.
    assert (diff.added, diff.removed) == ([], [])
    assert diff.unchanged == seeded.prices.filter(region="us-east-1").count() - 2


def test_prune_keeps_the_newest_and_the_active(seeded, tmp_path):
    for _ in range(3):
        call_command("refresh_prices", "--offer-file", str(ecs_offer(tmp_path)), "--region", "us-east-1")
    assert PriceSnapshot.objects.count() == 4
    call_command("prune_snapshots", "--keep", "2")
    assert PriceSnapshot.objects.count() == 2
    assert price_snapshot_active() is not None


def ec2_file(folder, *, good: int, bad: dict[str, str] | None = None, name: str = "ec2.json"):
    """A us-east-1 EC2 file with `good` well-priced instance types (enough that the part is not "too few"),
    gp3 and gp2 volumes, and `bad`: usage types given a malformed price."""
    items = [ec2_instance(f"G{i}", "us-east-1", f"x{i}.large", "0.0500000000") for i in range(good)]
    items += [
        usage_item("EBS1", "us-east-1", "AmazonEC2", "Storage", "EBS:VolumeUsage.gp3", "0.08", "GB-Mo"),
        usage_item("EBS2", "us-east-1", "AmazonEC2", "Storage", "EBS:VolumeUsage.gp2", "0.1", "GB-Mo"),
    ]
    for index, (usage, price) in enumerate((bad or {}).items()):
        if usage.startswith("BoxUsage:"):
            items.append(ec2_instance(f"B{index}", "us-east-1", usage.removeprefix("BoxUsage:"), price))
        else:
            items = [item for item in items if not item.attributes["usagetype"].endswith(usage)]
            items.append(usage_item(f"B{index}", "us-east-1", "AmazonEC2", "Storage", usage, price, "GB-Mo"))
    return write_offer_path(folder / name, offer_code="AmazonEC2", items=items)


def test_a_file_with_200_nan_prices_is_refused_and_says_so(seeded, tmp_path):
    nan = {f"BoxUsage:n{i}.large": "NaN" for i in range(200)}
    with pytest.raises(CommandError, match=r"200 of the 1002 prices the source gave were malformed \(200 price is"):
        call_command(
            "refresh_prices", "--offer-file", str(ec2_file(tmp_path, good=800, bad=nan)), "--region", "us-east-1"
        )
    refresh = PriceRefresh.objects.get()
    part = refresh.parts.get()
    assert (refresh.status, refresh.failure, part.failure) == ("failed", "malformed", "malformed")
    assert "more than the 1% a refresh allows" in part.error
    assert PriceSnapshot.objects.get(pk=refresh.snapshot_id).status == "failed"
    assert price_snapshot_active().pk == seeded.pk


def test_below_the_threshold_the_prices_carried_over_in_place_of_malformed_ones_are_flagged(seeded, tmp_path):
    path = ec2_file(tmp_path, good=998, bad={"BoxUsage:m6i.large": "NaN"})  # 1 malformed in 1001: 0.1 %
    call_command("refresh_prices", "--offer-file", str(path), "--region", "us-east-1")
    active = price_snapshot_active()
    assert active.pk != seeded.pk
    carried = active.prices.get(service_code="AmazonEC2", region="us-east-1", key="BoxUsage:m6i.large")
    before = seeded.prices.get(service_code="AmazonEC2", region="us-east-1", key="BoxUsage:m6i.large")
    assert (carried.usd, carried.attributes["carried_over_from"]) == (before.usd, seeded.pk)
    fresh = active.prices.get(service_code="AmazonEC2", region="us-east-1", key="EBS:VolumeUsage.gp3")
    assert "carried_over_from" not in fresh.attributes
    # What the refresh did not refresh at all is carried over unflagged: another region, another service.
    other = active.prices.get(service_code="AmazonEC2", region="eu-west-1", key="BoxUsage:m6i.large")
    assert "carried_over_from" not in other.attributes
    part = PriceRefresh.objects.get().parts.get()
    assert (part.rejected, part.rejected_reasons) == (1, {"price is negative or not finite": 1})
    assert part.carried_over == active.prices.filter(attributes__has_key="carried_over_from").count() > 0
    assert "of them ones their source (the Price List, or the Spot Advisor's feed) should have brought" in active.notes


def test_a_malformed_required_price_is_refused_however_few_the_malformed_ones(seeded, tmp_path):
    path = ec2_file(tmp_path, good=998, bad={"EBS:VolumeUsage.gp3": "-0.08"})
    with pytest.raises(CommandError, match=r"the source's price of EBS:VolumeUsage\.gp3 was malformed"):
        call_command("refresh_prices", "--offer-file", str(path), "--region", "us-east-1")
    assert PriceRefresh.objects.get().failure == "malformed"
    assert price_snapshot_active().pk == seeded.pk


def test_two_products_pricing_one_key_differently_are_both_rejected(db, tmp_path):
    items = [
        ec2_instance("A", "us-east-1", "m6i.large", "0.096"),
        ec2_instance("B", "us-east-1", "m6i.large", "0.101"),
        ec2_instance("C", "us-east-1", "t3.micro", "0.0104"),
        ec2_instance("D", "us-east-1", "t3.micro", "0.0104"),  # the same price twice is one price
    ]
    path = write_offer_path(tmp_path / "twice.json", offer_code="AmazonEC2", items=items)
    refresh = refresh_start(source="offer_file", offer_files={("AmazonEC2", "us-east-1"): str(path)})
    with pytest.raises(RefreshRefused, match="2 two products give one key different prices"):
        refresh_part_run(part=refresh.parts.get(), fetch=fetch_part)
