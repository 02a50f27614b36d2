"""Which AWS Price List items a refresh keeps, and the stable keys it stores them under.

A refresh keeps what the engine reads: the entries of the price-key registry
(`compute_advisor.engine.price_keys`) whose source is the Price List. The rest of the registry (Lightsail's
monthly plans, Spot rates, Step Functions) no Price List file gives, so a refresh carries it over.

A Price List usage type carries a region prefix ("USE1-", "EU-", "APS1-"; none in us-east-1 for EC2).
Without it, it names the same thing in every region, so it is the stable key the engine looks up.

A region's offer file (and a Query API answer filtered on its regionCode) also holds the products of the
Outposts, Local Zones and Wavelength Zones attached to it, often with usage types that end like the
region's own and prices far from them; and some of the region's own products carry a prefix of their own
("TS-LoadBalancerUsage", an ALB trust store, at a quarter of the ALB hour). `in_region` keeps the region's
own products and `strip_region` removes only the region's own prefix, so neither can pass for a region price.
"""

from __future__ import annotations

import re

from compute_advisor.engine import price_keys

SAVINGS_PLANS_SERVICE = price_keys.SAVINGS_PLANS_SERVICE
# Every registry entry a refresh takes from the Price List (the Savings Plans rates among them).
REFRESHED_KEYS = tuple(k for k in price_keys.PRICE_KEYS if k.source == price_keys.PRICE_LIST)
# Services a refresh pulls from the Price List, in the registry's order.
SERVICES = tuple(dict.fromkeys(k.service_code for k in REFRESHED_KEYS))
REGION_PREFIX = re.compile(r"^[A-Z]{2,}\d*-")
# The usage-type prefix of each region, as AWS lists them for billing reports ("Understanding your AWS billing
# and usage reports for Amazon S3", Amazon S3 User Guide, which names the same codes for every service). A
# region missing here is stripped by REGION_PREFIX, except prefixes known not to name a region.
REGION_USAGE_PREFIXES = {
    "us-east-1": "USE1",
    "us-east-2": "USE2",
    "us-west-1": "USW1",
    "us-west-2": "USW2",
    "af-south-1": "AFS1",
    "ap-east-1": "APE1",
    "ap-south-1": "APS3",
    "ap-south-2": "APS5",
    "ap-southeast-1": "APS1",
    "ap-southeast-2": "APS2",
    "ap-southeast-3": "APS4",
    "ap-southeast-4": "APS6",
    "ap-northeast-1": "APN1",
    "ap-northeast-2": "APN2",
    "ap-northeast-3": "APN3",
    "ca-central-1": "CAN1",
    "ca-west-1": "CAN2",
    "eu-central-1": "EUC1",
    "eu-central-2": "EUC2",
    "eu-west-1": "EU",
    "eu-west-2": "EUW2",
    "eu-west-3": "EUW3",
    "eu-north-1": "EUN1",
    "eu-south-1": "EUS1",
    "eu-south-2": "EUS2",
    "il-central-1": "ILC1",
    "me-central-1": "MEC1",
    "me-south-1": "MES1",
    "sa-east-1": "SAE1",
    "us-gov-east-1": "UGE1",
    "us-gov-west-1": "UGW1",
}
# Upper-case prefixes of usage types that are not regions: "TS-" (Application Load Balancer trust stores).
NOT_REGION_PREFIXES = frozenset({"TS"})
# Where a product is: the region itself, or an Outpost, Local Zone or Wavelength Zone attached to it. Every
# offer names it in `locationType`, except AWSDataTransfer, whose products go from one place to another and
# name both ends (`fromLocationType`, `toLocationType`; `fromRegionCode` for the region the bytes leave).
REGION_LOCATION_TYPE = "AWS Region"
LOCATION_ATTRIBUTES = {"AWSDataTransfer": ("fromLocationType", "fromRegionCode")}
DEFAULT_LOCATION_ATTRIBUTES = ("locationType", "regionCode")

# Keys kept as they are (after the region prefix is removed; load balancers with their kind in front).
KEPT_KEYS: dict[str, frozenset[str]] = {
    service: frozenset(k.key for k in REFRESHED_KEYS if k.service_code == service and not k.is_pattern)
    for service in SERVICES
    if service != SAVINGS_PLANS_SERVICE
}
# Families of keys kept by a rule of their own (`normalize.wanted`): EC2 instances (Linux, shared tenancy)
# and the tiers of data transfer out (one Price List item holds every tier).
INSTANCE_HOURS = price_keys.EC2_INSTANCE
TRANSFER_OUT = price_keys.TRANSFER_OUT
TRANSFER_OUT_USAGE = TRANSFER_OUT.prefix.removesuffix(":")
# EC2 surplus CPU credits (T-family unlimited mode): products of family "CPU Credits" whose usage type is
# `CPUCredits:<family>`, for the operating systems the registry names, stored as `CPUCredits:<family>:<os>`.
CPU_CREDITS = price_keys.EC2_CPU_CREDITS
CPU_CREDITS_PRODUCT_FAMILY = "CPU Credits"
CPU_CREDITS_USAGE = re.compile(r"^CPUCredits:([a-z][a-z0-9]*)$")
CPU_CREDITS_OS = frozenset(price_keys.EC2_CPU_CREDIT_OS)
# Transfer between Availability Zones: one AWSDataTransfer product a region, `transferType` "IntraRegion".
TRANSFER_INTER_AZ = price_keys.TRANSFER_INTER_AZ
TRANSFER_INTER_AZ_TYPE = "IntraRegion"
# Items priced in tiers (one Price List item, one dimension a tier), stored one key a tier: the usage type
# (`VpcEndpoint-Bytes`) is the family's key before its placeholder, and the tier's range names the tier.
TIERED_USAGE = {entry.prefix.removesuffix(":"): entry for entry in price_keys.TIERED}
KEPT_FAMILIES = (INSTANCE_HOURS, CPU_CREDITS, TRANSFER_OUT, *price_keys.TIERED)
# Load balancer usage types are kept per product family, which tells an ALB from an NLB; the stored key
# names the kind first ("ALB:LCUUsage").
LOAD_BALANCER_FAMILIES = {"Load Balancer-Application": "ALB", "Load Balancer-Network": "NLB"}
EC2_INSTANCE_FILTER = {
    "operatingSystem": "Linux",
    "tenancy": "Shared",
    "preInstalledSw": "NA",
    "capacitystatus": "Used",
    "licenseModel": "No License required",
}


def cpu_credits_key(usage: str, operating_system: object) -> str | None:
    """`CPUCredits:t3` and Linux -> `CPUCredits:t3:Linux`; None for anything else (`CPUCredits:db.t3`, RHEL)."""
    match = CPU_CREDITS_USAGE.fullmatch(usage)
    if match is None or operating_system not in CPU_CREDITS_OS:
        return None
    return CPU_CREDITS.at(match.group(1), str(operating_system))[1]


def load_balancer_key(product_family: str, usage: str) -> str | None:
    kind = LOAD_BALANCER_FAMILIES.get(product_family)
    return None if kind is None else f"{kind}:{usage}"


def tiered_family(service_code: str, usage: str) -> price_keys.PriceKey | None:
    """The tiered family whose items carry usage type `usage` (without its region prefix), if any."""
    entry = TIERED_USAGE.get(usage)
    return entry if entry is not None and entry.service_code == service_code else None


def tier_key(entry: price_keys.PriceKey, begin: str, end: str) -> str:
    """The stored key of one tier of a tiered item, from the tier's range (`0`-`1048576` GB is `0-1PB`)."""
    named = price_keys.TIERED[entry]
    return entry.at(named.get((begin, end), f"{begin}-{end}"))[1]


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


def strip_region(usage_type: str, region: str | None = None) -> str:
    """The usage type without its region's prefix: `EU-Fargate-GB-Hours` in eu-west-1 is `Fargate-GB-Hours`.

    With a region, only that region's own prefix goes, so a product named for a zone (`USE1-BOS1-...`) or a
    feature (`TS-LoadBalancerUsage` in us-east-1, where the ALB hour has no prefix) keeps its difference.
    """
    prefix = REGION_USAGE_PREFIXES.get(region or "")
    if prefix is not None:
        return usage_type.removeprefix(f"{prefix}-")
    match = REGION_PREFIX.match(usage_type)
    if match is None or match.group(0)[:-1] in NOT_REGION_PREFIXES:
        return usage_type
    return usage_type[match.end() :]


def in_region(service_code: str, attributes: dict[str, object], region: str) -> bool:
    """Whether a product is the region's own: its location type is "AWS Region" (an Outpost, Local Zone or
    Wavelength Zone is not), and its region code, when it has one, is this region."""
    kind_attribute, code_attribute = LOCATION_ATTRIBUTES.get(service_code, DEFAULT_LOCATION_ATTRIBUTES)
    code = attributes.get(code_attribute)
    return attributes.get(kind_attribute) == REGION_LOCATION_TYPE and code in (None, "", region)


def on_demand_instance(attributes: dict[str, object]) -> bool:
    """An EC2 instance hour sold on demand: not a Capacity Block (`marketoption` "CapacityBlock", operation
    `RunInstances:CB`), which the EC2 offer lists beside it under the same usage type, priced at $0."""
    return (
        attributes.get("marketoption", "OnDemand") == "OnDemand"
        and attributes.get("operation", "RunInstances") == "RunInstances"
    )


# The Price List bills vCPU and GB dimensions of Fargate and App Runner in "hours" units; name them by
# what they count so a line item reads "vCPU-hours".
def unit_for(key: str, price_list_unit: str) -> str:
    if price_list_unit.lower() in {"hrs", "hours"}:
        if "vCPU" in key or key.startswith(CPU_CREDITS.prefix):
            return "vCPU-Hours"
        if "GB-Hours" in key or "GB-hours" in key:
            return "GB-Hours"
        if key.endswith("LCUUsage"):
            return "NLCU-Hrs" if key.startswith("NLB") else "LCU-Hrs"
    return UNITS.get(price_list_unit, price_list_unit)


def transfer_tier_key(begin: str, end: str) -> str:
    """The key of one tier of data transfer out, from the tier's range in GB."""
    named = {
        ("0", "10240"): "0-10TB",
        ("10240", "51200"): "10-50TB",
        ("51200", "153600"): "50-150TB",
        ("153600", "Inf"): "150TB-plus",
        ("0", "100"): price_keys.TRANSFER_OUT_FREE_TIER,
    }
    return TRANSFER_OUT.at(named.get((begin, end), f"{begin}-{end}GB"))[1]
