"""What the shipped seed snapshot holds: real prices for the regions and families the issue names,
each with its source; a gap stays a gap."""

import json
from collections import defaultdict
from decimal import Decimal

import pytest
from django.conf import settings

from pricing.seedfile import read_seed_file

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"]
FAMILIES = {
    "t3": ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"],
    "t3a": ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"],
    "t4g": ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"],
    "m6i": ["large", "xlarge", "2xlarge", "4xlarge"],
    "m7i": ["large", "xlarge", "2xlarge", "4xlarge"],
    "c6i": ["large", "xlarge", "2xlarge", "4xlarge"],
    "c7i": ["large", "xlarge", "2xlarge", "4xlarge"],
    "r6i": ["large", "xlarge", "2xlarge", "4xlarge"],
    "m6g": ["medium", "large", "xlarge", "2xlarge", "4xlarge"],
    "m7g": ["medium", "large", "xlarge", "2xlarge", "4xlarge"],
    "c7g": ["medium", "large", "xlarge", "2xlarge", "4xlarge"],
    "r7g": ["medium", "large", "xlarge", "2xlarge", "4xlarge"],
}


@pytest.fixture(scope="module")
def seed():
    return read_seed_file(settings.SEED_PRICES_FILE)


@pytest.fixture(scope="module")
def keys(seed):
    by_region = defaultdict(set)
    for row in seed.rows:
        by_region[(row.service_code, row.region)].add(row.key)
    return by_region


@pytest.mark.parametrize("region", REGIONS)
def test_every_region_has_the_common_ec2_families_x86_and_graviton(keys, region):
    wanted = {f"BoxUsage:{family}.{size}" for family, sizes in FAMILIES.items() for size in sizes}
    assert wanted <= keys[("AmazonEC2", region)]


@pytest.mark.parametrize("region", REGIONS)
def test_every_region_has_storage_load_balancing_fargate_lightsail_and_transfer(keys, region):
    assert {
        "EBS:VolumeUsage.gp3",
        "EBS:VolumeUsage.gp2",
        "EBS:VolumeP-IOPS.gp3",
        "EBS:VolumeP-Throughput.gp3",
    } <= (keys[("AmazonEC2", region)])
    assert "ALB:LoadBalancerUsage" in keys[("AWSELB", region)]
    assert {"Fargate-vCPU-Hours:perCPU", "Fargate-GB-Hours"} <= keys[("AmazonECS", region)]
    assert {"Bundle:nano_3_0", "ContainerPower:nano"} <= keys[("AmazonLightsail", region)]
    assert {"DataTransfer-Out-Bytes:free", "DataTransfer-Out-Bytes:0-10TB"} <= keys[("AWSDataTransfer", region)]
    assert "PublicIPv4:InUseAddress" in keys[("AmazonVPC", region)]


def test_us_east_1_has_every_dimension_the_engine_prices(keys):
    assert {
        "Fargate-ARM-vCPU-Hours:perCPU",
        "Fargate-ARM-GB-Hours",
        "Fargate-Windows-vCPU-Hours:perCPU",
        "Fargate-Windows-GB-Hours",
        "Fargate-Windows-OS-Hours:perCPU",
        "Fargate-EphemeralStorage-GB-Hours",
        "SpotUsage-Fargate-vCPU-Hours:perCPU",
        "SpotUsage-Fargate-GB-Hours",
    } <= keys[("AmazonECS", "us-east-1")]
    assert {"ALB:LCUUsage", "NLB:LoadBalancerUsage", "NLB:LCUUsage"} <= keys[("AWSELB", "us-east-1")]
    assert {"AppRunner-vCPU-hours", "AppRunner-GB-hours", "AppRunner-Provisioned-GB-hours"} <= (
        keys[("AWSAppRunner", "us-east-1")]
    )


def test_us_east_1_prices_match_aws_published_figures(seed):
    prices = {(r.service_code, r.region, r.key): r.usd for r in seed.rows}
    published = {
        ("AmazonEC2", "BoxUsage:t3.medium"): "0.0416",
        ("AmazonEC2", "BoxUsage:m6i.large"): "0.096",
        ("AmazonEC2", "BoxUsage:m7g.large"): "0.0816",
        ("AmazonEC2", "EBS:VolumeUsage.gp3"): "0.08",
        ("AmazonEC2", "EBS:VolumeUsage.gp2"): "0.10",
        ("AmazonEC2", "EBS:VolumeP-IOPS.gp3"): "0.005",
        ("AmazonECS", "Fargate-vCPU-Hours:perCPU"): "0.04048",
        ("AmazonECS", "Fargate-GB-Hours"): "0.004445",
        ("AmazonECS", "Fargate-ARM-vCPU-Hours:perCPU"): "0.03238",
        ("AmazonECS", "Fargate-Windows-OS-Hours:perCPU"): "0.046",
        ("AWSELB", "ALB:LoadBalancerUsage"): "0.0225",
        ("AWSELB", "ALB:LCUUsage"): "0.008",
        ("AWSAppRunner", "AppRunner-vCPU-hours"): "0.064",
        ("AWSAppRunner", "AppRunner-Provisioned-GB-hours"): "0.007",
        ("AmazonLightsail", "Bundle:nano_3_0"): "5",
        ("AmazonLightsail", "ContainerPower:micro"): "10",
        ("AmazonVPC", "PublicIPv4:InUseAddress"): "0.005",
    }
    for (service, key), usd in published.items():
        assert prices[(service, "us-east-1", key)] == Decimal(usd), key


def test_every_source_says_what_it_is_and_most_say_when(seed):
    assert all(s.title and len(s.title) > 20 for s in seed.sources)
    assert all(s.url.startswith("https://") for s in seed.sources if s.url)
    dated = [s for s in seed.sources if s.data_date]
    assert len(dated) >= len(seed.sources) * 2 // 3
    used = {row.source_ref for row in seed.rows}
    assert used == {s.ref for s in seed.sources}, "a declared source is unused or a row cites nothing"


def test_a_missing_figure_stays_missing(keys):
    # No public source gave Fargate Windows rates for Frankfurt: the seed has none rather than a guess.
    assert "Fargate-Windows-vCPU-Hours:perCPU" not in keys[("AmazonECS", "eu-central-1")]
    assert not keys[("AWSAppRunner", "eu-central-1")]


def test_the_file_is_plain_json_with_decimal_strings():
    raw = json.loads(settings.SEED_PRICES_FILE.read_text(encoding="utf-8"))
    assert all(isinstance(p["usd"], str) for p in raw["prices"])


@pytest.mark.parametrize("region", REGIONS)
def test_every_region_has_aws_published_cpu_credit_rates(seed, region):
    # EC2 On-Demand pricing, "T2/T3/T4g Unlimited Mode Pricing": the same in every region.
    credits = {r.key: r.usd for r in seed.rows if r.region == region and r.key.startswith("CPUCredits:")}
    published = {
        "CPUCredits:t2:Linux": "0.05",
        "CPUCredits:t2:Windows": "0.096",
        "CPUCredits:t3:Linux": "0.05",
        "CPUCredits:t3:Windows": "0.096",
        "CPUCredits:t4g:Linux": "0.04",
    }
    assert {key: credits.get(key) for key in published} == {key: Decimal(usd) for key, usd in published.items()}
    assert all(r.unit == "vCPU-Hours" for r in seed.rows if r.key.startswith("CPUCredits:"))


def test_t3a_credits_are_priced_only_where_a_source_names_t3a(keys):
    # AWS's page names T2, T3 and T4g; only a us-east-1 pricebook names T3a. T4g runs no Windows.
    assert "CPUCredits:t3a:Linux" in keys[("AmazonEC2", "us-east-1")]
    for region in REGIONS:
        assert "CPUCredits:t3a:Windows" not in keys[("AmazonEC2", region)]
        assert "CPUCredits:t4g:Windows" not in keys[("AmazonEC2", region)]
        if region != "us-east-1":
            assert "CPUCredits:t3a:Linux" not in keys[("AmazonEC2", region)]


# What surrounds the compute ("The whole bill"): each figure from a dated source that names the region.
AROUND_THE_COMPUTE = {
    ("AmazonEC2", "us-east-1", "NatGateway-Hours"): "0.045",
    ("AmazonEC2", "us-east-1", "NatGateway-Bytes"): "0.045",
    ("AmazonEC2", "eu-west-1", "NatGateway-Hours"): "0.048",
    ("AmazonEC2", "eu-west-1", "NatGateway-Bytes"): "0.048",
    ("AmazonEC2", "ap-southeast-1", "NatGateway-Hours"): "0.059",
    ("AmazonEC2", "ap-southeast-1", "NatGateway-Bytes"): "0.059",
    ("AmazonVPC", "us-east-1", "VpcEndpoint-Hours"): "0.01",
    ("AmazonVPC", "us-east-1", "VpcEndpoint-Bytes:0-1PB"): "0.01",
    ("AmazonVPC", "us-east-1", "VpcEndpoint-Bytes:1-5PB"): "0.006",
    ("AmazonVPC", "us-east-1", "VpcEndpoint-Bytes:5PB-plus"): "0.004",
    ("AmazonVPC", "ap-southeast-1", "VpcEndpoint-Hours"): "0.013",
    ("AmazonCloudWatch", "us-east-1", "DataProcessing-Bytes"): "0.50",
    ("AmazonCloudWatch", "us-east-1", "DataProcessingIA-Bytes"): "0.25",
    ("AmazonCloudWatch", "us-east-1", "TimedStorage-ByteHrs"): "0.03",
    ("AmazonCloudWatch", "us-west-2", "DataProcessing-Bytes"): "0.50",
    ("AmazonCloudWatch", "us-west-2", "TimedStorage-ByteHrs"): "0.03",
    ("AmazonCloudWatch", "ap-southeast-1", "DataProcessing-Bytes"): "0.70",
    ("AmazonECR", "us-east-1", "TimedStorage-ByteHrs"): "0.10",
    ("AWSDataTransfer", "eu-west-1", "DataTransfer-Regional-Bytes"): "0.01",
    ("AmazonECS", "us-east-1", "ECS-Anywhere-Instance-hours"): "0.01025",
    ("AmazonECS", "us-east-1", "ECS-Anywhere-Instance-hours-WithFree:free"): "0",
    ("AmazonECS", "us-east-1", "ECS-Anywhere-Instance-hours-WithFree:2200-plus"): "0.01025",
}


def test_the_prices_around_the_compute_are_the_sourced_figures(seed):
    prices = {(r.service_code, r.region, r.key): r.usd for r in seed.rows}
    assert {where: prices.get(where) for where in AROUND_THE_COMPUTE} == {
        where: Decimal(usd) for where, usd in AROUND_THE_COMPUTE.items()
    }


def test_a_region_no_source_priced_around_the_compute_has_no_figure(keys):
    # No source read gave these; none is taken from another region.
    assert "NatGateway-Hours" not in keys[("AmazonEC2", "us-west-2")]
    assert "NatGateway-Hours" not in keys[("AmazonEC2", "eu-central-1")]
    assert not {k for k in keys[("AmazonVPC", "eu-west-1")] if k.startswith("VpcEndpoint")}
    assert not keys[("AmazonCloudWatch", "eu-central-1")]
    assert not keys[("AmazonECR", "eu-west-1")]
    assert "DataTransfer-Regional-Bytes" not in keys[("AWSDataTransfer", "us-east-1")]
    assert not {k for k in keys[("AmazonECS", "eu-west-1")] if k.startswith("ECS-Anywhere")}
