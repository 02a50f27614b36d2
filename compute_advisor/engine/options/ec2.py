"""EC2 instances and their EBS root volumes, shared by ECS on EC2 and Elastic Beanstalk.

EC2 Linux bills per second with a 60-second minimum; EBS bills per GB-month (gp3 adds IOPS above
3,000 and throughput above 125 MiB/s), prorated by the second while the volume exists, which here is
while its instance runs (root volumes are deleted with the instance).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from compute_advisor.engine import price_keys as keys
from compute_advisor.engine.bill import Bill, PriceMissing
from compute_advisor.engine.capacity import Burst, replica_use
from compute_advisor.engine.money import ZERO
from compute_advisor.engine.options.base import PURCHASE_NAMES, Context, NotAvailable, rate_key
from compute_advisor.engine.pricebook import Price
from compute_advisor.engine.reference import InstanceType, SpotAdvice
from compute_advisor.engine.usage import BilledHours

EC2_MINIMUM_SECONDS = Decimal(60)
GP3_FREE_IOPS = 3000
GP3_FREE_THROUGHPUT_MIBPS = 125
DERIVED_RATE = Decimal("1E-10")  # a derived hourly rate keeps at most 10 decimals (the contract's unit_price)
SPOT_WARNING = "Spot instances can be reclaimed with a two-minute warning; keep spare capacity for interruptions."


@dataclass(frozen=True)
class Volume:
    size_gb: Decimal
    kind: str = "gp3"
    iops: int = GP3_FREE_IOPS
    throughput_mibps: int = GP3_FREE_THROUGHPUT_MIBPS


def instance_key(ctx: Context, name: str) -> tuple[str, str]:
    """Where the hourly rate of one instance type lives for the scenario's purchase model."""
    if ctx.scenario.purchase == "spot":
        return keys.EC2_SPOT_INSTANCE.at(name)
    return rate_key(ctx, *keys.EC2_INSTANCE.at(name))


def instance_price(ctx: Context, name: str) -> Price | None:
    """One instance type's hourly rate for the scenario's purchase model.

    The Price List has no Spot rates. A snapshot may carry one (SpotUsage:<type>); otherwise the rate is
    derived from the type's On-Demand rate and the Spot Advisor's average saving for that type in the region
    (`spot_advice`: the snapshot's own figure, else the bundled copy's), and says so and from which copy.
    """
    price = ctx.book.get(*instance_key(ctx, name))
    if price is not None or ctx.scenario.purchase != "spot":
        return price
    advice = spot_advice(ctx, name)
    on_demand = ctx.book.get(*keys.EC2_INSTANCE.at(name))
    if advice is None or on_demand is None:
        return None
    return Price(
        usd=(on_demand.usd * (100 - advice.saving_percent) / 100).quantize(DERIVED_RATE),
        unit=on_demand.unit,
        description=f"{name} Spot, Linux: derived",
        source=spot_derivation(advice, on_demand.usd),
    )


def spot_advice(ctx: Context, name: str) -> SpotAdvice | None:
    """The Spot Advisor's saving and interruption band for one type in the scenario's region.

    A refresh that read the Advisor's feed put the region's figures in the snapshot (`SpotSaving:<type>`, its
    band and the day it was read in the row's attributes): they are newer than the bundled copy, so they win.
    A type the snapshot has no figure for falls back to the bundled copy's figure for the same type and
    region; a figure is never taken from another region or type (the price book is the region's, and both
    lookups are by the type's own name).
    """
    row = ctx.book.get(*keys.EC2_SPOT_SAVING.at(name))
    band = row.attributes.get("interruption_band") if row is not None else None
    if row is not None and isinstance(band, str) and band:
        return SpotAdvice(row.usd, band, source=snapshot_spot_source(ctx, row))
    return ctx.catalog.spot_advice(ctx.region).get(name)


def snapshot_spot_source(ctx: Context, row: Price) -> str:
    """How a line item names a snapshot's Advisor figure: the day the feed was read, and the row's source."""
    read_on = row.attributes.get("read_on") or ctx.book.snapshot.as_of or "an unknown date"
    return f"the price snapshot's copy of {read_on}" + (f", source {row.source}" if row.source else "")


def spot_derivation(advice: SpotAdvice, on_demand: Decimal) -> str:
    return (
        f"derived from the On-Demand ${fmt_gb(on_demand)} less the Spot Advisor's average saving of "
        f"{fmt_gb(Decimal(advice.saving_percent))}% (from {advice.source})"
    )


def spot_terms(ctx: Context, name: str) -> dict[str, object]:
    """What the configuration says of a Spot group's type: how often AWS interrupted it, where its rate comes
    from, and which copy of the Spot Advisor's feed gave the band (and the saving of a derived rate)."""
    advice = spot_advice(ctx, name)
    carried = ctx.book.get(*keys.EC2_SPOT_INSTANCE.at(name)) is not None
    return {
        "interruption_band": advice.interruption_band if advice else None,
        "spot_price": "price snapshot"
        if carried or advice is None
        else f"derived from the Spot Advisor's average saving (from {advice.source})",
        "spot_advisor": advice.source if advice else None,
    }


def spot_warnings(ctx: Context, name: str) -> list[str]:
    advice = spot_advice(ctx, name)
    band = (
        f"the Spot Advisor puts {name}'s interruptions in {ctx.region} at {advice.interruption_band} of "
        f"instances a month (from {advice.source})"
        if advice
        else f"the Spot Advisor has no interruption figure for {name} in {ctx.region}"
    )
    return [SPOT_WARNING, f"Spot interruption frequency: {band}."]


def priced_instance_types(ctx: Context, *, architecture: str) -> list[tuple[InstanceType, Decimal]]:
    """Every instance type of the architecture with a rate in the snapshot, beside that rate."""
    key = ("ec2-rates", architecture, instance_key(ctx, "*"))
    return ctx.book.memo(key, lambda: _priced_instance_types(ctx, architecture=architecture))


def _priced_instance_types(ctx: Context, *, architecture: str) -> list[tuple[InstanceType, Decimal]]:
    if ctx.workload.os == "windows":
        raise NotAvailable(
            f"The price snapshot has no Windows EC2 instance prices for {ctx.region}; a refresh from the AWS "
            "Price List adds them."
        )
    priced = []
    for name, instance in ctx.catalog.instance_types.items():
        if instance.architecture != architecture or instance.vcpu is None or instance.memory_mib is None:
            continue
        price = instance_price(ctx, name)
        if price is not None:
            priced.append((instance, price.usd))
    if not priced:
        raise NotAvailable(
            f"The price snapshot has no {PURCHASE_NAMES[ctx.scenario.purchase]} EC2 prices for {architecture} "
            f"instances in {ctx.region}."
        )
    return priced


def volume_month_rate(ctx: Context, volume: Volume) -> Decimal:
    """The monthly cost of one volume, to compare instance types before billing it line by line."""
    book = ctx.book
    size = book.get(*keys.EBS_STORAGE[volume.kind].at())
    total = volume.size_gb * size.usd if size else ZERO
    if volume.kind == "gp3":
        iops = book.get(*keys.EBS_GP3_IOPS.at())
        throughput = book.get(*keys.EBS_GP3_THROUGHPUT.at())
        if iops:
            total += (volume.iops - GP3_FREE_IOPS) * iops.usd
        if throughput:
            total += Decimal(volume.throughput_mibps - GP3_FREE_THROUGHPUT_MIBPS) / 1024 * throughput.usd
    return total


def charge_volumes(bill: Bill, ctx: Context, volume: Volume, *, instance_hours: BilledHours) -> None:
    months = instance_hours.times(1 / ctx.hours)  # volume-months: each volume exists while its instance runs
    kind = volume.kind
    bill.units(
        *keys.EBS_STORAGE[kind].at(),
        quantity=months.times(volume.size_gb),
        description=f"EBS {kind} root volumes ({fmt_gb(volume.size_gb)} GB each)",
        category="storage",
        required=False,
        what=f"EBS {kind} storage",
    )
    if kind == "gp3" and volume.iops > GP3_FREE_IOPS:
        bill.units(
            *keys.EBS_GP3_IOPS.at(),
            quantity=months.times(Decimal(volume.iops - GP3_FREE_IOPS)),
            description=f"EBS gp3 IOPS above the free 3,000 ({volume.iops} provisioned)",
            category="storage",
            required=False,
            what="EBS gp3 IOPS",
        )
    if kind == "gp3" and volume.throughput_mibps > GP3_FREE_THROUGHPUT_MIBPS:
        bill.units(
            *keys.EBS_GP3_THROUGHPUT.at(),
            # The Price List prices gp3 throughput per GiBps-month; 1 GiBps is 1,024 MiB/s.
            quantity=months.times(Decimal(volume.throughput_mibps - GP3_FREE_THROUGHPUT_MIBPS) / 1024),
            description=f"EBS gp3 throughput above the free 125 MiB/s ({volume.throughput_mibps} MiB/s provisioned)",
            category="storage",
            required=False,
            what="EBS gp3 throughput",
        )


def charge_instances(
    bill: Bill, ctx: Context, instance: InstanceType, *, instance_hours: BilledHours, count: int, burst: Burst | None
) -> None:
    purchase = ctx.scenario.purchase
    kind = {"on_demand": "On-Demand", "spot": "Spot"}.get(purchase, PURCHASE_NAMES[purchase])
    price = instance_price(ctx, instance.name)
    if price is None:
        raise PriceMissing(*instance_key(ctx, instance.name), ctx.region)
    derived = f"; rate {price.source}" if purchase == "spot" and price.source.startswith("derived") else ""
    bill.charge_hours(
        price,
        hours=instance_hours,
        description=f"EC2 {instance.name} instances, Linux, {kind} (up to {count} at once{derived})",
    )
    if purchase == "spot":
        bill.result.warnings += [w for w in spot_warnings(ctx, instance.name) if w not in bill.result.warnings]
    if burst is not None:
        use = replica_use(ctx.workload)
        mode = (
            "unlimited mode (the default): CPU above it is charged as surplus credits"
            if burst.unlimited
            else "standard mode (the default): it cannot run above it, so each instance holds only the tasks it "
            "sustains"
        )
        bill.result.configuration.update(
            {"credit_mode": "unlimited" if burst.unlimited else "standard", "baseline_vcpu": burst.baseline_vcpu}
        )
        bill.result.warnings.append(
            f"{instance.name} is burstable: it sustains {fmt_gb(burst.baseline_percent)}% of each vCPU "
            f"({fmt_gb(burst.baseline_vcpu)} vCPU), in {mode}. Each replica is taken to keep "
            f"{fmt_gb(ctx.workload.cpu_utilization_percent)}% of its vCPU busy ({fmt_gb(use)} vCPU)."
        )


def surplus_credit_key(burst: Burst) -> tuple[str, str]:
    """Where the surplus credit rate of a burstable family lives (Linux: Windows EC2 is not priced)."""
    return keys.EC2_CPU_CREDITS.at(burst.family, "Linux")


def charge_surplus_credits(bill: Bill, ctx: Context, burst: Burst, *, vcpu_hours: BilledHours) -> None:
    """Unlimited mode's surplus credits: the vCPU-hours above the baseline that a day's quieter hours do not
    pay back (`engine.capacity`), at AWS's rate per vCPU-hour for the family and OS."""
    bill.hourly(
        *surplus_credit_key(burst),
        hours=vcpu_hours,
        description=f"EC2 surplus CPU credits, {burst.family} unlimited mode, Linux (vCPU-hours above the baseline)",
        required=False,
        what=f"EC2 {burst.family} surplus CPU credits",
    )


def fmt_gb(value: Decimal) -> str:
    return format(value.normalize(), "f")


def undominated(
    ctx: Context, types: list[tuple[InstanceType, Decimal]], *, limits: Callable[[InstanceType], tuple[int, ...]]
) -> list[tuple[InstanceType, Decimal]]:
    """Drop every type that another type beats on price while holding at least as much of everything.

    A type with at least the vCPU, memory and task limits of another, for no more money, needs no more
    instances for any workload, so the other never wins: comparing the rest gives the same choice.
    """
    kept: list[tuple[InstanceType, Decimal, tuple[int, ...]]] = []
    for instance, rate in sorted(types, key=lambda pair: (pair[1], pair[0].name)):
        mine = (instance.vcpu or 0, instance.memory_mib or 0, *limits(instance))
        if any(all(a >= b for a, b in zip(theirs, mine, strict=True)) for _, _, theirs in kept):
            continue
        kept.append((instance, rate, mine))
    return [(instance, rate) for instance, rate, _ in kept]
