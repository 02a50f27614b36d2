"""Amazon Lightsail instances and container services: monthly plans billed by the hour.

Rule (Lightsail billing FAQ): each plan has a monthly price, billed by the hour at that price divided
by 744 (a 31-day month; AWS's published hourly figures, $0.0067 for the $5 plan and $0.0094 for the $7
container service, are monthly/744) and never more than the monthly price. Plans bill while they
exist, stopped or disabled included, so Lightsail cannot stop between scheduled runs.
"""

from __future__ import annotations

from decimal import Decimal

from compute_advisor.engine import price_keys as keys
from compute_advisor.engine.bill import Bill
from compute_advisor.engine.money import ZERO, ceil_int
from compute_advisor.engine.options.base import Context, NotAvailable, fmt, no_purchase_model
from compute_advisor.engine.pricebook import Price
from compute_advisor.engine.reference import LightsailBundle
from compute_advisor.engine.result import LineItem, OptionResult

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


def charge_overage(bill: Bill, ctx: Context, *, allowance_gb: Decimal | None) -> None:
    out = ctx.scenario.traffic.data_transfer_out_gib
    if out <= 0:
        return
    if allowance_gb is None:
        bill.missing("the Lightsail data transfer allowance of this plan")
        return
    overage = max(out - allowance_gb, ZERO)
    bill.result.configuration["transfer_allowance_gb"] = allowance_gb
    if overage:
        bill.units(
            *keys.LIGHTSAIL_TRANSFER_OVERAGE.at(),
            quantity=overage,
            description=f"Lightsail data transfer out above the {fmt(allowance_gb)} GB allowance",
            category="transfer",
            required=False,
            what="Lightsail data transfer overage",
        )


def _always_on_warning(result: OptionResult, ctx: Context, count: int, noun: str) -> None:
    plan = ctx.plan
    if plan.runs is not None:
        result.warnings.append(
            f"Lightsail bills a {noun} while it exists, even stopped or disabled, so it cannot stop between "
            f"scheduled runs: priced as {count} running all month."
        )
    elif not plan.is_always_on:
        result.warnings.append(
            f"Lightsail does not scale with the hourly profile: priced as {count} {noun}"
            f"{'s' if count > 1 else ''} (the peak) all month."
        )


def _fitting_bundles(ctx: Context) -> list[tuple[LightsailBundle, Price]]:
    """The priced bundles of the workload's OS that hold one replica (the pinned one only, when pinned)."""
    workload = ctx.scenario.workload
    pinned = ctx.scenario.option_settings.lightsail_instance.bundle
    bundles = [b for b in ctx.catalog.lightsail_bundles if b.platform == workload.os]
    if pinned:
        bundles = [b for b in bundles if pinned in (b.bundle_id, b.bundle_id.split("_")[0], b.name.lower())]
        if not bundles:
            raise NotAvailable(f"No {workload.os.title()} Lightsail bundle is called {pinned!r}.")
    priced = [(b, ctx.book.get(*keys.LIGHTSAIL_BUNDLE.at(b.bundle_id))) for b in bundles]
    fitting = [
        (b, p) for b, p in priced if p is not None and b.vcpu >= workload.vcpu and b.memory_gib >= workload.memory_gib
    ]
    if not fitting:
        if pinned and priced:
            b = priced[0][0]
            raise NotAvailable(
                f"The {b.name} bundle ({fmt(b.vcpu)} vCPU, {fmt(b.memory_gib)} GB) does not fit one replica of "
                f"{fmt(workload.vcpu)} vCPU and {fmt(workload.memory_gib)} GB."
            )
        raise NotAvailable(
            f"No priced {workload.os.title()} Lightsail bundle in {ctx.region} has {fmt(workload.vcpu)} vCPU and "
            f"{fmt(workload.memory_gib)} GB."
        )
    return [(b, p) for b, p in fitting if p is not None]


def price_instance(ctx: Context) -> OptionResult:
    scenario = ctx.scenario
    result = OptionResult(option=INSTANCE, label=ctx.label(INSTANCE))
    bill = Bill(ctx.book, result)
    no_purchase_model(ctx, result.label)
    fitting = _fitting_bundles(ctx)
    workload = scenario.workload
    replicas = ctx.plan.peak_replicas
    overage_rate = ctx.book.get(*keys.LIGHTSAIL_TRANSFER_OVERAGE.at())
    out = scenario.traffic.data_transfer_out_gib
    cap_hours = Decimal(ctx.catalog.lightsail_hours_per_month)

    def best_count(bundle: LightsailBundle, plan_price: Decimal) -> tuple[Decimal, int]:
        """The cheapest instance count of this bundle for the replicas, with transfer overage counted.

        Each instance brings its own transfer allowance; when an allowance is worth more than the plan,
        one more instance costs less than the overage it saves.
        """
        plan = min(ctx.hours * plan_price / cap_hours, plan_price)
        counts = {replicas}
        if bundle.transfer_gib and overage_rate is not None and out > replicas * bundle.transfer_gib:
            needed = ceil_int(out / bundle.transfer_gib)
            counts |= {max(replicas, needed - 1), max(replicas, needed)}

        def total(count: int) -> Decimal:
            allowance = Decimal((bundle.transfer_gib or 0) * count)
            overage = max(out - allowance, ZERO) * overage_rate.usd if overage_rate else ZERO
            return count * plan + overage

        count = min(counts, key=lambda c: (total(c), c))
        return total(count), count

    choices = [(best_count(b, p.usd), b, p) for b, p in fitting]
    (_, count), bundle, bundle_price = min(choices, key=lambda c: (c[0][0], c[1].ordering))
    if count > replicas:
        result.warnings.append(
            f"{count} instances run {replicas} replica{'s' if replicas > 1 else ''}: each instance brings "
            f"{bundle.transfer_gib} GB of transfer allowance, and the extra instances cost less than the overage."
        )
    charge_plan(
        bill,
        ctx,
        bundle_price,
        count=count,
        what=f"Lightsail {bundle.name} bundle ({bundle.bundle_id}) x {count}",
    )
    allowance = None if bundle.transfer_gib is None else Decimal(bundle.transfer_gib * count)
    charge_overage(bill, ctx, allowance_gb=allowance)
    wants_lb = scenario.load_balancer in ("alb", "nlb") or (
        scenario.load_balancer == "auto" and ctx.plan.runs is None and count > 1
    )
    if wants_lb:
        lb = bill.price(*keys.LIGHTSAIL_LOAD_BALANCER.at(), required=False, what="the Lightsail load balancer")
        if lb is not None:
            charge_plan(bill, ctx, lb, count=1, what="Lightsail load balancer", category="load_balancer")
    result.configuration.update(
        {
            "bundle": bundle.bundle_id,
            "bundle_name": bundle.name,
            "instances": count,
            "vcpu": bundle.vcpu,
            "memory_gib": bundle.memory_gib,
            "load_balancer": wants_lb,
        }
    )
    if bundle.baseline_cpu_percent:
        result.warnings.append(
            f"Lightsail bundles are burstable: the {bundle.name} bundle sustains {bundle.baseline_cpu_percent}% "
            "of each vCPU and bursts above it only while it has burst capacity."
        )
    if workload.architecture == "arm64":
        result.warnings.append("Lightsail instances are x86_64: build the image for amd64 (or multi-arch).")
    _always_on_warning(result, ctx, count, "instance")
    return result


def price_container(ctx: Context) -> OptionResult:
    scenario, workload = ctx.scenario, ctx.scenario.workload
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
