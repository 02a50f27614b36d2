"""Price List files in AWS's real format, generated: for tests, `make bench` and offline demos.

Nothing here is a price source: the figures are whatever the caller passes in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ON_DEMAND_TERM = "JRTCKXETXF"
RATE_CODE = "6YS6EN2CT7"
LOCATIONS = {
    "us-east-1": ("US East (N. Virginia)", ""),
    "us-west-2": ("US West (Oregon)", "USW2-"),
    "eu-west-1": ("EU (Ireland)", "EU-"),
    "eu-central-1": ("EU (Frankfurt)", "EUC1-"),
    "ap-southeast-1": ("Asia Pacific (Singapore)", "APS1-"),
}


def usage_prefix(region: str, *, ec2_compute: bool = False) -> str:
    """The Price List's region prefix; us-east-1 EC2 instance usage types have none, other services use USE1-."""
    prefix = LOCATIONS[region][1]
    if region == "us-east-1" and not ec2_compute:
        return "USE1-"
    return prefix


@dataclass
class Item:
    sku: str
    family: str
    attributes: dict[str, str]
    dimensions: list[dict[str, Any]] = field(default_factory=list)

    def product(self) -> dict[str, Any]:
        return {"sku": self.sku, "productFamily": self.family, "attributes": self.attributes}

    def on_demand(self) -> dict[str, Any]:
        code = f"{self.sku}.{ON_DEMAND_TERM}"
        return {
            code: {
                "offerTermCode": ON_DEMAND_TERM,
                "sku": self.sku,
                "effectiveDate": "2026-11-01T00:00:00Z",
                "priceDimensions": {
                    f"{code}.{RATE_CODE}{index or ''}": {"rateCode": f"{code}.{RATE_CODE}{index or ''}", **dimension}
                    for index, dimension in enumerate(self.dimensions)
                },
                "termAttributes": {},
            }
        }


def flat(usd: str, unit: str, description: str = "") -> list[dict[str, Any]]:
    return [
        {
            "description": description or f"${usd} per {unit}",
            "beginRange": "0",
            "endRange": "Inf",
            "unit": unit,
            "appliesTo": [],
            "pricePerUnit": {"USD": usd},
        }
    ]


def ec2_instance(sku: str, region: str, instance_type: str, usd: str, **overrides: str) -> Item:
    location = LOCATIONS[region][0]
    attributes = {
        "servicecode": "AmazonEC2",
        "location": location,
        "locationType": "AWS Region",
        "regionCode": region,
        "instanceType": instance_type,
        "instanceFamily": "General purpose",
        "vcpu": "2",
        "memory": "8 GiB",
        "operatingSystem": "Linux",
        "tenancy": "Shared",
        "preInstalledSw": "NA",
        "capacitystatus": "Used",
        "licenseModel": "No License required",
        "operation": "RunInstances",
        "usagetype": f"{usage_prefix(region, ec2_compute=True)}BoxUsage:{instance_type}",
    }
    attributes.update(overrides)
    return Item(
        sku,
        "Compute Instance",
        attributes,
        flat(usd, "Hrs", f"${usd} per On Demand Linux {instance_type} Instance Hour"),
    )


def cpu_credits(sku: str, region: str, family: str, operating_system: str, usd: str, **overrides: str) -> Item:
    """An EC2 "CPU Credits" product: a T family's surplus credits for one OS, per vCPU-hour.

    Its usage type carries the EC2 region prefix, none in us-east-1 (`CPUCredits:t3`, `EU-CPUCredits:t3`).
    """
    attributes = {
        "servicecode": "AmazonEC2",
        "location": LOCATIONS[region][0],
        "locationType": "AWS Region",
        "regionCode": region,
        "operatingSystem": operating_system,
        "usagetype": f"{usage_prefix(region, ec2_compute=True)}CPUCredits:{family}",
        "servicename": "Amazon Elastic Compute Cloud",
    }
    attributes.update(overrides)
    description = f"${usd} per vCPU-Hour for {operating_system} {family} CPU Credits"
    return Item(sku, "CPU Credits", attributes, flat(usd, "vCPU-Hours", description))


def usage_item(sku: str, region: str, service: str, family: str, usage: str, usd: str, unit: str, **attrs: str) -> Item:
    attributes = {
        "servicecode": service,
        "location": LOCATIONS[region][0],
        "locationType": "AWS Region",
        "regionCode": region,
        "usagetype": f"{usage_prefix(region)}{usage}",
        **attrs,
    }
    return Item(sku, family, attributes, flat(usd, unit))


def transfer_out(sku: str, region: str, tiers: list[tuple[str, str, str]]) -> Item:
    attributes = {
        "servicecode": "AWSDataTransfer",
        "fromLocation": LOCATIONS[region][0],
        "fromLocationType": "AWS Region",
        "fromRegionCode": region,
        "toLocation": "External",
        "transferType": "AWS Outbound",
        "usagetype": f"{usage_prefix(region)}DataTransfer-Out-Bytes",
    }
    dimensions = [
        {
            "description": f"${usd} per GB - {begin} to {end} GB",
            "beginRange": begin,
            "endRange": end,
            "unit": "GB",
            "appliesTo": [],
            "pricePerUnit": {"USD": usd},
        }
        for begin, end, usd in tiers
    ]
    return Item(sku, "Data Transfer", attributes, dimensions)


def write_offer_file(
    out: IO[str],
    *,
    offer_code: str,
    items: Iterable[Item],
    version: str = "20261101000000",
    publication_date: str = "2026-11-01T00:00:00Z",
) -> None:
    """Write an offer file as AWS does (products first, then terms), streaming item by item."""
    items = list(items)
    out.write(
        '{\n  "formatVersion" : "v1.0",\n  "disclaimer" : "This pricing list is for informational purposes only.",\n'
    )
    out.write(
        f'  "offerCode" : "{offer_code}",\n  "version" : "{version}",\n  "publicationDate" : "{publication_date}",\n'
    )
    out.write('  "products" : {\n')
    for index, item in enumerate(items):
        out.write(("," if index else "") + f'\n    "{item.sku}" : ' + json.dumps(item.product()))
    out.write('\n  },\n  "terms" : {\n    "OnDemand" : {')
    for index, item in enumerate(items):
        out.write(("," if index else "") + f'\n      "{item.sku}" : ' + json.dumps(item.on_demand()))
    out.write("\n    }\n  }\n}\n")


def write_offer_path(path: Path, **kwargs: Any) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        write_offer_file(out, **kwargs)
    return path


def many_ec2_items(count: int, region: str = "us-east-1") -> Iterator[Item]:
    """A large, realistic mix: mostly products we skip (other OSes, tenancies), a few we keep."""
    operating_systems = ["Linux", "Windows", "RHEL", "SUSE", "Ubuntu Pro"]
    tenancies = ["Shared", "Dedicated", "Host"]
    for index in range(count):
        kind = index % 15
        overrides = {"operatingSystem": operating_systems[kind % 5], "tenancy": tenancies[(kind // 5) % 3]}
        yield ec2_instance(
            f"SKU{index:012d}", region, f"x{index % 997}.size{index % 13}", f"0.{index % 9000 + 1000:04d}", **overrides
        )


def write_savings_plans_file(
    path: Path, *, region: str, rates: dict[tuple[str, str], dict[str, str]], version: str = "20261101000000"
) -> Path:
    """A Compute Savings Plans region file: one plan per (term, payment option), with rates.

    `rates` maps (purchaseTerm, purchaseOption), e.g. ("1yr", "No Upfront"), to {usage type: rate}; the
    usage types are given without region prefix and get this region's.
    """
    products, terms = [], []
    for index, ((term, option), plan_rates) in enumerate(rates.items()):
        sku = f"SP{index:04d}"
        products.append(
            {
                "sku": sku,
                "productFamily": "ComputeSavingsPlans",
                "serviceCode": "ComputeSavingsPlans",
                "usageType": f"ComputeSP:{term}{option.replace(' ', '')}",
                "operation": "",
                "attributes": {
                    "purchaseOption": option,
                    "purchaseTerm": term,
                    "locationType": "AWS Region",
                    "granularity": "hourly",
                },
            }
        )
        entries: list[dict[str, Any]] = []
        for usage, rate in plan_rates.items():
            fargate = usage.startswith("Fargate")
            entries.append(
                {
                    "discountedSku": f"D{len(entries)}{sku}",
                    "discountedUsageType": f"{usage_prefix(region, ec2_compute=not fargate)}{usage}",
                    "discountedOperation": "" if fargate else "RunInstances",
                    "discountedServiceCode": "AmazonECS" if fargate else "AmazonEC2",
                    "rateCode": f"{sku}.R{len(entries)}",
                    "unit": "Hrs",
                    "discountedRate": {"price": rate, "currency": "USD"},
                }
            )
        terms.append(
            {
                "sku": sku,
                "description": f"{term} {option} Compute Savings Plan",
                "effectiveDate": "2026-11-01T00:00:00Z",
                "leaseContractLength": {"duration": int(term[0]), "unit": "year"},
                "rates": entries,
            }
        )
    data = {
        "version": version,
        "publicationDate": "2026-11-01T00:00:00Z",
        "regionCode": region,
        "products": products,
        "terms": {"savingsPlan": terms},
    }
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path
