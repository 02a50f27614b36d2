"""Which AWS Price List items compute-advisor keeps, and the stable keys it stores them under.

A Price List usage type carries a region prefix ("USE1-", "EU-", "APS1-"; none in us-east-1 for EC2).
Without it, it names the same thing in every region, so it is the stable key the engine looks up.
"""

from __future__ import annotations

import re

# Services a refresh pulls from the Price List. Lightsail is not among them: the Price List gives its
# plans by the hour, and the engine prices Lightsail from the monthly plan prices AWS publishes, which a
# refresh carries over from the previous snapshot unchanged.
SERVICES = (
    "AmazonEC2",
    "AmazonECS",
    "AWSELB",
    "AWSAppRunner",
    "AWSDataTransfer",
    "AmazonVPC",
    "ComputeSavingsPlans",
)
REGION_PREFIX = re.compile(r"^[A-Z]{2,}\d*-")

# Usage types kept as they are (after the region prefix is removed).
KEPT_USAGE_TYPES = {
    "AmazonEC2": {
        "EBS:VolumeUsage.gp3",
        "EBS:VolumeUsage.gp2",
        "EBS:VolumeP-IOPS.gp3",
        "EBS:VolumeP-Throughput.gp3",
    },
    "AmazonECS": {
        "Fargate-vCPU-Hours:perCPU",
        "Fargate-GB-Hours",
        "Fargate-ARM-vCPU-Hours:perCPU",
        "Fargate-ARM-GB-Hours",
        "Fargate-Windows-vCPU-Hours:perCPU",
        "Fargate-Windows-GB-Hours",
        "Fargate-Windows-OS-Hours:perCPU",
        "Fargate-EphemeralStorage-GB-Hours",
    },
    "AWSAppRunner": {
        "AppRunner-vCPU-hours",
        "AppRunner-GB-hours",
        "AppRunner-Provisioned-GB-hours",
        "AppRunner-AutomaticDeployment",
        "AppRunner-BuildMinutes",
    },
    "AmazonVPC": {"PublicIPv4:InUseAddress", "PublicIPv4:IdleAddress"},
}
# Load balancer usage types are kept per product family, which tells an ALB from an NLB.
LOAD_BALANCER_FAMILIES = {"Load Balancer-Application": "ALB", "Load Balancer-Network": "NLB"}
LOAD_BALANCER_USAGE = {"LoadBalancerUsage", "LCUUsage"}
EC2_INSTANCE_FILTER = {
    "operatingSystem": "Linux",
    "tenancy": "Shared",
    "preInstalledSw": "NA",
    "capacitystatus": "Used",
    "licenseModel": "No License required",
}
TRANSFER_OUT_USAGE = "DataTransfer-Out-Bytes"

# Units as the seed file writes them, keyed by the Price List's unit names.
UNITS = {
    "Hrs": "Hrs",
    "hours": "Hrs",
    "Hours": "Hrs",
    "vCPU-Hours": "vCPU-Hours",
    "GB-Hours": "GB-Hours",
    "GB-Mo": "GB-Mo",
    "IOPS-Mo": "IOPS-Mo",
    "GiBps-mo": "GiBps-Mo",
    "GiBps-Mo": "GiBps-Mo",
    "LCU-Hrs": "LCU-Hrs",
    "NLCU-Hrs": "NLCU-Hrs",
    "GB": "GB",
}


def strip_region(usage_type: str) -> str:
    return REGION_PREFIX.sub("", usage_type, count=1)


# The Price List bills vCPU and GB dimensions of Fargate and App Runner in "hours" units; name them by
# what they count so a line item reads "vCPU-hours".
def unit_for(key: str, price_list_unit: str) -> str:
    if price_list_unit.lower() in {"hrs", "hours"}:
        if "vCPU" in key:
            return "vCPU-Hours"
        if "GB-Hours" in key or "GB-hours" in key:
            return "GB-Hours"
        if key.endswith("LCUUsage"):
            return "NLCU-Hrs" if key.startswith("NLB") else "LCU-Hrs"
    return UNITS.get(price_list_unit, price_list_unit)


def transfer_tier_key(begin: str, end: str) -> str:
    named = {
        ("0", "10240"): "0-10TB",
        ("10240", "51200"): "10-50TB",
        ("51200", "153600"): "50-150TB",
        ("153600", "Inf"): "150TB-plus",
        ("0", "100"): "free",
    }
    return f"{TRANSFER_OUT_USAGE}:{named.get((begin, end), f'{begin}-{end}GB')}"
