"""A refresh keeps exactly what the engine's price-key registry says it brings from the Price List, no more."""

from compute_advisor.engine import price_keys
from pricing.normalize import Tally
from pricing.price_list_items import KEPT_FAMILIES, REFRESHED_KEYS, SERVICES
from pricing.refresh import REQUIRED_KEYS
from pricing.sources.bulk_api import rows_from_offer_file
from pricing.sources.savings_plans import rows_from_savings_plan_file
from tests.pricing.offer_generator import (
    cpu_credits,
    ec2_instance,
    transfer_out,
    usage_item,
    write_offer_path,
    write_savings_plans_file,
)

REGION = "eu-west-1"  # usage types carry a region prefix (EU-) here, as most regions' do
# The Price List product family of each kind of fixed key; which family is not what decides what is kept.
FAMILIES = {
    "AmazonEC2": "Storage",
    "AmazonVPC": "IP Address",
    "AmazonECS": "Compute",
    "AWSAppRunner": "Compute",
    "AmazonCloudWatch": "Data Payload",
    "AmazonECR": "EC2 Container Registry",
}
LOAD_BALANCERS = {"ALB": "Load Balancer-Application", "NLB": "Load Balancer-Network"}
# Items in the same files that the engine never reads, or that no refresh may take from the Price List.
DECOYS = {
    "AmazonEC2": ["EBS:VolumeUsage.io2", "EBS:SnapshotUsage", "BoxUsage:m6i.large"],  # the last: not an instance
    "AmazonECS": ["ECS-Anywhere-Instance-Hours", "SpotUsage-Fargate-vCPU-Hours:perCPU", "Fargate-GB-Hours-Extra"],
    "AWSAppRunner": ["AppRunner-Requests"],
    "AmazonVPC": ["NatGateway-Hours", "PublicIPv4:InUseAddressExtra", "VpcEndpoint-GWLBE-Hours"],
    "AmazonEC2-NAT": ["RegionalNatGateway-Hours", "RegionalNatGateway-Bytes", "NatGateway-Prvd-Gbps"],
    "AmazonCloudWatch": ["TimedStorage-IA-ByteHrs", "VendedLog-Bytes", "DataScanned-Bytes"],
}


def fixed_keys(service_code):
    return {
        k.key for k in price_keys.PRICE_KEYS if k.service_code == service_code and k.source == price_keys.PRICE_LIST
    } - {k.key for k in price_keys.PRICE_KEYS if k.is_pattern}


def offer_items(service_code):
    """One item for every key the registry lists for the service, and the decoys."""
    if service_code == "AWSELB":
        items = [
            usage_item(
                f"LB{i}", REGION, "AWSELB", LOAD_BALANCERS[key.split(":")[0]], key.split(":")[1], "0.0225", "Hrs"
            )
            for i, key in enumerate(sorted(fixed_keys("AWSELB")))
        ]
        # Gateway and Classic Load Balancers bill the same usage types; the engine prices neither.
        items.append(
            usage_item("GWLB", REGION, "AWSELB", "Load Balancer-Gateway", "LoadBalancerUsage", "0.0125", "Hrs")
        )
        items.append(usage_item("CLB", REGION, "AWSELB", "Load Balancer", "LoadBalancerUsage", "0.028", "Hrs"))
        return items
    if service_code == "AWSDataTransfer":
        tiers = [("0", "100", "0"), ("100", "10240", "0.09"), ("10240", "Inf", "0.085")]
        inbound = transfer_out("DTIN", REGION, [("0", "Inf", "0.01")])
        inbound.attributes["toLocation"] = "EU (London)"
        inter_az = transfer_out("DTAZ", REGION, [("0", "Inf", "0.01")])
        inter_az.attributes.update(
            toLocation="EU (Ireland)", transferType="IntraRegion", usagetype="EU-DataTransfer-Regional-Bytes"
        )
        # Between regions: another transfer type, never the inter-AZ rate.
        inter_region = transfer_out("DTIR", REGION, [("0", "Inf", "0.02")])
        inter_region.attributes.update(
            toLocation="EU (London)", transferType="InterRegion Outbound", usagetype="EU-DataTransfer-Regional-Bytes"
        )
        return [transfer_out("DT", REGION, tiers), inbound, inter_az, inter_region]
    items = [
        usage_item(f"K{i}", REGION, service_code, FAMILIES[service_code], key, "0.5", "Hrs")
        for i, key in enumerate(sorted(fixed_keys(service_code)))
    ]
    items += [
        usage_item(f"D{i}", REGION, service_code, "Other", key, "0.5", "Hrs")
        for i, key in enumerate(DECOYS.get(service_code, []))
    ]
    if service_code == "AmazonVPC":
        endpoint_data = usage_item("VE", REGION, "AmazonVPC", "VpcEndpoint", "VpcEndpoint-Bytes", "0.01", "GB")
        endpoint_data.dimensions = [
            {"beginRange": b, "endRange": e, "unit": "GB", "pricePerUnit": {"USD": usd}, "appliesTo": []}
            for b, e, usd in [("0", "1048576", "0.01"), ("1048576", "5242880", "0.006"), ("5242880", "Inf", "0.004")]
        ]
        items.append(endpoint_data)
    if service_code == "AmazonECS":
        usage = "ECS-Anywhere-Instance-hours-WithFree"
        with_free = usage_item("AF", REGION, "AmazonECS", "Compute", usage, "0", "hours")
        with_free.dimensions = [
            {"beginRange": b, "endRange": e, "unit": "hours", "pricePerUnit": {"USD": usd}, "appliesTo": []}
            for b, e, usd in [("0", "2200", "0.0000000000"), ("2200", "Inf", "0.0102500000")]
        ]
        items.append(with_free)
    if service_code == "AmazonEC2":
        items += [
            usage_item(f"N{i}", REGION, "AmazonEC2", "NAT Gateway", key, "0.048", "Hrs")
            for i, key in enumerate(DECOYS["AmazonEC2-NAT"])
        ]
        items += [
            ec2_instance("I1", REGION, "m6i.large", "0.107"),
            ec2_instance("I2", REGION, "m7g.large", "0.0892"),
            ec2_instance("W1", REGION, "m6i.large", "0.199", operatingSystem="Windows"),
            ec2_instance("H1", REGION, "m6i.large", "0.118", tenancy="Dedicated"),
            cpu_credits("C1", REGION, "t3", "Linux", "0.05"),
            cpu_credits("C2", REGION, "t3", "Windows", "0.096"),
            cpu_credits("C3", REGION, "t3", "RHEL", "0.05"),  # an OS the engine does not price
        ]
    return items


def kept_keys(tmp_path, service_code):
    path = write_offer_path(tmp_path / f"{service_code}.json", offer_code=service_code, items=offer_items(service_code))
    _, rows = rows_from_offer_file(path, service_code=service_code, region=REGION, tally=Tally())
    keys = [row.key for row in rows]
    assert len(keys) == len(set(keys)), keys  # one item per key: no Windows, dedicated or decoy twin
    return set(keys)


def test_a_refresh_pulls_the_services_the_registry_names():
    assert set(SERVICES) == {
        "AmazonEC2",
        "AmazonECS",
        "AWSELB",
        "AWSAppRunner",
        "AWSDataTransfer",
        "AmazonVPC",
        "AmazonCloudWatch",
        "AmazonECR",
        "ComputeSavingsPlans",
    }
    assert {k.service_code for k in REFRESHED_KEYS} == set(SERVICES)


def test_each_refreshed_service_keeps_exactly_the_registry_keys(tmp_path):
    kept = {service: kept_keys(tmp_path, service) for service in SERVICES if service != "ComputeSavingsPlans"}
    for service, keys in kept.items():
        registry = [k for k in REFRESHED_KEYS if k.service_code == service]
        # Everything kept is a key the registry lists as coming from the Price List ...
        assert all(any(k.matches(service, key) for k in registry) for key in keys), (service, keys)
        # ... and every such key the file offers is kept.
        assert fixed_keys(service) <= keys, service
    assert {"BoxUsage:m6i.large", "BoxUsage:m7g.large"} <= kept["AmazonEC2"]
    assert {key for key in kept["AmazonEC2"] if key.startswith("CPUCredits:")} == {
        "CPUCredits:t3:Linux",
        "CPUCredits:t3:Windows",
    }
    assert kept["AWSDataTransfer"] == {
        "DataTransfer-Out-Bytes:free",
        "DataTransfer-Out-Bytes:100-10240GB",
        "DataTransfer-Out-Bytes:10240-InfGB",
        "DataTransfer-Regional-Bytes",
    }
    assert {key for key in kept["AmazonVPC"] if key.startswith("VpcEndpoint")} == {
        "VpcEndpoint-Hours",
        "VpcEndpoint-Bytes:0-1PB",
        "VpcEndpoint-Bytes:1-5PB",
        "VpcEndpoint-Bytes:5PB-plus",
    }
    assert {key for key in kept["AmazonECS"] if key.startswith("ECS-Anywhere")} == {
        "ECS-Anywhere-Instance-hours",
        "ECS-Anywhere-Instance-hours-WithFree:free",
        "ECS-Anywhere-Instance-hours-WithFree:2200-plus",
    }
    assert {key for key in kept["AmazonEC2"] if "Nat" in key} == {"NatGateway-Hours", "NatGateway-Bytes"}
    assert kept["AmazonCloudWatch"] == {"DataProcessing-Bytes", "DataProcessingIA-Bytes", "TimedStorage-ByteHrs"}
    assert kept["AmazonECR"] == {"TimedStorage-ByteHrs"}
    assert kept["AWSELB"] == {"ALB:LoadBalancerUsage", "ALB:LCUUsage", "NLB:LoadBalancerUsage", "NLB:LCUUsage"}
    assert "SpotUsage-Fargate-vCPU-Hours:perCPU" not in kept["AmazonECS"]  # carried over, not refreshed


def test_every_family_of_keys_a_refresh_brings_has_a_rule_that_keeps_it():
    families = {
        (k.service_code, k.key) for k in REFRESHED_KEYS if k.is_pattern and k.service_code != "ComputeSavingsPlans"
    }
    assert (
        families
        == {(k.service_code, k.key) for k in KEPT_FAMILIES}
        == {
            ("AmazonEC2", "BoxUsage:<instance type>"),
            ("AmazonEC2", "CPUCredits:<family>:<os>"),
            ("AWSDataTransfer", "DataTransfer-Out-Bytes:<tier>"),
            ("AmazonVPC", "VpcEndpoint-Bytes:<tier>"),
            ("AmazonECS", "ECS-Anywhere-Instance-hours-WithFree:<tier>"),
        }
    )


def test_the_required_keys_are_the_registrys():
    assert set(REQUIRED_KEYS) == {k.at() for k in price_keys.PRICE_KEYS if k.required}
    assert all(any(k.matches(*where) for k in REFRESHED_KEYS) for where in REQUIRED_KEYS)


def test_savings_plans_rates_are_kept_for_what_the_registry_says_they_discount(tmp_path):
    discounted = [k for k in price_keys.PRICE_KEYS if k.savings_plans]
    fixed = [k.key for k in discounted if not k.is_pattern]
    usage = {**{key: "0.02" for key in fixed}, "BoxUsage:m6i.large": "0.0655"}
    # Rates the engine never reads: a Windows OS licence, ephemeral storage.
    usage |= {"Fargate-Windows-OS-Hours:perCPU": "0.03", "Fargate-EphemeralStorage-GB-Hours": "0.0001"}
    path = write_savings_plans_file(tmp_path / "sp.json", region=REGION, rates={("1yr", "No Upfront"): usage})
    _, rows = rows_from_savings_plan_file(path, region=REGION, tally=Tally())
    keys = {row.key for row in rows}
    assert keys == {f"1y:AmazonECS:{key}" for key in fixed} | {"1y:AmazonEC2:BoxUsage:m6i.large"}
    for row in rows:
        entry = price_keys.find(row.service_code, row.key)
        assert entry is not None
        assert entry.source == price_keys.PRICE_LIST
        assert entry.unit == row.unit
