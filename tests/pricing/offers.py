"""Small offer files in the real Price List format, for the refresh tests."""

from pathlib import Path

from tests.pricing.offer_generator import ec2_instance, transfer_out, usage_item, write_offer_path

FARGATE_US_EAST_1 = {
    "Fargate-vCPU-Hours:perCPU": "0.0404800000",
    "Fargate-GB-Hours": "0.0044450000",
    "Fargate-ARM-vCPU-Hours:perCPU": "0.0323800000",
    "Fargate-ARM-GB-Hours": "0.0035600000",
    "Fargate-Windows-vCPU-Hours:perCPU": "0.0465520000",
    "Fargate-Windows-GB-Hours": "0.0051117500",
    "Fargate-Windows-OS-Hours:perCPU": "0.0460000000",
    "Fargate-EphemeralStorage-GB-Hours": "0.0001110000",
}


def ecs_offer(folder: Path, region: str = "us-east-1", prices: dict[str, str] | None = None, name: str = "ecs.json"):
    items = [
        usage_item(f"ECS{i}", region, "AmazonECS", "Compute", key, usd, "hours")
        for i, (key, usd) in enumerate((prices or FARGATE_US_EAST_1).items())
    ]
    # Something a Fargate refresh has no use for, in the same file.
    items.append(usage_item("ECSX", region, "AmazonECS", "Compute", "ECS-Anywhere-Instance-Hours", "0.01025", "hours"))
    return write_offer_path(folder / name, offer_code="AmazonECS", items=items)


def ec2_offer(folder: Path, region: str = "us-east-1", instances: dict[str, str] | None = None, extra=()):
    instances = instances or {"m6i.large": "0.0960000000", "t3.medium": "0.0416000000", "m7g.large": "0.0816000000"}
    items = [ec2_instance(f"EC2{i}", region, name, usd) for i, (name, usd) in enumerate(instances.items())]
    items += [
        ec2_instance("EC2W", region, "m6i.large", "0.1880000000", operatingSystem="Windows"),
        usage_item(
            "EBS1", region, "AmazonEC2", "Storage", "EBS:VolumeUsage.gp3", "0.0800000000", "GB-Mo", volumeApiName="gp3"
        ),
        usage_item(
            "EBS2", region, "AmazonEC2", "Storage", "EBS:VolumeUsage.gp2", "0.1000000000", "GB-Mo", volumeApiName="gp2"
        ),
        *extra,
    ]
    return write_offer_path(folder / "ec2.json", offer_code="AmazonEC2", items=items)


def transfer_offer(folder: Path, region: str = "us-east-1"):
    tiers = [
        ("0", "10240", "0.0900000000"),
        ("10240", "51200", "0.0850000000"),
        ("51200", "153600", "0.0700000000"),
        ("153600", "Inf", "0.0500000000"),
    ]
    return write_offer_path(
        folder / "transfer.json", offer_code="AWSDataTransfer", items=[transfer_out("DT1", region, tiers)]
    )
