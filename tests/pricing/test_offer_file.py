"""Reading Price List offer files as streams: what is kept, what is skipped, what is rejected."""

import json
from decimal import Decimal

from pricing.normalize import Tally
from pricing.sources.bulk_api import rows_from_offer_file
from tests.pricing.offer_generator import ec2_instance, usage_item, write_offer_path
from tests.pricing.offers import ec2_offer, ecs_offer, transfer_offer


def test_it_keeps_linux_shared_instances_and_the_volumes_we_price(tmp_path):
    tally = Tally()
    source, rows = rows_from_offer_file(ec2_offer(tmp_path), service_code="AmazonEC2", region="us-east-1", tally=tally)
    prices = {row.key: (row.usd, row.unit) for row in rows}
    assert prices == {
        "BoxUsage:m6i.large": (Decimal("0.096"), "Hrs"),
        "BoxUsage:t3.medium": (Decimal("0.0416"), "Hrs"),
        "BoxUsage:m7g.large": (Decimal("0.0816"), "Hrs"),
        "EBS:VolumeUsage.gp3": (Decimal("0.08"), "GB-Mo"),
        "EBS:VolumeUsage.gp2": (Decimal("0.1"), "GB-Mo"),
    }
    assert (tally.kept, tally.skipped, tally.rejected) == (5, 1, 0)  # the Windows instance is skipped
    assert source.ref == "price-list-AmazonEC2-us-east-1-20261101000000"
    assert source.data_date.isoformat() == "2026-11-01"


def test_region_prefixes_are_removed_from_usage_types(tmp_path):
    _, rows = rows_from_offer_file(
        ecs_offer(tmp_path, region="eu-central-1"), service_code="AmazonECS", region="eu-central-1", tally=Tally()
    )
    assert "Fargate-vCPU-Hours:perCPU" in {row.key for row in rows}
    assert {row.unit for row in rows if "vCPU" in row.key} == {"vCPU-Hours"}


def test_transfer_tiers_keep_their_ranges(tmp_path):
    _, rows = rows_from_offer_file(
        transfer_offer(tmp_path), service_code="AWSDataTransfer", region="us-east-1", tally=Tally()
    )
    assert [(row.key, row.attributes["beginRange"], row.attributes["endRange"], row.usd) for row in rows] == [
        ("DataTransfer-Out-Bytes:0-10TB", "0", "10240", Decimal("0.09")),
        ("DataTransfer-Out-Bytes:10-50TB", "10240", "51200", Decimal("0.085")),
        ("DataTransfer-Out-Bytes:50-150TB", "51200", "153600", Decimal("0.07")),
        ("DataTransfer-Out-Bytes:150TB-plus", "153600", "Inf", Decimal("0.05")),
    ]


def test_malformed_items_are_rejected_and_counted_never_priced_at_zero(tmp_path):
    good = ec2_instance("G", "us-east-1", "m6i.large", "0.096")
    zero = ec2_instance("Z", "us-east-1", "c6i.large", "0.0000000000")
    text = ec2_instance("T", "us-east-1", "r6i.large", "twelve cents")
    negative = usage_item("N", "us-east-1", "AmazonEC2", "Storage", "EBS:VolumeUsage.gp3", "-0.08", "GB-Mo")
    path = write_offer_path(tmp_path / "bad.json", offer_code="AmazonEC2", items=[good, zero, text, negative])
    # A product whose terms are missing altogether.
    data = json.loads(path.read_text())
    data["products"]["M"] = ec2_instance("M", "us-east-1", "m7i.large", "1").product()
    path.write_text(json.dumps(data))
    tally = Tally()
    _, rows = rows_from_offer_file(path, service_code="AmazonEC2", region="us-east-1", tally=tally)
    assert [row.key for row in rows] == ["BoxUsage:m6i.large"]
    assert tally.rejected == 4
    assert tally.reasons == {
        "zero price": 1,
        "price is not a decimal number": 1,
        "price is negative or not finite": 1,
        "no on-demand terms": 1,
    }
