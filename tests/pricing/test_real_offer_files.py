"""Real Price List files, captured in public repositories, through the ingest: the region's own rows, and only
them, become its prices.

The files and where they come from (repository, path, commit, publicationDate) are listed in
tests/pricing/offer_files/README.md:
- AmazonECS us-east-1, opencost/opencost pkg/cloud/aws/testdata/ecs-pricing-us-east-1.json at
  c65611842eb964d85a1593d260ca0e1fb384b65a, published 2025-08-28T17:27:23Z;
- AmazonEC2 us-east-1 and us-east-2, opencost/opencost pkg/cloud/aws/testdata/pricing-us-east-{1,2}.json at
  3ffab9ffb78eec894cbd86c5f64093b72a3b6a02, published 2024-05-28T20:35:22Z and 2023-03-22T14:56:51Z;
- Query API (GetProducts) answers for AmazonEC2: aws/amazon-ec2-instance-selector
  test/static/GetProducts/m5_large.json at 74e721cb8c1e70efd5388afa5267c1fe5e352769 (published
  2021-02-05T20:45:00Z), and someengineering/fixinventory plugins/aws/test/resources/files/pricing/
  get-products__...m4_large...EU__Frankfurt__1_AmazonEC2.json at 1ae165d0ed5d01f3e6a478b2e897500e4123c554 and
  get-products__...gp2...US_East__N__Virginia__1_AmazonEC2.json at 51ceeb4c23e467acd28ec0730862668c76fb312e
  (both published 2022-07-07T23:42:52Z);
- recorded Query API documents of AmazonEC2 (EBS) and AmazonVPC (public IPv4) in us-east-1 and eu-west-1, and of
  EBS snapshots with their Outposts products: TypeOneLabs/tellury pkg/pricing/aws/testdata/
  getproducts-recorded.json at 38f9187895782b23f18ff6953e921cb0215ecbe0 (EC2 published 2026-08-10T21:57:58Z,
  VPC 2026-07-24T15:42:25Z) and getproducts-snapshot-recorded.json at e0f5e0b76896c2a6e7c0e7a898c1e9033512c8b8
  (2026-08-14T01:17:39Z).

The other services a refresh reads (AWSELB, AWSAppRunner, AWSDataTransfer, Compute Savings Plans) have no
captured file in a public repository the code search reaches; their tests below use generated products shaped
as public code quotes the real rows (see the README).
"""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from botocore.stub import ANY, Stubber
from django.core.management import CommandError, call_command

from pricing.models import PriceRefresh
from pricing.normalize import Tally, rows_for, wanted
from pricing.price_list_items import strip_region
from pricing.selectors import price_refresh_summary, price_snapshot_active
from pricing.sources.bulk_api import rows_from_offer_file
from pricing.sources.query_api import TokenBucket, fetch_query, pricing_client
from pricing.sources.savings_plans import rows_from_savings_plan_file
from tests.pricing.offer_generator import Item, flat, transfer_out, write_offer_path, write_savings_plans_file
from tests.pricing.offers import FARGATE_US_EAST_1

FILES = Path(__file__).parent / "offer_files"
ECS_US_EAST_1 = FILES / "AmazonECS-us-east-1.json"
EC2_US_EAST_1 = FILES / "AmazonEC2-us-east-1.json"
EC2_US_EAST_2 = FILES / "AmazonEC2-us-east-2.json"


def read(path: Path, service: str, region: str) -> tuple[dict[str, tuple[Decimal, str]], Tally]:
    tally = Tally()
    _, rows = rows_from_offer_file(path, service_code=service, region=region, tally=tally)
    return {row.key: (row.usd, row.unit) for row in rows}, tally


ECS_ANYWHERE_US_EAST_1 = {
    "ECS-Anywhere-Instance-hours": ("0.0102500000", "Hrs"),
    # The free tier's product: one item, two tiers (the first 2,200 instance-hours at $0).
    "ECS-Anywhere-Instance-hours-WithFree:free": ("0.0000000000", "Hrs"),
    "ECS-Anywhere-Instance-hours-WithFree:2200-plus": ("0.0102500000", "Hrs"),
}


def test_the_real_ecs_file_gives_the_eight_fargate_prices_and_ecs_anywhere_and_nothing_else():
    prices, tally = read(ECS_US_EAST_1, "AmazonECS", "us-east-1")
    assert {key: usd for key, (usd, _) in prices.items()} == {
        **{key: Decimal(usd) for key, usd in FARGATE_US_EAST_1.items()},
        **{key: Decimal(usd) for key, (usd, _) in ECS_ANYWHERE_US_EAST_1.items()},
    }
    assert prices["Fargate-vCPU-Hours:perCPU"][1] == "vCPU-Hours"
    assert prices["Fargate-GB-Hours"][1] == "GB-Hours"
    assert {key: unit for key, (_, unit) in prices.items() if key.startswith("ECS-Anywhere")} == {
        key: unit for key, (_, unit) in ECS_ANYWHERE_US_EAST_1.items()
    }
    # ECS on EC2's $0 metering is in the file and not a price we use: skipped, not rejected.
    assert (tally.kept, tally.skipped, tally.rejected) == (11, 2, 0)


def test_a_refresh_from_the_real_ecs_file_activates_its_prices(seeded):
    call_command("refresh_prices", "--offer-file", str(ECS_US_EAST_1), "--region", "us-east-1")
    active = price_snapshot_active()
    assert active.pk != seeded.pk
    vcpu = active.prices.get(service_code="AmazonECS", region="us-east-1", key="Fargate-vCPU-Hours:perCPU")
    assert (vcpu.usd, vcpu.source.data_date.isoformat()) == (Decimal("0.04048"), "2025-08-28")
    assert "carried_over_from" not in vcpu.attributes


def look_alike_of(product: dict, sku: str, **attributes: str) -> dict:
    """A copy of a real product with other location attributes (and sku): how the Price List lists the same
    usage in an Outpost, Local Zone or Wavelength Zone of the region."""
    return {**product, "sku": sku, "attributes": {**product["attributes"], **attributes}}


@pytest.mark.parametrize(
    "location",
    [
        # A Local Zone that carries its parent region's code, and one with a code of its own.
        {"locationType": "AWS Local Zone", "location": "US East (Dallas)", "regionCode": "us-east-1"},
        {"locationType": "AWS Local Zone", "location": "US East (Dallas)", "regionCode": "us-east-1-dfw-2"},
        {"locationType": "AWS Outposts", "location": "US East (N. Virginia)"},
        {"locationType": "AWS Wavelength Zone", "location": "US East (Verizon) - Boston"},
        {"locationType": "AWS Region", "location": "US East (Ohio)", "regionCode": "us-east-2"},
    ],
)
def test_a_look_alike_of_a_real_product_never_becomes_the_regions_price(tmp_path, location):
    data = json.loads(ECS_US_EAST_1.read_text())
    vcpu = data["products"]["8CESGAFWKAJ98PME"]  # USE1-Fargate-vCPU-Hours:perCPU, $0.04048
    data["products"]["LOOKALIKE0000001"] = look_alike_of(vcpu, "LOOKALIKE0000001", **location)
    term = json.loads(
        json.dumps(data["terms"]["OnDemand"]["8CESGAFWKAJ98PME"]).replace("8CESGAFWKAJ98PME", "LOOKALIKE0000001")
    )
    next(iter(next(iter(term.values()))["priceDimensions"].values()))["pricePerUnit"]["USD"] = "0.0512000000"
    data["terms"]["OnDemand"]["LOOKALIKE0000001"] = term
    path = tmp_path / "ecs.json"
    path.write_text(json.dumps(data, indent=2))
    prices, tally = read(path, "AmazonECS", "us-east-1")
    assert prices["Fargate-vCPU-Hours:perCPU"] == (Decimal("0.04048"), "vCPU-Hours")
    assert (tally.kept, tally.skipped, tally.rejected) == (11, 3, 0)


def test_the_capacity_block_beside_a_real_instance_is_not_its_price_nor_a_malformed_one():
    prices, tally = read(EC2_US_EAST_1, "AmazonEC2", "us-east-1")
    # Both products are BoxUsage:p4d.24xlarge, Linux, shared, used; the second is sold as a Capacity Block
    # (marketoption CapacityBlock, operation RunInstances:CB) and lists $0.00.
    assert prices == {"BoxUsage:p4d.24xlarge": (Decimal("32.7726"), "Hrs")}
    assert (tally.kept, tally.skipped, tally.rejected) == (1, 1, 0)


def test_a_reserved_fee_filed_as_on_demand_is_rejected_never_an_hourly_price():
    prices, tally = read(EC2_US_EAST_2, "AmazonEC2", "us-east-2")
    # The USE2- prefix goes; the Network Load Balancer product inside the EC2 offer and the Windows BYOL
    # instance are skipped; m5.large's only "on-demand" term is a 3-year All Upfront fee of $1161.
    assert prices == {"EBS:VolumeUsage.gp3": (Decimal("0.08"), "GB-Mo")}
    assert (tally.kept, tally.skipped, tally.rejected) == (1, 2, 1)
    assert tally.reasons == {"a reserved term among the on-demand ones": 1}
    assert tally.rejected_keys == {"BoxUsage:m5.large"}


def test_a_refresh_of_the_real_us_east_2_file_is_refused_for_its_malformed_share(seeded):
    with pytest.raises(CommandError, match=r"1 of the 2 prices the source gave were malformed"):
        call_command("refresh_prices", "--offer-file", str(EC2_US_EAST_2), "--region", "us-east-2")
    refresh = PriceRefresh.objects.get()
    assert (refresh.status, refresh.failure) == ("failed", "malformed")
    assert price_refresh_summary(refresh=refresh) == (
        "Failed: too many of the source's prices were malformed. "
        "AmazonEC2 us-east-2: too many of the source's prices were malformed."
    )
    assert price_snapshot_active().pk == seeded.pk


def free_bucket() -> TokenBucket:
    return TokenBucket(burst=1000, rate=1000.0, sleep=lambda seconds: None)


def answer_ec2_queries(stubber, *, instances: list[str], gp2: list[str]) -> None:
    """One answer per query fetch_query makes for AmazonEC2: instances, gp3, gp2, IOPS, throughput, credits, NAT."""
    for items in (instances, [], gp2, [], [], [], []):
        params = {"ServiceCode": "AmazonEC2", "Filters": ANY, "FormatVersion": "aws_v1", "MaxResults": 100}
        stubber.add_response("get_products", {"FormatVersion": "aws_v1", "PriceList": items}, params)


def page(name: str) -> list[str]:
    return json.loads((FILES / name).read_text())["PriceList"]


def query(region: str, *, instances: list[str], gp2: list[str]) -> tuple[dict[str, Decimal], Tally]:
    client = pricing_client("us-east-1")
    tally = Tally()
    with Stubber(client) as stubber:
        answer_ec2_queries(stubber, instances=instances, gp2=gp2)
        _, rows = fetch_query(
            client, service_code="AmazonEC2", region=region, tally=tally, sleep=lambda s: None, bucket=free_bucket()
        )
        stubber.assert_no_pending_responses()
    return {row.key: row.usd for row in rows}, tally


def test_real_query_api_answers_give_the_regions_prices():
    prices, tally = query(
        "eu-central-1",
        instances=page("GetProducts-AmazonEC2-eu-central-1-m4.large.json"),
        gp2=page("GetProducts-AmazonEC2-eu-central-1-gp2.json"),
    )
    assert prices == {"BoxUsage:m4.large": Decimal("0.12"), "EBS:VolumeUsage.gp2": Decimal("0.119")}
    assert tally.rejected == 0


def test_an_answers_product_of_another_region_is_not_this_regions_price():
    # The gp2 answer was recorded for a us-east-1 query, and holds eu-central-1's product ($0.119, EUC1-).
    prices, tally = query("us-east-1", instances=[], gp2=page("GetProducts-AmazonEC2-eu-central-1-gp2.json"))
    assert prices == {}
    assert tally.skipped == 1


def test_a_real_query_api_item_reads_its_on_demand_term_and_not_the_reserved_ones():
    item = json.loads((FILES / "GetProducts-AmazonEC2-us-east-1-m5.large.json").read_text())
    prices, tally = query("us-east-1", instances=[json.dumps(item)], gp2=[])
    assert tally.rejected == 0
    assert prices == {"BoxUsage:m5.large": Decimal("0.096")}  # 11 Reserved terms beside it, and no regionCode


# Generated products, shaped as public code quotes the real rows of the offers no captured file covers.


def product(
    sku: str, service: str, family: str, usagetype: str, usd: str, unit: str = "Hrs", **attributes: str
) -> Item:
    return Item(
        sku,
        family,
        {"servicecode": service, "locationType": "AWS Region", "regionCode": "us-east-1", "usagetype": usagetype}
        | attributes,
        flat(usd, unit),
    )


def test_load_balancer_trust_stores_and_outposts_are_not_the_alb_hour(tmp_path):
    """In us-east-1 the ALB hour has no prefix; a trust store's hour (`TS-`) and an Outpost's share its end."""
    alb = "Load Balancer-Application"
    items = [
        product("ALB1", "AWSELB", alb, "LoadBalancerUsage", "0.0225"),
        product("ALB2", "AWSELB", alb, "LCUUsage", "0.008", "LCU-Hrs"),
        product("TS01", "AWSELB", alb, "TS-LoadBalancerUsage", "0.0056"),
        product("TS02", "AWSELB", alb, "TS-USE1-LCUUsage", "0.0056", "LCU-Hrs"),
        product("OUT1", "AWSELB", alb, "Outposts-LoadBalancerUsage", "0.03", locationType="AWS Outposts"),
        product("OUT2", "AWSELB", alb, "Outposts-LCUUsage", "0.012", "LCU-Hrs", locationType="AWS Outposts"),
    ]
    prices, tally = read(
        write_offer_path(tmp_path / "elb.json", offer_code="AWSELB", items=items), "AWSELB", "us-east-1"
    )
    assert prices == {
        "ALB:LoadBalancerUsage": (Decimal("0.0225"), "Hrs"),
        "ALB:LCUUsage": (Decimal("0.008"), "LCU-Hrs"),
    }
    assert (tally.kept, tally.skipped, tally.rejected) == (2, 4, 0)


@pytest.mark.parametrize(
    ("usage_type", "region", "stripped"),
    [
        ("USE1-Fargate-GB-Hours", "us-east-1", "Fargate-GB-Hours"),
        ("EU-Fargate-GB-Hours", "eu-west-1", "Fargate-GB-Hours"),
        ("TS-LoadBalancerUsage", "us-east-1", "TS-LoadBalancerUsage"),  # a trust store, not a region
        ("USE1-BOS1-EBS:VolumeUsage.gp3", "us-east-1", "BOS1-EBS:VolumeUsage.gp3"),
        ("DEN1-BoxUsage:c5d.2xlarge", "us-west-2", "DEN1-BoxUsage:c5d.2xlarge"),  # Denver's Local Zone
        ("EUC1-BoxUsage:m4.large", "us-east-1", "EUC1-BoxUsage:m4.large"),  # another region's prefix stays
        ("TS-LoadBalancerUsage", None, "TS-LoadBalancerUsage"),
        ("APS1-LoadBalancerUsage", None, "LoadBalancerUsage"),
    ],
)
def test_only_the_regions_own_usage_type_prefix_is_stripped(usage_type, region, stripped):
    assert strip_region(usage_type, region) == stripped


@pytest.mark.parametrize(
    ("service", "family", "usage"),
    [
        ("AmazonVPC", "IP Address", "USE1-PublicIPv4:InUseAddress"),
        ("AWSAppRunner", "Compute", "USE1-AppRunner-vCPU-hours"),
        ("AmazonEC2", "Storage", "EBS:VolumeUsage.gp3"),
    ],
)
def test_a_local_zone_product_is_skipped_in_every_offer(service, family, usage):
    region_product = product("R", service, family, usage, "0.005")
    local_zone = product("L", service, family, usage, "0.0075", locationType="AWS Local Zone")
    assert wanted(service, region_product.product(), region="us-east-1")
    assert not wanted(service, local_zone.product(), region="us-east-1")
    [row] = rows_for(service, "us-east-1", region_product.product(), region_product.on_demand(), source_ref="t")
    assert row.usd == Decimal("0.005")


def test_data_transfer_keeps_the_tiers_leaving_the_region_itself(tmp_path):
    tiers = [
        ("0", "10240", "0.09"),
        ("10240", "51200", "0.085"),
        ("51200", "153600", "0.07"),
        ("153600", "Inf", "0.05"),
    ]
    region = transfer_out("DT1", "us-east-1", tiers)
    local_zone = transfer_out("DT2", "us-east-1", [(b, e, "0.11") for b, e, _ in tiers])
    local_zone.attributes.update(fromLocationType="AWS Local Zone", fromLocation="US East (Boston)")
    path = write_offer_path(tmp_path / "transfer.json", offer_code="AWSDataTransfer", items=[region, local_zone])
    prices, tally = read(path, "AWSDataTransfer", "us-east-1")
    assert {usd for usd, _ in prices.values()} == {Decimal("0.09"), Decimal("0.085"), Decimal("0.07"), Decimal("0.05")}
    assert tally.skipped == 1
    # AWSDataTransfer names its location by where the bytes leave from; it has no locationType.
    assert "locationType" not in region.attributes


def test_savings_plans_rates_of_the_regions_local_zones_are_left_out(tmp_path):
    path = write_savings_plans_file(
        tmp_path / "sp.json", region="us-west-2", rates={("1yr", "No Upfront"): {"BoxUsage:m6i.large": "0.0655"}}
    )
    data = json.loads(path.read_text())
    rates = data["terms"]["savingsPlan"][0]["rates"]
    rates[0]["discountedRegionCode"] = "us-west-2"
    for usage, price in (("DEN1-BoxUsage:m6i.large", "0.0811"), ("USW2-BoxUsage:m6i.large", "0.0812")):
        local_zone = {"discountedUsageType": usage, "discountedRegionCode": "us-west-2-den-1"}
        rates.append({**rates[0], **local_zone, "discountedRate": {"price": price, "currency": "USD"}})
    path.write_text(json.dumps(data))
    tally = Tally()
    _, rows = rows_from_savings_plan_file(path, region="us-west-2", tally=tally)
    assert [(row.key, row.usd) for row in rows] == [("1y:AmazonEC2:BoxUsage:m6i.large", Decimal("0.0655"))]
    assert tally.skipped == 2


# Recorded Query API documents of 2026 (TypeOneLabs/tellury, see the README): EBS and public IPv4 in us-east-1
# and eu-west-1, and EBS snapshots with the Outposts products beside the regions' own.
RECORDED = FILES / "GetProducts-AmazonEC2-AmazonVPC-us-east-1-eu-west-1.json"
RECORDED_SNAPSHOTS = FILES / "GetProducts-AmazonEC2-snapshots-us-east-1-eu-west-1.json"


def term_matches(document: dict, field: str, value: str) -> bool:
    product = document["product"]
    found = product.get("productFamily") if field == "productFamily" else product["attributes"].get(field)
    return found == value


def answer_as_the_api_would(stubber, service: str, region: str, documents: list[dict]) -> None:
    """Each query fetch_query makes is answered with the recorded documents its TERM_MATCH filters select,
    one JSON string per document as GetProducts sends them: our filters must find the real products."""
    from pricing.sources.query_api import FILTERS

    for query in FILTERS[service]:
        filters = [(name, value.format(region=region)) for name, value in query]
        selected = [
            json.dumps(document)
            for document in documents
            if document["serviceCode"] == service and all(term_matches(document, *f) for f in filters)
        ]
        params = {
            "ServiceCode": service,
            "Filters": [{"Type": "TERM_MATCH", "Field": name, "Value": value} for name, value in filters],
            "FormatVersion": "aws_v1",
            "MaxResults": 100,
        }
        stubber.add_response("get_products", {"FormatVersion": "aws_v1", "PriceList": selected}, params)


def query_recorded(path: Path, service: str, region: str) -> tuple[dict[str, tuple[Decimal, str]], Tally]:
    client = pricing_client("us-east-1")
    tally = Tally()
    with Stubber(client) as stubber:
        answer_as_the_api_would(stubber, service, region, json.loads(path.read_text()))
        _, rows = fetch_query(
            client, service_code=service, region=region, tally=tally, sleep=lambda s: None, bucket=free_bucket()
        )
        stubber.assert_no_pending_responses()
    return {row.key: (row.usd, row.unit) for row in rows}, tally


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_real_public_ipv4_products_give_the_hour_of_an_address(region):
    prices, tally = query_recorded(RECORDED, "AmazonVPC", region)
    # The products have no productFamily; the region's prefix goes from their usage types. The contiguous
    # IPv4 block ($0.008 an address-hour) is in another group, which the query does not ask for.
    assert prices == {
        "PublicIPv4:InUseAddress": (Decimal("0.005"), "Hrs"),
        "PublicIPv4:IdleAddress": (Decimal("0.005"), "Hrs"),
    }
    assert (tally.kept, tally.skipped, tally.rejected) == (2, 0, 0)


@pytest.mark.parametrize(
    ("region", "storage", "iops", "throughput"),
    [("us-east-1", "0.08", "0.005", "40.96"), ("eu-west-1", "0.088", "0.0055", "45.056")],
)
def test_real_gp3_products_give_storage_iops_and_throughput(region, storage, iops, throughput):
    prices, tally = query_recorded(RECORDED, "AmazonEC2", region)
    assert prices == {
        "EBS:VolumeUsage.gp3": (Decimal(storage), "GB-Mo"),
        "EBS:VolumeUsage.gp2": (Decimal("0.10") if region == "us-east-1" else Decimal("0.11"), "GB-Mo"),
        "EBS:VolumeP-IOPS.gp3": (Decimal(iops), "IOPS-Mo"),
        # AWS quotes "$0.04 per provisioned MiBps-month" and lists it per GiBps-mo (x 1024), lower-case "mo".
        "EBS:VolumeP-Throughput.gp3": (Decimal(throughput), "GiBps-Mo"),
    }
    assert tally.rejected == 0


def test_real_outposts_products_are_never_a_regions_price():
    documents = json.loads(RECORDED_SNAPSHOTS.read_text())
    outposts = [d["product"] for d in documents if d["product"]["attributes"]["locationType"] == "AWS Outposts"]
    assert [p["attributes"]["usagetype"] for p in outposts] == [
        "USE1-EBS:SnapshotUsage.outposts",
        "EU-EBS:SnapshotUsage.outposts",
    ]
    for product in outposts:
        region = product["attributes"]["regionCode"]
        assert not wanted("AmazonEC2", product, region=region)
        # Not even were it a usage type we price: its location alone keeps it out.
        as_gp3 = {**product, "attributes": {**product["attributes"], "usagetype": "EBS:VolumeUsage.gp3"}}
        assert not wanted("AmazonEC2", as_gp3, region=region)
        region_gp3 = {**as_gp3, "attributes": {**as_gp3["attributes"], "locationType": "AWS Region"}}
        assert wanted("AmazonEC2", region_gp3, region=region)
