"""Amazon Lightsail instances and container services: monthly plans billed by the hour.

Rule (Lightsail billing FAQ): each plan has a monthly price, billed by the hour at that price divided
by 744 (a 31-day month; AWS's published hourly figures, $0.0067 for the $5 plan and $0.0094 for the $7
container service, are monthly/744) and never more than the monthly price. Plans bill while they
exist, stopped or disabled included, so Lightsail cannot stop between scheduled runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from compute_advisor.engine import price_keys as keys
from compute_advisor.engine.bill import Bill
from compute_advisor.engine.capacity import count_within, machines_for, replica_use, zone_spread, zones_for
from compute_advisor.engine.money import ZERO, ceil_int
from compute_advisor.engine.options.base import Context, NotAvailable, fmt, no_purchase_model
from compute_advisor.engine.packing import SYSTEM_RESERVED_MIB, usable_memory_mib
from compute_advisor.engine.pricebook import Price
from compute_advisor.engine.reference import LightsailBundle
from compute_advisor.engine.result import LineItem, OptionResult
from compute_advisor.engine.scenario import Traffic, Workload

INSTANCE = "lightsail_instance"
CONTAINER = "lightsail_container"


def charge_plan(bill: Bill, ctx: Context, price: Price, *, count: int, what: str, category: str = "compute") -> None:
    hours = ctx.hours
    hours_per_month = Decimal(ctx.catalog.lightsail_hours_per_month)
    hourly = price.usd / hours_per_month
    if hours * hourly >= price.usd:
        line = LineItem(
            description=f"{what} (monthly price: {fmt(hours)} hours reach the cap)",
            quantity=Decimal(count),
            unit="months",
            unit_price=price.usd,
            cost=count * price.usd,
            category=category,
        )
    else:
        line = LineItem(
            description=f"{what} (billed by the hour at the monthly price / {fmt(hours_per_month)})",
            quantity=count * hours,
            unit="hours",
            unit_price=hourly,
            cost=count * hours * hourly,
            category=category,
        )
    bill.result.line_items.append(line)


def overage_gb(traffic: Traffic, allowance_gb: Decimal) -> Decimal:
    """GB charged above an allowance: the allowance counts data in and out, but only data out is charged
    (Lightsail's data transfer FAQ)."""
    out = traffic.data_transfer_out_gib
    return min(out, max(traffic.data_transfer_in_gib + out - allowance_gb, ZERO))


def charge_overage(bill: Bill, ctx: Context, *, allowance_gb: Decimal | None) -> None:
    traffic = ctx.scenario.traffic
    if traffic.data_transfer_out_gib + traffic.data_transfer_in_gib <= 0:
        return
    if allowance_gb is None:
        bill.missing("the Lightsail data transfer allowance of this plan")
        return
    overage = overage_gb(traffic, allowance_gb)
    bill.result.configuration["transfer_allowance_gb"] = allowance_gb
    if overage:
        bill.units(
            *keys.LIGHTSAIL_TRANSFER_OVERAGE.at(),
            quantity=overage,
            description=f"Lightsail data transfer out above the {fmt(allowance_gb)} GB allowance (which counts "
            "data in and out)",
            category="transfer",
            required=False,
            what="Lightsail data transfer overage",
        )


def _always_on_warning(result: OptionResult, ctx: Context, count: int, noun: str) -> None:
    plan = ctx.plan
    if plan.runs is not None:
        result.warnings.append(
            f"Lightsail bills {'an' if noun[0] in 'aeiou' else 'a'} {noun} while it exists, even stopped or disabled, "
            "so it cannot stop between "
            f"scheduled runs: priced as {count} running all month."
        )
    elif not plan.is_always_on:
        result.warnings.append(
            f"Lightsail does not scale with the hourly profile: priced as {count} {noun}"
            f"{'s' if count > 1 else ''} (the peak) all month."
        )


@dataclass(frozen=True)
class BundleFit:
    bundle: LightsailBundle
    price: Price
    per_instance: int  # replicas one instance holds
    usable_memory_gib: Decimal
    baseline_vcpu: Decimal


def bundle_fit(bundle: LightsailBundle, price: Price, workload: Workload) -> BundleFit | str:
    """How many replicas one instance of the bundle holds, or why it holds none: by vCPU, by the memory left
    after the OS's (packing.MEMORY_OVERHEAD) and by the CPU its baseline sustains (Lightsail cannot burst
    for long above it, nor buy more)."""
    usable = (
        Decimal(usable_memory_mib(bundle.memory_gib * 1024, reserved_mib=SYSTEM_RESERVED_MIB[bundle.platform])) / 1024
    )
    baseline = bundle.vcpu * Decimal(bundle.baseline_cpu_percent or 100) / 100
    use = replica_use(workload)
    limits = {
        "vCPU": count_within(bundle.vcpu, workload.vcpu),
        "memory": count_within(usable, workload.memory_gib) if usable > 0 else 0,
    }
    if use > 0:
        limits["CPU baseline"] = count_within(baseline, use)
    short = [name for name, count in limits.items() if count < 1]
    if short:
        return " and ".join(short)
    return BundleFit(bundle, price, min(limits.values()), usable, baseline)


@dataclass(frozen=True)
class Plan:
    fit: BundleFit
    count: int
    load_balancer: bool
    cost: Decimal


def monthly(ctx: Context, price: Decimal) -> Decimal:
    """A Lightsail plan's cost for the month's hours: billed by the hour at monthly / 744, capped."""
    return min(ctx.hours * price / Decimal(ctx.catalog.lightsail_hours_per_month), price)


def cheapest_plan(ctx: Context, fits: list[BundleFit]) -> Plan:
    """The cheapest bundle x count that holds the replicas over the zones asked for, with the transfer
    allowance it brings and the load balancer that two or more instances need.

    Each instance brings its own allowance, so one more instance can cost less than the overage it saves;
    a bigger bundle with a bigger allowance can too, and needs no load balancer."""
    scenario = ctx.scenario
    traffic = scenario.traffic
    replicas = ctx.plan.peak_replicas
    zones = zones_for(scenario, replicas, spreads=ctx.plan.runs is None)
    moved = traffic.data_transfer_in_gib + traffic.data_transfer_out_gib
    overage_rate = ctx.book.get(*keys.LIGHTSAIL_TRANSFER_OVERAGE.at())
    lb_price = ctx.book.get(*keys.LIGHTSAIL_LOAD_BALANCER.at())

    def wants_lb(count: int) -> bool:
        return scenario.load_balancer in ("alb", "nlb") or (
            scenario.load_balancer == "auto" and ctx.plan.runs is None and count > 1
        )

    # The same for every bundle and count: worked out once a call.
    lb_monthly = monthly(ctx, lb_price.usd) if lb_price is not None else None
    best: tuple[tuple[Decimal, int, int], Plan] | None = None
    for fitted in fits:
        least = machines_for(replicas, fitted.per_instance, zones=zones)
        counts = {least}
        allowance = fitted.bundle.transfer_gib
        if allowance and overage_rate is not None and moved > least * allowance:
            needed = ceil_int(moved / allowance)
            counts |= {max(least, needed - 1), needed}
        bundle_monthly = monthly(ctx, fitted.price.usd)
        for count in sorted(counts):
            cost = count * bundle_monthly
            if allowance is not None and overage_rate is not None:
                cost += overage_gb(traffic, Decimal(allowance * count)) * overage_rate.usd
            balanced = wants_lb(count)
            if balanced and lb_monthly is not None:
                cost += lb_monthly
            order = (cost, fitted.bundle.ordering, count)
            if best is None or order < best[0]:
                best = (order, Plan(fitted, count, balanced, cost))
    assert best is not None
    return best[1]


def fitting_bundles(ctx: Context) -> list[BundleFit]:
    """The priced bundles that hold one replica: of the workload's OS, IPv6-only when the scenario has no
    public IPv4 (they cost less), the pinned one only when pinned. The same for every replica count, so worked
    out once per price book and workload (the break-even sweep asks for many counts)."""
    scenario, workload = ctx.scenario, ctx.workload
    key = (
        "lightsail-fits",
        workload.vcpu,
        workload.memory_gib,
        workload.cpu_utilization_percent,
        workload.os,
        scenario.public_ipv4,
        scenario.option_settings.lightsail_instance.bundle,
    )
    return ctx.book.memo(key, lambda: _fitting_bundles(ctx))


def _fitting_bundles(ctx: Context) -> list[BundleFit]:
    scenario, workload = ctx.scenario, ctx.workload
    pinned = scenario.option_settings.lightsail_instance.bundle
    bundles = [b for b in ctx.catalog.lightsail_bundles if b.platform == workload.os]
    if pinned:
        bundles = [b for b in bundles if pinned in (b.bundle_id, b.bundle_id.split("_")[0], b.name.lower())]
        if not bundles:
            raise NotAvailable(f"No {workload.os.title()} Lightsail bundle is called {pinned!r}.")
        bundles = [min(bundles, key=lambda b: (b.ipv6_only != (not scenario.public_ipv4), b.ordering))]
    else:
        bundles = [b for b in bundles if b.ipv6_only == (not scenario.public_ipv4)]
    fits: list[BundleFit] = []
    refused: list[str] = []
    for bundle in bundles:
        price = ctx.book.get(*keys.LIGHTSAIL_BUNDLE.at(bundle.bundle_id))
        if price is None:
            continue
        fitted = bundle_fit(bundle, price, workload)
        if isinstance(fitted, str):
            refused.append(f"{bundle.name}: {fitted}")
        else:
            fits.append(fitted)
    if fits:
        return fits
    need = (
        f"{fmt(workload.vcpu)} vCPU, {fmt(workload.memory_gib)} GB besides the OS's memory, and "
        f"{fmt(replica_use(workload))} vCPU sustained ({fmt(workload.cpu_utilization_percent)}% average CPU)"
    )
    if pinned and refused:
        raise NotAvailable(
            f"The {refused[0].split(':')[0]} bundle cannot hold one replica of {need}: short of "
            f"{refused[0].split(': ', 1)[1]}."
        )
    raise NotAvailable(f"No priced {workload.os.title()} Lightsail bundle in {ctx.region} holds one replica of {need}.")


def price_instance(ctx: Context) -> OptionResult:
    scenario = ctx.scenario
    result = OptionResult(option=INSTANCE, label=ctx.label(INSTANCE))
    bill = Bill(ctx.book, result)
    no_purchase_model(ctx, result.label)
    workload = ctx.workload
    replicas = ctx.plan.peak_replicas
    plan = cheapest_plan(ctx, fitting_bundles(ctx))
    bundle, count = plan.fit.bundle, plan.count
    least = machines_for(
        replicas, plan.fit.per_instance, zones=zones_for(scenario, replicas, spreads=ctx.plan.runs is None)
    )
    if count > least:
        result.warnings.append(
            f"{count} instances run {replicas} replica{'s' if replicas > 1 else ''}: each instance brings "
            f"{bundle.transfer_gib} GB of transfer allowance, and the extra instances cost less than the overage."
        )
    charge_plan(
        bill,
        ctx,
        plan.fit.price,
        count=count,
        what=f"Lightsail {bundle.name} bundle ({bundle.bundle_id}) x {count}",
    )
    allowance = None if bundle.transfer_gib is None else Decimal(bundle.transfer_gib * count)
    charge_overage(bill, ctx, allowance_gb=allowance)
    if plan.load_balancer:
        lb = bill.price(*keys.LIGHTSAIL_LOAD_BALANCER.at(), required=False, what="the Lightsail load balancer")
        if lb is not None:
            charge_plan(bill, ctx, lb, count=1, what="Lightsail load balancer", category="load_balancer")
    result.configuration.update(
        {
            "bundle": bundle.bundle_id,
            "bundle_name": bundle.name,
            "instances": count,
            "replicas_per_instance": plan.fit.per_instance,
            "vcpu": bundle.vcpu,
            "memory_gib": bundle.memory_gib,
            "usable_memory_gib": plan.fit.usable_memory_gib,
            "baseline_vcpu": plan.fit.baseline_vcpu,
            "ipv6_only": bundle.ipv6_only,
            "load_balancer": plan.load_balancer,
        }
    )
    if bundle.baseline_cpu_percent and bundle.baseline_cpu_percent < 100:
        held = min(plan.fit.per_instance, -(-replicas // count))
        result.warnings.append(
            f"Lightsail bundles are burstable: the {bundle.name} bundle sustains {bundle.baseline_cpu_percent}% "
            f"of each vCPU ({fmt(plan.fit.baseline_vcpu)} vCPU); its {held} replica{'s' if held > 1 else ''} at "
            f"{fmt(workload.cpu_utilization_percent)}% average CPU use {fmt(held * replica_use(workload))} vCPU."
        )
    elif bundle.baseline_cpu_percent is None:
        result.warnings.append(
            f"AWS publishes no baseline CPU for the {bundle.name} bundle: it is taken to sustain all its vCPUs."
        )
    if workload.architecture == "arm64":
        result.warnings.append("Lightsail instances are x86_64: build the image for amd64 (or multi-arch).")
    zone_spread(result, scenario, replicas=replicas, machines=count, spreads=ctx.plan.runs is None, noun="instance")
    _always_on_warning(result, ctx, count, "instance")
    return result


def price_container(ctx: Context) -> OptionResult:
    scenario, workload = ctx.scenario, ctx.workload
    result = OptionResult(option=CONTAINER, label=ctx.label(CONTAINER))
    bill = Bill(ctx.book, result)
    no_purchase_model(ctx, result.label)
    if workload.os == "windows":
        raise NotAvailable("Lightsail container services run Linux containers only.")
    pinned = scenario.option_settings.lightsail_container.power
    powers = [p for p in ctx.catalog.lightsail_powers if not pinned or p.power == pinned]
    if pinned and not powers:
        raise NotAvailable(f"Lightsail has no container power called {pinned!r} in the catalog.")
    priced = [(p, ctx.book.get(*keys.LIGHTSAIL_CONTAINER_POWER.at(p.power))) for p in powers]
    fitting = [
        (p, q) for p, q in priced if q is not None and p.vcpu >= workload.vcpu and p.memory_gib >= workload.memory_gib
    ]
    if not fitting:
        raise NotAvailable(
            f"No priced Lightsail container power in {ctx.region} has {fmt(workload.vcpu)} vCPU and "
            f"{fmt(workload.memory_gib)} GB for one replica."
        )
    power, power_price = min(fitting, key=lambda pair: (pair[1].usd, pair[0].ordering))
    assert power_price is not None
    nodes = ctx.plan.peak_replicas
    scale = ctx.catalog.lightsail_container_max_scale
    if nodes > scale:
        raise NotAvailable(f"A Lightsail container service runs at most {scale} nodes; the workload needs {nodes}.")
    charge_plan(bill, ctx, power_price, count=nodes, what=f"Lightsail container nodes, {power.power} power x {nodes}")
    charge_overage(bill, ctx, allowance_gb=Decimal(ctx.catalog.lightsail_container_transfer_gb))
    result.configuration.update(
        {"power": power.power, "nodes": nodes, "node_vcpu": power.vcpu, "node_memory_gib": power.memory_gib}
    )
    if workload.architecture == "arm64":
        result.warnings.append("Lightsail container services run x86_64: build the image for amd64 (or multi-arch).")
    _always_on_warning(result, ctx, nodes, "node")
    return result
