"""ECS on EC2 for an application: one cluster, the tasks of all its services packed together, hour by hour.

Services that stay up (always on, an hourly profile, autoscaling) share the cluster's instances: for each
hour of the application's profile their tasks are packed first fit decreasing (engine.cluster) onto
instances of one type, the type that makes the month cheapest. Services of another architecture or OS get a
capacity provider (an Auto Scaling group) of their own in the same cluster. A burstable type in standard
mode holds only the tasks its baseline sustains; in unlimited mode it holds what its vCPU and memory allow
and pays surplus credits for each day's use above the fleet's baseline (the day's quiet hours paying back
its busy ones, as engine.capacity does for one service, the tasks taken as spread evenly over the hour's
instances). Scheduled runs launch their own instances for each run, as a one-service scenario's do
(engine.options.ecs_ec2).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from compute_advisor.engine.application import ServicePlan
from compute_advisor.engine.application_bill import (
    charge_shared,
    combine,
    front_kinds,
    price_services,
    service_context,
    sharing_services,
    task_size,
)
from compute_advisor.engine.bill import Bill
from compute_advisor.engine.capacity import Burst, instance_burst, replica_use, zones_for
from compute_advisor.engine.cluster import Machine, TaskGroup, lower_bound, needs_of, pack
from compute_advisor.engine.money import ZERO
from compute_advisor.engine.network import charge_public_ipv4, load_balancer_kind
from compute_advisor.engine.options import ecs_ec2
from compute_advisor.engine.options.base import Context, NotAvailable, fmt
from compute_advisor.engine.options.ec2 import (
    Volume,
    charge_instances,
    charge_surplus_credits,
    charge_volumes,
    spot_terms,
    surplus_credit_key,
    volume_month_rate,
)
from compute_advisor.engine.packing import TaskShape, awsvpc_task_limit, registered_memory_mib
from compute_advisor.engine.pricebook import Price
from compute_advisor.engine.reference import InstanceType
from compute_advisor.engine.result import OptionResult
from compute_advisor.engine.usage import BilledHours, HourShares

NO_TASK_LIMIT = 1 << 30


@dataclass(frozen=True)
class Packed:
    instance: InstanceType
    cost: Decimal
    instances_by_hour: tuple[int, ...]
    peak_layout: tuple[tuple[int, ...], ...]  # the busiest hour: the tasks of each service on each instance
    burst: Burst | None = None
    surplus_vcpu_hours: Decimal = ZERO  # a month, unlimited mode


def surplus_hours(
    hours: list[tuple[int, ...]], running: list[int], groups: list[TaskGroup], burst: Burst, weight: Decimal
) -> Decimal:
    """Surplus vCPU-hours a month: each day of the profile, the tasks' use above the instances' baseline, less
    what the day's quieter hours stayed below it."""
    total = ZERO
    for start in range(0, len(hours), 24):
        net = ZERO
        for counts, machines in zip(hours[start : start + 24], running[start : start + 24], strict=True):
            use = sum((c * g.use_vcpu for c, g in zip(counts, groups, strict=True)), ZERO)
            net += use - machines * burst.baseline_vcpu
        total += max(net, ZERO)
    return total * weight


def machine_of(ctx: Context, instance: InstanceType, burst: Burst | None) -> Machine:
    settings = ctx.scenario.option_settings.ecs_ec2
    assert instance.vcpu is not None
    tasks = NO_TASK_LIMIT
    if settings.network_mode == "awsvpc":
        limit = awsvpc_task_limit(instance, trunking=settings.eni_trunking, trunking_table=ctx.catalog.eni_trunking)
        tasks = limit or 0
    return Machine(
        cpu_units=instance.vcpu * 1024,
        memory_mib=registered_memory_mib(instance, reserved_mib=settings.reserved_memory_mib),
        tasks=tasks,
        # Standard mode cannot run above its baseline; unlimited mode can, for surplus credits.
        baseline_vcpu=burst.baseline_vcpu if burst and not burst.unlimited else None,
    )


MachineRow = tuple[InstanceType, Decimal, Machine, Burst | None, Price | None]


def cluster_machines(ctx: Context, candidates: list[tuple[InstanceType, Decimal]]) -> list[MachineRow]:
    """What each candidate type offers tasks, once per price book and settings: its machine, its burst and
    surplus credit rate. Of the types that offer the same machine without bursting, only the lowest rate can
    be cheapest (their packings are the same, instance for instance), so only it is kept."""
    settings = ctx.scenario.option_settings.ecs_ec2
    pinned = bool(settings.instance_types)

    def build() -> list[MachineRow]:
        rows: list[MachineRow] = []
        lowest: dict[Machine, Decimal] = {}
        for instance, rate in candidates:
            burst = instance_burst(instance, ctx.catalog.burstable)
            credit = ctx.book.get(*surplus_credit_key(burst)) if burst and burst.unlimited else None
            if burst and burst.unlimited and credit is None and not pinned:
                continue  # a surplus the snapshot cannot price: not a type to recommend
            machine = machine_of(ctx, instance, burst)
            if machine.tasks < 1:
                continue
            rows.append((instance, rate, machine, burst, credit))
            if burst is None and (machine not in lowest or rate < lowest[machine]):
                lowest[machine] = rate
        return [row for row in rows if row[3] is not None or row[1] == lowest[row[2]]]

    return ctx.book.memo(ecs_ec2.capacity_key(ctx, candidates, "cluster-machines"), build)


def task_groups(members: list[ServicePlan]) -> list[TaskGroup]:
    groups = []
    for plan in members:
        workload = plan.scenario.workload
        assert workload is not None
        shape = TaskShape.of(workload.vcpu, workload.memory_gib)
        groups.append(TaskGroup(plan.name, shape.cpu_units, shape.memory_mib, replica_use(workload)))
    return groups


def cheapest_packing(
    ctx: Context, members: list[ServicePlan], candidates: list[tuple[InstanceType, Decimal]], per_instance_hour: Decimal
) -> Packed | None:
    """The type whose packing costs the least over the month, with its instances each hour."""
    groups = task_groups(members)
    profile = [p.replicas_by_hour or () for p in members]
    length = len(profile[0])
    hours = [tuple(replicas[h] for replicas in profile) for h in range(length)]
    distinct = Counter(hours)
    weight = ctx.hours / length

    def zones_of(counts: tuple[int, ...]) -> int:
        return max((zones_for(ctx.scenario, c) for c in counts if c), default=0)

    # What each distinct hour needs, worked out once for every type: its zones, and its totals (lower_bound).
    zones = {c: zones_of(c) for c in distinct}
    needs = {c: needs_of(c, groups) for c in distinct}

    bounds = []
    for instance, rate, machine, burst, credit in cluster_machines(ctx, candidates):
        if any(machine.holds(g) < 1 for g in groups):
            continue
        fewest = sum(n * max(lower_bound(needs[c], machine), zones[c]) for c, n in distinct.items())
        row = (fewest * weight * (rate + per_instance_hour), instance.name, instance, rate, machine, burst, credit)
        bounds.append(row)
    best: Packed | None = None
    for bound, _name, instance, rate, machine, burst, credit in sorted(bounds, key=lambda row: (row[0], row[1])):
        if best is not None and bound > best.cost:
            break
        layouts = {}
        for counts in distinct:
            layout = pack(counts, groups, machine)
            assert layout is not None  # every group fits an empty instance
            layouts[counts] = layout
        running = {c: max(len(layouts[c]), zones[c]) for c in distinct}
        cost = sum(n * running[c] for c, n in distinct.items()) * weight * (rate + per_instance_hour)
        extra = ZERO
        if burst is not None and burst.unlimited:
            extra = surplus_hours(hours, [running[c] for c in hours], groups, burst, weight)
            cost += extra * (credit.usd if credit else ZERO)
        if best is None or (cost, instance.vcpu or 0, instance.name) < (
            best.cost,
            best.instance.vcpu or 0,
            best.instance.name,
        ):
            busiest = max(distinct, key=lambda c: (running[c], sum(c)))
            best = Packed(
                instance,
                cost,
                tuple(running[c] for c in hours),
                tuple(tuple(held) for held in layouts[busiest]),
                burst,
                extra,
            )
    return best


def price_cluster(ctx: Context, result: OptionResult, members: list[ServicePlan]) -> None:
    """One capacity provider of the cluster: these services' tasks on instances of the cheapest type."""
    first = service_context(ctx, members[0])
    settings = ctx.scenario.option_settings.ecs_ec2
    workloads = [p.scenario.workload for p in members if p.scenario.workload is not None]
    volume = Volume(
        size_gb=max(w.disk_gib for w in workloads),
        kind=settings.ebs_volume_type,
        iops=settings.ebs_iops,
        throughput_mibps=settings.ebs_throughput_mibps,
    )
    ipv4 = ctx.book.get(*ecs_ec2.IPV4_HOURLY_KEY) if ctx.scenario.public_ipv4 else None
    per_instance_hour = volume_month_rate(ctx, volume) / ctx.hours + (ipv4.usd if ipv4 else ZERO)
    packed = cheapest_packing(ctx, members, ecs_ec2.candidate_types(first), per_instance_hour)
    if packed is None:
        names = ", ".join(p.name for p in members)
        raise NotAvailable(
            f"No {'pinned ' if settings.instance_types else ''}instance type in {ctx.region} can hold a task of "
            f"each of {names}"
            + (" with its own network interface (awsvpc)" if settings.network_mode == "awsvpc" else "")
            + ", within the CPU it sustains."
        )
    length = len(packed.instances_by_hour)
    total = ctx.hours * sum(packed.instances_by_hour) / length
    shares = HourShares(
        tuple(range(length)),
        tuple([ctx.hours / length] * length),
        dict(enumerate(map(Decimal, packed.instances_by_hour))),
    )
    hours = BilledHours(total, shares)
    bill = Bill(ctx.book, result)
    peak = max(packed.instances_by_hour)
    charge_instances(bill, first, packed.instance, instance_hours=hours, count=peak, burst=None)
    if packed.burst is not None and packed.surplus_vcpu_hours > 0:
        charge_surplus_credits(bill, first, packed.burst, vcpu_hours=BilledHours(packed.surplus_vcpu_hours))
    charge_volumes(bill, first, volume, instance_hours=hours)
    if ctx.scenario.public_ipv4:
        charge_public_ipv4(bill, address_hours=hours, what="instances (one per instance)")
    describe(ctx, result, members, packed, hours)


def describe(
    ctx: Context, result: OptionResult, members: list[ServicePlan], packed: Packed, hours: BilledHours
) -> None:
    instance = packed.instance
    assert instance.vcpu is not None and instance.memory_mib is not None
    layout = packed.peak_layout
    machines = max(packed.instances_by_hour)
    tasks = [sum(box[i] for box in layout) for i in range(len(members))]
    workloads = [p.scenario.workload for p in members]
    used_vcpu = sum((t * w.vcpu for t, w in zip(tasks, workloads, strict=True) if w), ZERO)
    used_gib = sum((t * w.memory_gib for t, w in zip(tasks, workloads, strict=True) if w), ZERO)
    stranded_vcpu = machines * instance.vcpu - used_vcpu
    stranded_gib = (Decimal(machines * instance.memory_mib) / 1024 - used_gib).quantize(Decimal("0.01"))
    provider = {
        "services": [p.name for p in members],
        "instance_type": instance.name,
        "instances": machines,
        "instance_hours": hours.total,
        "peak_layout": [{p.name: box[i] for i, p in enumerate(members) if box[i]} for box in layout],
        "stranded_vcpu": stranded_vcpu,
        "stranded_memory_gib": stranded_gib,
        **(spot_terms(ctx, instance.name) if ctx.scenario.purchase == "spot" else {}),
    }
    result.configuration.setdefault("capacity_providers", []).append(provider)
    burst = packed.burst
    if burst is not None:
        how = (
            "unlimited mode (the default): each day's use above the instances' baseline is charged as surplus credits"
            if burst.unlimited
            else "standard mode (the default): each instance holds only the tasks whose average CPU it sustains"
        )
        result.warnings.append(
            f"{instance.name} is burstable: it sustains {fmt(burst.baseline_percent)}% of each vCPU "
            f"({fmt(burst.baseline_vcpu)} vCPU), in {how}."
        )
    if stranded_vcpu > 0 or stranded_gib > 0:
        result.warnings.append(
            f"At the busiest hour {machines} {instance.name} instance{'s hold' if machines > 1 else ' holds'} "
            f"{sum(tasks)} tasks of {len(members)} service{'s' if len(members) > 1 else ''} packed together: "
            f"{fmt(stranded_vcpu)} vCPU and {fmt(stranded_gib)} GiB of memory are paid for but no task uses them."
        )


def reserved_hours(plan: ServicePlan) -> tuple[Decimal, Decimal]:
    """The vCPU-hours and GiB-hours a service's tasks reserve over the profile (relative: per profile hour)."""
    workload = plan.scenario.workload
    assert workload is not None and plan.replicas_by_hour is not None
    replicas = sum(plan.replicas_by_hour)
    return replicas * workload.vcpu / len(plan.replicas_by_hour), replicas * workload.memory_gib / len(
        plan.replicas_by_hour
    )


def front_kind(plan: ServicePlan) -> str:
    """The load balancer a fronted service in the cluster needs (as a one-service scenario would)."""
    replicas = plan.replicas_by_hour or (0,)
    serves = max(replicas) > 1 or plan.scenario.traffic.requests_per_second > 0
    return load_balancer_kind(plan.scenario, serves_traffic=serves) if plan.fronted else "none"


def price_tasks(ctx: Context, plans: list[ServicePlan]) -> tuple[OptionResult, list[str]]:
    """The instances the services' tasks run on, without what they share: scheduled runs on instances of their
    own, the rest packed per platform. With the load balancers the fronted services need."""
    staying = [p for p in plans if p.replicas_by_hour is not None]
    runs = [p for p in plans if p.replicas_by_hour is None]
    parts = price_services(ctx, ecs_ec2.price, runs)
    result = combine(ctx, ecs_ec2.OPTION, parts)
    assert result.services is not None
    by_platform: dict[tuple[str, str], list[ServicePlan]] = {}
    for plan in staying:
        workload = plan.scenario.workload
        assert workload is not None
        by_platform.setdefault((workload.architecture, workload.os), []).append(plan)
    for members in by_platform.values():
        price_cluster(ctx, result, members)
    # The services in the cluster are weighted by the vCPU-hours and memory-hours their tasks reserve.
    result.services += sharing_services(
        staying,
        {p.name: reserved_hours(p) for p in staying},
        lambda plan: {
            "tasks": max(plan.replicas_by_hour or (0,)),
            **task_size(plan),
            "capacity": "the cluster's shared instances",
        },
    )
    position = {p.name: i for i, p in enumerate(plans)}
    result.services.sort(key=lambda s: position[s.name])
    kinds = sorted({front_kind(p) for p in staying} - {"none"} | set(front_kinds(parts)))
    return result, kinds


def price(ctx: Context, plans: list[ServicePlan]) -> OptionResult:
    result, kinds = price_tasks(ctx, plans)
    charge_shared(ctx, ecs_ec2.OPTION, result, kinds)
    result.configuration.update({"services": len(plans), "service_names": [p.name for p in plans]})
    result.attribute_shared()
    return result
