"""Reads for the catalog pages and the API's catalog: the engine's reference data, and prices in a snapshot.

The services, sizes, bundles, powers and instance types are the records the engine prices against
(`compute_advisor.engine.reference`), read as plain Python: there is no copy of them in the database to drift.
Only prices come from the database, from a snapshot.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from django.db.models import Q

from compute_advisor.engine import price_keys, reference
from compute_advisor.engine.price_keys import PriceKey
from compute_advisor.engine.reference import (
    AppRunnerSize,
    InstanceType,
    LightsailBundle,
    LightsailPower,
    ServiceInfo,
    TaskSize,
)
from pricing.models import Price, PriceSnapshot

# The prices each service page lists: the price-key registry's entries for that option. EC2 instance hours
# are listed on the instance-type page instead (there are too many for a service page), Lightsail bundles
# and powers in tables of their own, and Savings Plans rates not at all.
SERVICE_PRICE_TABLES: dict[str, tuple[PriceKey, ...]] = {
    code: tuple(k for k in price_keys.for_option(code) if k.on_service_page) for code in reference.SERVICE_CODES
}


def service_list() -> tuple[ServiceInfo, ...]:
    """The services, in the catalog's order, each with its notices (oldest first)."""
    return reference.services()


def service_get(*, code: str) -> ServiceInfo | None:
    return next((service for service in reference.services() if service.code == code), None)


@dataclass(frozen=True)
class FargateCpuRow:
    vcpu: Decimal
    cpu_units: int
    memory_gib: list[Decimal]
    linux: bool
    windows: bool
    note: str

    @property
    def memory_summary(self) -> str:
        values = self.memory_gib
        steps = {b - a for a, b in pairwise(values)}
        if len(values) > 3 and len(steps) == 1:
            return f"{_num(values[0])} to {_num(values[-1])} GiB in {_num(steps.pop())} GiB steps"
        return ", ".join(_num(v) for v in values) + " GiB"


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def fargate_cpu_rows() -> list[FargateCpuRow]:
    """One row per Fargate vCPU size, with the memory sizes that go with it."""
    grouped: OrderedDict[Decimal, list[TaskSize]] = OrderedDict()
    for size in reference.fargate_task_sizes():
        grouped.setdefault(size.vcpu, []).append(size)
    return [
        FargateCpuRow(
            vcpu=vcpu,
            cpu_units=sizes[0].cpu_units,
            memory_gib=[s.memory_gib for s in sizes],
            linux="linux" in sizes[0].os,
            windows="windows" in sizes[0].os,
            note=sizes[0].note,
        )
        for vcpu, sizes in grouped.items()
    ]


def fargate_task_sizes() -> tuple[TaskSize, ...]:
    return reference.fargate_task_sizes()


def app_runner_sizes() -> tuple[AppRunnerSize, ...]:
    return reference.app_runner_sizes()


def lightsail_bundles() -> tuple[LightsailBundle, ...]:
    return reference.lightsail_bundles()


def lightsail_powers() -> tuple[LightsailPower, ...]:
    return reference.lightsail_powers()


@dataclass(frozen=True)
class Priced:
    """A catalog item beside its price in one snapshot and region; price None means no sourced figure."""

    item: object
    price: Price | None


def lightsail_bundles_priced(*, snapshot: PriceSnapshot | None, region: str) -> list[Priced]:
    prices = _prices(snapshot, region, price_keys.LIGHTSAIL_BUNDLE)
    return [
        Priced(b, prices.get(price_keys.LIGHTSAIL_BUNDLE.at(b.bundle_id)[1])) for b in reference.lightsail_bundles()
    ]


def lightsail_powers_priced(*, snapshot: PriceSnapshot | None, region: str) -> list[Priced]:
    prices = _prices(snapshot, region, price_keys.LIGHTSAIL_CONTAINER_POWER)
    return [
        Priced(p, prices.get(price_keys.LIGHTSAIL_CONTAINER_POWER.at(p.power)[1])) for p in reference.lightsail_powers()
    ]


def _prices(snapshot: PriceSnapshot | None, region: str, family: PriceKey) -> dict[str, Price]:
    """The prices of one family of keys (`Bundle:<bundle id>`) in a snapshot and region, by key."""
    if snapshot is None:
        return {}
    rows = snapshot.prices.filter(service_code=family.service_code, region=region, key__startswith=family.prefix)
    return {p.key: p for p in rows.select_related("source") if family.matches(p.service_code, p.key)}


def service_prices(*, snapshot: PriceSnapshot | None, code: str, region: str) -> list[Price]:
    """The prices a service page lists, grouped by Price List service in the registry's order, then by name."""
    table = SERVICE_PRICE_TABLES.get(code, ())
    if snapshot is None or not table:
        return []
    match = Q()
    for entry in table:
        if entry.is_pattern:
            match |= Q(service_code=entry.service_code, key__startswith=entry.prefix)
        else:
            match |= Q(service_code=entry.service_code, key=entry.key)
    rows = snapshot.prices.filter(match, region=region).select_related("source")
    groups = list(dict.fromkeys(entry.service_code for entry in table))
    listed = [p for p in rows if any(entry.matches(p.service_code, p.key) for entry in table)]
    return sorted(listed, key=lambda p: (groups.index(p.service_code), p.description or p.key))


def price_sources(priced: list[Priced]) -> list[object]:
    """The distinct sources behind a table of priced items, to cite under it."""
    seen: dict[int, object] = {}
    for row in priced:
        if row.price is not None and row.price.source is not None:
            seen.setdefault(row.price.source.pk, row.price.source)
    return list(seen.values())


@dataclass(frozen=True)
class InstanceTypeFilter:
    family: str = ""
    architecture: str = ""
    min_vcpu: int | None = None
    min_memory_gib: Decimal | None = None
    priced_only: bool = False


def _catalog_order(instance: InstanceType) -> tuple[object, ...]:
    # By family, then size; a type whose size no source gave comes first in its family, then by name.
    return (
        instance.family,
        instance.vcpu is not None,
        instance.vcpu or 0,
        instance.memory_mib is not None,
        instance.memory_mib or 0,
        instance.name,
    )


def instance_types_matching(*, filters: InstanceTypeFilter) -> list[InstanceType]:
    """The 1,392 instance types filtered in memory: a type of unknown size never meets a minimum."""
    min_memory_mib = int(filters.min_memory_gib * 1024) if filters.min_memory_gib else None
    return [
        t
        for t in sorted(reference.instance_types(), key=_catalog_order)
        if (not filters.family or t.family == filters.family)
        and (not filters.architecture or t.architecture == filters.architecture)
        and (filters.min_vcpu is None or (t.vcpu is not None and t.vcpu >= filters.min_vcpu))
        and (min_memory_mib is None or (t.memory_mib is not None and t.memory_mib >= min_memory_mib))
    ]


def instance_types_priced(*, snapshot: PriceSnapshot | None, region: str, filters: InstanceTypeFilter) -> list[Priced]:
    prices = _prices(snapshot, region, price_keys.EC2_INSTANCE)
    priced = [
        Priced(t, prices.get(price_keys.EC2_INSTANCE.at(t.name)[1])) for t in instance_types_matching(filters=filters)
    ]
    if filters.priced_only:
        priced = [p for p in priced if p.price is not None]
    return priced


def instance_families() -> list[str]:
    return sorted({t.family for t in reference.instance_types()})
