"""ECS on EC2: tasks packed onto the cheapest instance type that fits, instances per hour of usage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from compute_advisor.engine import price_keys as keys
from compute_advisor.engine.bill import Bill
from compute_advisor.engine.capacity import (
    Burst,
    instance_burst,
    machines_for,
    replica_use,
    surplus_vcpu_hours,
    tasks_within_baseline,
    zone_spread,
    zones_for,
)
from compute_advisor.engine.money import ZERO
from compute_advisor.engine.network import (
    charge_public_ipv4,
    load_balancer_kind,
)
from compute_advisor.engine.options.base import Context, NotAvailable, charge_front, charge_transfer, fmt
from compute_advisor.engine.options.ec2 import (
    EC2_MINIMUM_SECONDS,
    Volume,
    charge_instances,
    charge_surplus_credits,
    charge_volumes,
    priced_instance_types,
    spot_terms,
    surplus_credit_key,
    undominated,
    volume_month_rate,
)
from compute_advisor.engine.packing import (
    Fit,
    TaskShape,
    awsvpc_task_limit,
    fit,
    registered_memory_mib,
)
from compute_advisor.engine.reference import InstanceType
from compute_advisor.engine.result import OptionResult
from compute_advisor.engine.triggers import charge_trigger
from compute_advisor.engine.usage import BilledHours, UsagePlan, billed_hours

OPTION = "ecs_ec2"
IPV4_HOURLY_KEY = keys.PUBLIC_IPV4_IN_USE.at()


def instances(ctx: Context, per_instance: int) -> Callable[[int], int]:
    """Instances running for a given number of replicas: packed `per_instance`, spread over the zones asked
    for when the tasks are a service (scheduled runs are not)."""
    spreads = ctx.plan.runs is None
    return lambda replicas: machines_for(
        replicas, per_instance, zones=zones_for(ctx.scenario, replicas, spreads=spreads)
    )


def instance_hours(plan: UsagePlan, running: Callable[[int], int]) -> tuple[BilledHours, int]:
    """Instance-hours a month and the most instances running at once."""
    if plan.runs is not None:
        count = running(plan.runs.replicas)
        billed = max(plan.runs.seconds, EC2_MINIMUM_SECONDS)
        return BilledHours(count * plan.runs.count * billed / 3600), count
    hours = billed_hours(plan, running)
    return hours, max(running(s.replicas) for s in plan.segments)


def fit_sustained(ctx: Context, fitted: Fit | None) -> tuple[Fit | None, Burst | None]:
    """The fit once sustained CPU is counted: a type that cannot run above its baseline (T2's standard mode)
    holds only the tasks its baseline sustains, and none at all when one task needs more."""
    if fitted is None:
        return None, None
    burst = instance_burst(fitted.instance_type, ctx.catalog.burstable)
    limit = tasks_within_baseline(burst, replica_use(ctx.workload))
    if limit is None or limit >= fitted.tasks_per_instance:
        return fitted, burst
    if limit < 1:
        return None, burst
    return replace(fitted, tasks_per_instance=limit, limited_by="CPU baseline"), burst


def surplus(ctx: Context, fitted: Fit, burst: Burst | None) -> BilledHours | None:
    """Surplus vCPU-hours a month on an unlimited-mode type (None for a type that has none to pay)."""
    if burst is None or not burst.unlimited:
        return None
    plan = ctx.plan
    run_hours = max(plan.runs.seconds, EC2_MINIMUM_SECONDS) / 3600 if plan.runs else None
    hours = surplus_vcpu_hours(
        plan,
        machines=instances(ctx, fitted.tasks_per_instance),
        use=replica_use(ctx.workload),
        burst=burst,
        run_hours=run_hours,
    )
    return hours if hours.total > 0 else None


Priced = tuple[Decimal, "Choice"]


CapacityRow = tuple[int, int, int, InstanceType, Decimal, float, bool]
HoldingRow = tuple[int, InstanceType, Decimal, float, bool]


def capacity_key(ctx: Context, candidates: list[tuple[InstanceType, Decimal]], what: str) -> tuple[object, ...]:
    """The key under which the price book remembers `what` is worked out of these candidates (one architecture)
    and the ECS on EC2 settings that decide what an instance offers tasks."""
    settings = ctx.scenario.option_settings.ecs_ec2
    return (
        what,
        tuple(sorted(t.name for t, _ in candidates)) if settings.instance_types else "all",
        candidates[0][0].architecture if candidates else "",
        ctx.scenario.purchase,
        settings.network_mode,
        settings.eni_trunking,
        settings.reserved_memory_mib,
    )


def capacities(ctx: Context, candidates: list[tuple[InstanceType, Decimal]]) -> list[CapacityRow]:
    """What each type offers tasks, in plain integers, once per price book and settings."""
    settings = ctx.scenario.option_settings.ecs_ec2
    table, specs = ctx.catalog.eni_trunking, ctx.catalog.burstable

    def build() -> list[CapacityRow]:
        rows = []
        for instance, rate in candidates:
            assert instance.vcpu is not None
            memory = registered_memory_mib(instance, reserved_mib=settings.reserved_memory_mib)
            if settings.network_mode == "awsvpc":
                eni = awsvpc_task_limit(instance, trunking=settings.eni_trunking, trunking_table=table) or 0
            else:
                eni = 1 << 30
            rows.append((instance.vcpu * 1024, memory, eni, instance, rate, float(rate), instance.name in specs))
        return rows

    return ctx.book.memo(capacity_key(ctx, candidates, "ec2-capacity"), build)


def holding(ctx: Context, candidates: list[tuple[InstanceType, Decimal]], task: TaskShape) -> list[HoldingRow]:
    """The types worth ranking for a task size, with the tasks each instance holds, once per task size.

    The instances a type needs depend only on the tasks it holds, so of the types that hold as many tasks only
    the lowest rate can be cheapest: the others cost more for the same instance-hours, whatever the usage.
    Burstable types are all kept (their baseline and credits change their cost)."""
    task_cpu, task_memory = task.cpu_units, task.memory_mib

    def build() -> list[HoldingRow]:
        lowest: dict[int, Decimal] = {}
        rows = []
        for cpu, memory, eni, instance, rate, rate_f, bursts in capacities(ctx, candidates):
            per = min(cpu // task_cpu, memory // task_memory if memory > 0 else 0, eni)
            if per < 1:
                continue
            rows.append((per, instance, rate, rate_f, bursts))
            if not bursts and (per not in lowest or rate < lowest[per]):
                lowest[per] = rate
        return [row for row in rows if row[4] or row[2] == lowest[row[0]]]

    return ctx.book.memo((*capacity_key(ctx, candidates, "ec2-capacity"), task_cpu, task_memory), build)


def shortlist(
    ctx: Context, candidates: list[tuple[InstanceType, Decimal]], task: TaskShape, per_instance_hour: Decimal
) -> list[tuple[InstanceType, Decimal, Priced | None]]:
    """The few candidates worth pricing exactly: a quick pass in integers and floats ranks them all.

    Only the ranking uses floats; every type within a hair of the cheapest is priced again in Decimal,
    so float rounding can never pick the wrong type. Burstable types (a few dozen) are ranked by their
    exact cost, surplus credits included, which comes back with them so that it is not worked out again.
    """
    plan = ctx.plan
    spreads = plan.runs is None
    if plan.runs is not None:
        shape = [(plan.runs.replicas, float(plan.runs.count * max(plan.runs.seconds, EC2_MINIMUM_SECONDS) / 3600), 1)]
    else:
        shape = [
            (s.replicas, float(s.hours), zones_for(ctx.scenario, s.replicas, spreads=spreads)) for s in plan.segments
        ]
    extra = float(per_instance_hour)
    ranked: list[tuple[float, InstanceType, Decimal, Priced | None]] = []
    burstable: list[tuple[float, InstanceType, Decimal]] = []
    for per, instance, rate, rate_f, bursts in holding(ctx, candidates, task):
        if len(shape) == 1:  # always on, or runs: the common case, and the sweep's
            replicas, weight, zones = shape[0]
            hours = max(-(-replicas // per), min(zones, replicas)) * weight
        else:
            hours = sum(max(-(-r // per), min(z, r)) * w for r, w, z in shape)
        if bursts:
            burstable.append((hours * (rate_f + extra), instance, rate))
        else:
            ranked.append((hours * (rate_f + extra), instance, rate, None))
    _price_burstable(ctx, ranked, burstable, task, per_instance_hour)
    if not ranked:
        return []
    cheapest = min(row[0] for row in ranked)
    return [
        (instance, rate, priced) for cost, instance, rate, priced in ranked if cost <= cheapest * (1 + 1e-9) + 1e-12
    ]


def _price_burstable(
    ctx: Context,
    ranked: list[tuple[float, InstanceType, Decimal, Priced | None]],
    burstable: list[tuple[float, InstanceType, Decimal]],
    task: TaskShape,
    per_instance_hour: Decimal,
) -> None:
    """Add to `ranked` the burstable types that could still win, at their exact cost."""
    # Each `bound` is the type's cost by vCPU, memory and interfaces alone; its exact cost is at least that
    # (its baseline only lowers the tasks it holds, and surplus credits only add), so only a type whose bound
    # could still beat the cheapest so far is priced exactly.
    for bound, instance, rate in sorted(burstable, key=lambda row: row[0]):
        cheapest_yet = min((row[0] for row in ranked), default=float("inf"))
        if bound > cheapest_yet * (1 + 1e-9) + 1e-12:
            break
        priced = exact_cost(ctx, instance, rate, task, per_instance_hour)
        if priced is not None:
            ranked.append((float(priced[0]), instance, rate, priced))


@dataclass(frozen=True)
class Choice:
    fitted: Fit
    hours: BilledHours
    peak: int
    burst: Burst | None
    surplus: BilledHours | None


def exact_cost(
    ctx: Context, instance: InstanceType, rate: Decimal, task: TaskShape, per_instance_hour: Decimal
) -> Priced | None:
    """What the cluster costs a month on this type, in Decimal, with how it runs; None when it cannot run it.

    A surplus the snapshot cannot price rules an unpinned type out: the engine does not recommend a type whose
    cost it cannot tell."""
    settings = ctx.scenario.option_settings.ecs_ec2
    fitted, burst = fit_sustained(
        ctx,
        fit(
            instance,
            task,
            network_mode=settings.network_mode,
            trunking=settings.eni_trunking,
            trunking_table=ctx.catalog.eni_trunking,
            reserved_mib=settings.reserved_memory_mib,
        ),
    )
    if fitted is None:
        return None
    hours, peak = instance_hours(ctx.plan, instances(ctx, fitted.tasks_per_instance))
    cost = hours.total * (rate + per_instance_hour)
    extra = surplus(ctx, fitted, burst)
    if extra is not None:
        assert burst is not None
        credit = ctx.book.get(*surplus_credit_key(burst))
        if credit is None and not settings.instance_types:
            return None
        cost += extra.total * (credit.usd if credit else ZERO)
    return cost, Choice(fitted, hours, peak, burst, extra)


def candidate_types(ctx: Context) -> list[tuple[InstanceType, Decimal]]:
    """The priced types worth comparing: the pinned ones, or those no other type beats on every count."""
    workload, settings = ctx.workload, ctx.scenario.option_settings.ecs_ec2
    candidates = priced_instance_types(ctx, architecture=workload.architecture)
    if not settings.instance_types:
        table = ctx.catalog.eni_trunking

        def task_limits(instance: InstanceType) -> tuple[int, ...]:
            return (
                awsvpc_task_limit(instance, trunking=False, trunking_table=table) or 0,
                awsvpc_task_limit(instance, trunking=True, trunking_table=table) or 0,
            )

        architecture = workload.architecture
        candidates = ctx.book.memo(
            ("ec2-undominated", architecture, ctx.scenario.purchase),
            lambda: undominated(ctx, candidates, limits=task_limits),
        )
    if settings.instance_types:
        pinned = set(settings.instance_types)
        candidates = [(t, rate) for t, rate in candidates if t.name in pinned]
        if not candidates:
            raise NotAvailable(
                f"None of the pinned instance types ({', '.join(sorted(pinned))}) has a price for "
                f"{workload.architecture} in {ctx.region}."
            )
    return candidates


def price(ctx: Context) -> OptionResult:
    scenario, workload = ctx.scenario, ctx.workload
    settings = scenario.option_settings.ecs_ec2
    result = OptionResult(option=OPTION, label=ctx.label(OPTION))
    bill = Bill(ctx.book, result)

    candidates = candidate_types(ctx)
    task = TaskShape.of(workload.vcpu, workload.memory_gib)
    volume = Volume(
        size_gb=workload.disk_gib,
        kind=settings.ebs_volume_type,
        iops=settings.ebs_iops,
        throughput_mibps=settings.ebs_throughput_mibps,
    )
    ipv4 = ctx.book.get(*IPV4_HOURLY_KEY) if scenario.public_ipv4 else None
    # Everything an instance costs per hour it runs, besides its own rate: to rank types fairly.
    per_instance_hour = volume_month_rate(ctx, volume) / ctx.hours + (ipv4.usd if ipv4 else ZERO)

    best: tuple[tuple[Decimal, int, str], Choice] | None = None
    for instance, rate, known in shortlist(ctx, candidates, task, per_instance_hour):
        priced = known or exact_cost(ctx, instance, rate, task, per_instance_hour)
        if priced is None:
            continue
        order = (priced[0], instance.vcpu or 0, instance.name)
        if best is None or order < best[0]:
            best = (order, priced[1])
    if best is None:
        raise NotAvailable(
            f"No {'pinned ' if settings.instance_types else ''}instance type in {ctx.region} can hold one task of "
            f"{fmt(workload.vcpu)} vCPU and {fmt(workload.memory_gib)} GB"
            + (" with its own network interface (awsvpc)" if settings.network_mode == "awsvpc" else "")
            + f" and sustain its {fmt(workload.cpu_utilization_percent)}% average CPU."
        )
    choice = best[1]
    fitted, hours, peak = choice.fitted, choice.hours, choice.peak
    instance = fitted.instance_type
    charge_instances(bill, ctx, instance, instance_hours=hours, count=peak, burst=choice.burst)
    if choice.surplus is not None and choice.burst is not None:
        charge_surplus_credits(bill, ctx, choice.burst, vcpu_hours=choice.surplus)
    charge_volumes(bill, ctx, volume, instance_hours=hours)
    if scenario.public_ipv4:
        charge_public_ipv4(bill, address_hours=hours, what="instances (one per instance)")
    serves = ctx.plan.runs is None and (ctx.plan.peak_replicas > 1 or scenario.traffic.requests_per_second > 0)
    charge_front(bill, ctx, kind=load_balancer_kind(scenario, serves_traffic=serves))
    charge_transfer(bill, ctx)
    charge_trigger(bill, scenario)

    replicas = ctx.plan.peak_replicas
    assert instance.vcpu is not None and instance.memory_mib is not None
    stranded_vcpu = peak * instance.vcpu - replicas * workload.vcpu
    stranded_memory = (Decimal(peak * instance.memory_mib) - replicas * workload.memory_gib * 1024) / 1024
    result.configuration.update(
        {
            "instance_type": instance.name,
            "instances": peak,
            "tasks": replicas,
            "tasks_per_instance": fitted.tasks_per_instance,
            "limited_by": fitted.limited_by,
            "registered_memory_mib": fitted.registered_memory_mib,
            "network_mode": settings.network_mode,
            "eni_trunking": settings.eni_trunking,
            "instance_hours": hours.total,
            "stranded_vcpu": stranded_vcpu,
            "stranded_memory_gib": stranded_memory,
            "ebs_volume_type": volume.kind,
            **(spot_terms(ctx, instance.name) if scenario.purchase == "spot" else {}),
        }
    )
    if stranded_vcpu > 0 or stranded_memory > 0:
        packed = -(-replicas // fitted.tasks_per_instance)
        why = (
            f"spread over {peak} Availability Zones"
            if peak > packed
            else f"{fitted.tasks_per_instance} per instance, limited by {fitted.limited_by}"
        )
        result.warnings.append(
            f"At peak, {peak} {instance.name} instance{'s hold' if peak > 1 else ' holds'} {replicas} task"
            f"{'s' if replicas > 1 else ''} ({why}): {fmt(stranded_vcpu)} vCPU and "
            f"{fmt(stranded_memory.quantize(Decimal('0.01')))} GiB of memory are paid for but no task uses them."
        )
    zone_spread(result, ctx.scenario, replicas=replicas, machines=peak, spreads=ctx.plan.runs is None, noun="instance")
    if ctx.plan.runs is not None:
        result.warnings.append(
            "Instances are launched for each run and terminated after it (a capacity provider scaling to zero), "
            "so their root volumes are billed only while they run; boot time before each run is not included."
        )
    return result
