"""AWS Price List products (Query API items or Bulk API offer-file entries) to PriceRows.

Both sources hand each product here with its on-demand terms, so one code path decides what is kept
and how it is keyed. A product of an Outpost, Local Zone or Wavelength Zone is skipped (the region's file
holds them too, see `price_list_items`). A malformed item is rejected and counted, never priced at zero, and
two products that would give one key different prices are both rejected rather than one picked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pricing.price_list_items import (
    CPU_CREDITS,
    CPU_CREDITS_PRODUCT_FAMILY,
    EC2_INSTANCE_FILTER,
    INSTANCE_HOURS,
    KEPT_KEYS,
    TRANSFER_INTER_AZ,
    TRANSFER_INTER_AZ_TYPE,
    TRANSFER_OUT_USAGE,
    cpu_credits_key,
    in_region,
    load_balancer_key,
    on_demand_instance,
    strip_region,
    tier_key,
    tiered_family,
    transfer_tier_key,
    unit_for,
)
from pricing.rows import PriceRow


class MalformedItem(ValueError):
    pass


@dataclass
class Tally:
    """What a part of a refresh saw: kept rows, items it had no use for, and rejected ones with why."""

    kept: int = 0
    skipped: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    # The keys the rejected items would have priced, when they are known (a refresh never carries over a
    # required price whose fresh figure was malformed).
    rejected_keys: set[str] = field(default_factory=set)

    def reject(self, reason: str, count: int = 1, *, key: str | None = None) -> None:
        self.rejected += count
        self.reasons[reason] = self.reasons.get(reason, 0) + count
        if key:
            self.rejected_keys.add(key)

    @property
    def rejected_share(self) -> float:
        """The share of the prices read that were rejected (0 when nothing was read)."""
        read = self.kept + self.rejected
        return self.rejected / read if read else 0.0


def wanted(service_code: str, product: dict[str, Any], *, region: str) -> bool:
    """Whether a product is one we price in `region`, from its attributes alone (before its terms are read).

    We price what the engine's price-key registry says a refresh brings (see `price_list_items`), and only
    the region's own products.
    """
    attributes = product.get("attributes") or {}
    if not in_region(service_code, attributes, region):
        return False
    usage = strip_region(str(attributes.get("usagetype", "")), region)
    family = product.get("productFamily", "")
    if service_code == INSTANCE_HOURS.service_code and family == "Compute Instance":
        return (
            INSTANCE_HOURS.matches(service_code, usage)
            and all(attributes.get(name) == value for name, value in EC2_INSTANCE_FILTER.items())
            and on_demand_instance(attributes)
        )
    if service_code == CPU_CREDITS.service_code and family == CPU_CREDITS_PRODUCT_FAMILY:
        return cpu_credits_key(usage, attributes.get("operatingSystem")) is not None
    if service_code == "AWSELB":
        return load_balancer_key(family, usage) in KEPT_KEYS["AWSELB"]
    if service_code == "AWSDataTransfer":
        if usage == TRANSFER_INTER_AZ.key:
            return attributes.get("transferType") == TRANSFER_INTER_AZ_TYPE
        return usage == TRANSFER_OUT_USAGE and attributes.get("toLocation", "External") == "External"
    if tiered_family(service_code, usage) is not None:
        return True
    return usage in KEPT_KEYS.get(service_code, frozenset())


def intended_key(service_code: str, product: dict[str, Any], *, region: str) -> str | None:
    """The key a wanted product prices, read before its terms are (None for transfer, whose tiers are keys)."""
    attributes = product.get("attributes") or {}
    usage = strip_region(str(attributes.get("usagetype", "")), region)
    family = product.get("productFamily", "")
    if service_code == "AWSDataTransfer":
        return usage if usage == TRANSFER_INTER_AZ.key else None
    if tiered_family(service_code, usage) is not None:
        return None
    if service_code == "AWSELB":
        return load_balancer_key(family, usage)
    if service_code == CPU_CREDITS.service_code and family == CPU_CREDITS_PRODUCT_FAMILY:
        return cpu_credits_key(usage, attributes.get("operatingSystem"))
    return usage


def _price(dimension: dict[str, Any]) -> Decimal:
    raw = (dimension.get("pricePerUnit") or {}).get("USD")
    if not isinstance(raw, str):
        raise MalformedItem("price is not a decimal string")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise MalformedItem("price is not a decimal number") from None
    if not value.is_finite() or value < 0:
        raise MalformedItem("price is negative or not finite")
    return value


def _on_demand_dimensions(on_demand_terms: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not on_demand_terms:
        raise MalformedItem("no on-demand terms")
    # An on-demand term has no lease: one with a lease length or purchase option is a Reserved Instance's
    # (an upfront fee), misfiled, and taking it would price an instance hour at the fee.
    if any(
        isinstance(term, dict) and {"LeaseContractLength", "PurchaseOption"} & set(term.get("termAttributes") or {})
        for term in on_demand_terms.values()
    ):
        raise MalformedItem("a reserved term among the on-demand ones")
    dimensions = [
        dimension
        for term in on_demand_terms.values()
        for dimension in (term.get("priceDimensions") or {}).values()
        if isinstance(dimension, dict)
    ]
    if not dimensions:
        raise MalformedItem("no price dimensions")
    return dimensions


def rows_for(
    service_code: str,
    region: str,
    product: dict[str, Any],
    on_demand_terms: dict[str, Any] | None,
    *,
    source_ref: str,
) -> list[PriceRow]:
    """The rows one wanted product gives, or MalformedItem."""
    attributes = product.get("attributes") or {}
    usage_type = attributes.get("usagetype")
    if not isinstance(usage_type, str) or not usage_type:
        raise MalformedItem("no usage type")
    dimensions = _on_demand_dimensions(on_demand_terms)
    usage = strip_region(usage_type, region)
    family = product.get("productFamily", "")
    sku = product.get("sku", "")

    tiered = tiered_family(service_code, usage)
    if tiered is not None:
        return _tier_rows(tiered, service_code, region, dimensions, sku=sku, source_ref=source_ref)

    if service_code == "AWSDataTransfer" and usage != TRANSFER_INTER_AZ.key:
        rows = []
        for dimension in dimensions:
            begin, end = str(dimension.get("beginRange", "0")), str(dimension.get("endRange", "Inf"))
            price = _price(dimension)
            # A zero-priced first tier is the free allowance; any other zero-priced tier is an error.
            key = transfer_tier_key(begin, end) if price or begin != "0" else transfer_tier_key("0", "100")
            if price == 0 and not key.endswith(":free"):
                raise MalformedItem("a priced tier has a zero price")
            rows.append(
                PriceRow(
                    service_code=service_code,
                    region=region,
                    key=key,
                    unit="GB",
                    usd=price,
                    description=str(dimension.get("description", ""))[:300],
                    attributes={"beginRange": begin, "endRange": end, "unit": "GB", "sku": sku},
                    source_ref=source_ref,
                )
            )
        return rows

    if len(dimensions) != 1:
        raise MalformedItem("more than one price dimension for a flat-rate item")
    dimension = dimensions[0]
    price = _price(dimension)
    if price == 0:
        raise MalformedItem("zero price")
    key = (load_balancer_key(family, usage) or usage) if service_code == "AWSELB" else usage
    kept_attributes = {"sku": sku}
    if service_code == "AmazonEC2" and usage.startswith("BoxUsage:"):
        kept_attributes.update({name: attributes.get(name, "") for name in ("instanceType", *EC2_INSTANCE_FILTER)})
    if service_code == CPU_CREDITS.service_code and family == CPU_CREDITS_PRODUCT_FAMILY:
        credits_key = cpu_credits_key(usage, attributes.get("operatingSystem"))
        if credits_key is None:
            raise MalformedItem("a CPU credits item of no family or operating system the engine prices")
        key = credits_key
        kept_attributes["operatingSystem"] = str(attributes.get("operatingSystem"))
    return [
        PriceRow(
            service_code=service_code,
            region=region,
            key=key,
            unit=unit_for(key, str(dimension.get("unit", ""))),
            usd=price,
            description=str(dimension.get("description", ""))[:300],
            attributes=kept_attributes,
            source_ref=source_ref,
        )
    ]


def _tier_rows(
    entry: Any, service_code: str, region: str, dimensions: list[dict[str, Any]], *, sku: str, source_ref: str
) -> list[PriceRow]:
    """One row a tier of a tiered item (interface endpoint data, ECS Anywhere with its free tier). A tier at $0
    is kept only where it starts at 0 (a free allowance); a zero price on any other tier is an error."""
    rows = []
    for dimension in dimensions:
        begin, end = str(dimension.get("beginRange", "0")), str(dimension.get("endRange", "Inf"))
        price = _price(dimension)
        if price == 0 and begin != "0":
            raise MalformedItem("a priced tier has a zero price")
        key = tier_key(entry, begin, end)
        unit = unit_for(key, str(dimension.get("unit", "")))
        rows.append(
            PriceRow(
                service_code=service_code,
                region=region,
                key=key,
                unit=unit,
                usd=price,
                description=str(dimension.get("description", ""))[:300],
                attributes={"beginRange": begin, "endRange": end, "unit": unit, "sku": sku},
                source_ref=source_ref,
            )
        )
    return rows


def rows_without_conflicts(rows: list[PriceRow], tally: Tally) -> list[PriceRow]:
    """The rows, one per key: a key that two products price differently is dropped and both are rejected
    (which price is the region's cannot be told; the refresh's validation then sees them as rejected)."""
    by_identity: dict[tuple[str, str, str], list[PriceRow]] = {}
    for row in rows:
        by_identity.setdefault(row.identity, []).append(row)
    kept = []
    for same in by_identity.values():
        if len({row.usd for row in same}) > 1:
            tally.kept -= len(same)
            tally.reject("two products give one key different prices", len(same), key=same[0].key)
            continue
        kept.append(same[0])
    return kept
