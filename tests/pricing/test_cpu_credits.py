"""A refresh keeps EC2 surplus CPU credits (T-family unlimited mode) as `CPUCredits:<family>:<os>`, Linux and
Windows only, in every region's usage-type form.

The products here are generated (`offer_generator.cpu_credits`) in the Price List's format. No real fragment
could be found: the code search finds no public repository that commits an AmazonEC2 offer file, or a cut-down
of one, holding "CPU Credits" products (the cut-downs it holds, such as opencost/opencost
pkg/cloud/aws/testdata/pricing-us-east-1.json, keep Compute Instance, Storage and Load Balancer products only).
The shape follows what public code reads from the real Price List:

- infracost/infracost internal/resources/aws/instance.go (commit f6d245e17bc5b6f00735913cec01765d381c7190,
  2025-11-06) asks the Price List for productFamily "CPU Credits", operatingSystem "Linux" and a usagetype
  matching `/CPUCredits:<family>$/`, with the unit vCPU-hours;
- a public Cost Explorer report (code-search index id 12133794930, repository not exposed) lists the usage
  types `CPUCredits:t3`, `USE2-CPUCredits:t3` and `EU-CPUCredits:t3`: no region prefix in us-east-1, as for
  EC2 instance hours.

The prices are AWS's published rates (EC2 On-Demand pricing page, "T2/T3/T4g Unlimited Mode Pricing"): $0.05
per vCPU-hour for T2/T3 Linux, $0.096 for T2/T3 Windows, $0.04 for T4g Linux.
"""

from decimal import Decimal

import pytest

from compute_advisor.engine import price_keys
from pricing.normalize import MalformedItem, Tally, rows_for, wanted
from pricing.price_list_items import cpu_credits_key
from pricing.sources.bulk_api import rows_from_offer_file
from pricing.sources.query_api import FILTERS
from tests.pricing.offer_generator import LOCATIONS, cpu_credits, ec2_instance, write_offer_path


def row_of(item, region):
    return rows_for("AmazonEC2", region, item.product(), item.on_demand(), source_ref="test")


@pytest.mark.parametrize(
    ("region", "usage_type"),
    [
        ("us-east-1", "CPUCredits:t3"),
        ("us-west-2", "USW2-CPUCredits:t3"),
        ("eu-west-1", "EU-CPUCredits:t3"),
        ("eu-central-1", "EUC1-CPUCredits:t3"),
        ("ap-southeast-1", "APS1-CPUCredits:t3"),
    ],
)
def test_every_regions_usage_type_is_kept_under_one_key(region, usage_type):
    item = cpu_credits("S", region, "t3", "Linux", "0.0500000000")
    assert item.attributes["usagetype"] == usage_type
    assert wanted("AmazonEC2", item.product(), region=region)
    [row] = row_of(item, region)
    assert (row.key, row.unit, row.usd, row.region) == ("CPUCredits:t3:Linux", "vCPU-Hours", Decimal("0.05"), region)
    assert row.attributes == {"sku": "S", "operatingSystem": "Linux"}


def test_linux_and_windows_of_each_family_are_kept_and_declared_with_their_unit():
    items = [
        cpu_credits("L2", "eu-west-1", "t2", "Linux", "0.05"),
        cpu_credits("W2", "eu-west-1", "t2", "Windows", "0.096"),
        cpu_credits("L3", "eu-west-1", "t3", "Linux", "0.05"),
        cpu_credits("W3", "eu-west-1", "t3", "Windows", "0.096"),
        cpu_credits("L3A", "eu-west-1", "t3a", "Linux", "0.05"),
        cpu_credits("L4", "eu-west-1", "t4g", "Linux", "0.04"),
    ]
    rows = {row.key: row for item in items for row in row_of(item, "eu-west-1")}
    assert {key: row.usd for key, row in rows.items()} == {
        "CPUCredits:t2:Linux": Decimal("0.05"),
        "CPUCredits:t2:Windows": Decimal("0.096"),
        "CPUCredits:t3:Linux": Decimal("0.05"),
        "CPUCredits:t3:Windows": Decimal("0.096"),
        "CPUCredits:t3a:Linux": Decimal("0.05"),
        "CPUCredits:t4g:Linux": Decimal("0.04"),
    }
    for row in rows.values():
        entry = price_keys.find(row.service_code, row.key)
        assert entry is price_keys.EC2_CPU_CREDITS
        assert row.unit == entry.unit


@pytest.mark.parametrize("operating_system", ["RHEL", "SUSE", "Red Hat Enterprise Linux with HA", "", "NA"])
def test_other_operating_systems_are_not_kept(operating_system):
    assert not wanted(
        "AmazonEC2", cpu_credits("S", "us-east-1", "t3", operating_system, "0.05").product(), region="us-east-1"
    )


def test_only_the_cpu_credits_family_with_a_t_family_usage_type_is_kept():
    # An RDS-style usage type in the EC2 file, and the CPU Credits usage type under another product family.
    odd_usage = cpu_credits("R", "us-east-1", "t3", "Linux", "0.05", usagetype="CPUCredits:db.t3")
    assert not wanted("AmazonEC2", odd_usage.product(), region="us-east-1")
    other_family = cpu_credits("O", "us-east-1", "t3", "Linux", "0.05")
    other_family.family = "Compute Instance"
    assert not wanted("AmazonEC2", other_family.product(), region="us-east-1")
    # Instance hours are untouched by the new rule.
    assert wanted("AmazonEC2", ec2_instance("I", "us-east-1", "t3.micro", "0.0104").product(), region="us-east-1")
    windows = ec2_instance("W", "us-east-1", "t3.micro", "0.0196", operatingSystem="Windows")
    assert not wanted("AmazonEC2", windows.product(), region="us-east-1")


def test_a_cpu_credits_item_the_engine_does_not_price_is_rejected_not_keyed_by_its_usage_type():
    item = cpu_credits("S", "us-east-1", "t3", "RHEL", "0.05")
    with pytest.raises(MalformedItem):
        row_of(item, "us-east-1")


def test_the_key_names_the_family_and_the_operating_system():
    assert cpu_credits_key("CPUCredits:t3", "Linux") == "CPUCredits:t3:Linux"
    assert cpu_credits_key("CPUCredits:t4g", "Windows") == "CPUCredits:t4g:Windows"
    assert cpu_credits_key("CPUCredits:t3", "RHEL") is None
    assert cpu_credits_key("CPUCredits:db.t3", "Linux") is None
    assert cpu_credits_key("BoxUsage:t3.micro", "Linux") is None
    assert price_keys.EC2_CPU_CREDITS.at("t3", "Linux") == ("AmazonEC2", "CPUCredits:t3:Linux")


def test_an_offer_file_gives_the_credit_rows_beside_the_instance_hours(tmp_path):
    region = "ap-southeast-1"
    items = [
        ec2_instance("I1", region, "t3.micro", "0.0132"),
        cpu_credits("C1", region, "t3", "Linux", "0.0500000000"),
        cpu_credits("C2", region, "t3", "Windows", "0.0960000000"),
        cpu_credits("C3", region, "t3", "SUSE", "0.0500000000"),
    ]
    path = write_offer_path(tmp_path / "ec2.json", offer_code="AmazonEC2", items=items)
    tally = Tally()
    _, rows = rows_from_offer_file(path, service_code="AmazonEC2", region=region, tally=tally)
    assert sorted(row.key for row in rows) == ["BoxUsage:t3.micro", "CPUCredits:t3:Linux", "CPUCredits:t3:Windows"]
    assert tally.rejected == 0
    assert LOCATIONS[region][1] == "APS1-"


def test_the_query_api_asks_for_the_cpu_credits_family():
    assert [("regionCode", "{region}"), ("locationType", "AWS Region"), ("productFamily", "CPU Credits")] in FILTERS[
        "AmazonEC2"
    ]
