"""ECS on EC2: tasks packed onto the cheapest instance type that fits, instances per hour of usage."""

from __future__ import annotations

from decimal import Decimal

from compute_advisor.engine import price_keys as keys
from compute_advisor.engine.bill import Bill
from compute_advisor.engine.money import ZERO
from compute_advisor.engine.network import (
    charge_data_transfer_out,
    charge_load_balancer,
    charge_public_ipv4,
    load_balancer_kind,
)
from compute_advisor.engine.options.base import Context, NotAvailable, fmt
from compute_advisor.engine.options.ec2 import (
    EC2_MINIMUM_SECONDS,
    Volume,
    charge_instances,
    charge_volumes,
    priced_instance_types,
    undominated,
    volume_month_rate,
)
from compute_advisor.engine.packing import (
    Fit,
    TaskShape,
    awsvpc_task_limit,
    fit,
    instances_for,
    registered_memory_mib,
)
from compute_advisor.engine.reference import InstanceType
from compute_advisor.engine.result import OptionResult
from compute_advisor.engine.triggers import charge_trigger
from compute_advisor.engine.usage import BilledHours, UsagePlan, billed_hours

OPTION = "ecs_ec2"
IPV4_HOURLY_KEY = keys.PUBLIC_IPV4_IN_USE.at()


def instance_hours(plan: UsagePlan, fitted: Fit) -> tuple[BilledHours, int]:
    """Instance-hours a month and the most instances running at once."""
    if plan.runs is not None:
        count = instances_for(plan.runs.replicas, fitted)
        billed = max(plan.runs.seconds, EC2_MINIMUM_SECONDS)
        return BilledHours(count * plan.runs.count * billed / 3600), count
    hours = billed_hours(plan, lambda replicas: instances_for(replicas, fitted))
    return hours, max(instances_for(s.replicas, fitted) for s in plan.segments)


def shortlist(
    ctx: Context, candidates: list[tuple[InstanceType, Decimal]], task: TaskShape, per_instance_hour: Decimal
) -> list[tuple[InstanceType, Decimal]]:
    """The few candidates worth pricing exactly: a quick pass in integers and floats ranks them all.

    Only the ranking uses floats; every type within a hair of the cheapest is priced again in Decimal,
    so float rounding can never pick the wrong type.
    """
    settings = ctx.scenario.option_settings.ecs_ec2
    table = ctx.catalog.eni_trunking

    def capacities() -> list[tuple[int, int, int, InstanceType, Decimal, float]]:
        # What each type offers tasks, in plain integers, computed once per price book and settings.
        rows = []
        for instance, rate in candidates:
            assert instance.vcpu is not None
            memory = registered_memory_mib(instance, reserved_mib=settings.reserved_memory_mib)
            if settings.network_mode == "awsvpc":
                eni = awsvpc_task_limit(instance, trunking=settings.eni_trunking, trunking_table=table) or 0
            else:
                eni = 1 << 30
            rows.append((instance.vcpu * 1024, memory, eni, instance, rate, float(rate)))
        return rows

    key = (
        "ec2-capacity",
        tuple(sorted(t.name for t, _ in candidates)) if settings.instance_types else "all",
        ctx.scenario.workload.architecture,
        ctx.scenario.purchase,
        settings.network_mode,
        settings.eni_trunking,
        settings.reserved_memory_mib,
    )
    plan = ctx.plan
    if plan.runs is not None:
        shape = [(plan.runs.replicas, float(plan.runs.count * max(plan.runs.seconds, EC2_MINIMUM_SECONDS) / 3600))]
    else:
        shape = [(s.replicas, float(s.hours)) for s in plan.segments]
    extra = float(per_instance_hour)
    task_cpu, task_memory = task.cpu_units, task.memory_mib
    ranked: list[tuple[float, InstanceType, Decimal]] = []
    for cpu, memory, eni, instance, rate, rate_f in ctx.book.memo(key, capacities):
        per = min(cpu // task_cpu, memory // task_memory if memory > 0 else 0, eni)
        if per < 1:
            continue
        if len(shape) == 1:
            hours = -(-shape[0][0] // per) * shape[0][1]
        else:
            hours = sum(-(-replicas // per) * weight for replicas, weight in shape)
        ranked.append((hours * (rate_f + extra), instance, rate))
    if not ranked:
        return []
    cheapest = min(cost for cost, _, _ in ranked)
    return [(instance, rate) for cost, instance, rate in ranked if cost <= cheapest * (1 + 1e-9) + 1e-12]


def price(ctx: Context) -> OptionResult:
    scenario, workload = ctx.scenario, ctx.scenario.workload
    settings = scenario.option_settings.ecs_ec2
    result = OptionResult(option=OPTION, label=ctx.label(OPTION))
    bill = Bill(ctx.book, result)

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

    best: tuple[Decimal, Fit, BilledHours, int] | None = None
    for instance, rate in shortlist(ctx, candidates, task, per_instance_hour):
        fitted = fit(
            instance,
            task,
            network_mode=settings.network_mode,
            trunking=settings.eni_trunking,
            trunking_table=ctx.catalog.eni_trunking,
            reserved_mib=settings.reserved_memory_mib,
        )
        if fitted is None:
            continue
        hours, peak = instance_hours(ctx.plan, fitted)
        cost = hours.total * (rate + per_instance_hour)
        key = (cost, instance.vcpu or 0, instance.name)
        if best is None or key < (best[0], best[1].instance_type.vcpu or 0, best[1].instance_type.name):
            best = (cost, fitted, hours, peak)
    if best is None:
        raise NotAvailable(
            f"No {'pinned ' if settings.instance_types else ''}instance type in {ctx.region} can hold one task of "
            f"{fmt(workload.vcpu)} vCPU and {fmt(workload.memory_gib)} GB"
            + (" with its own network interface (awsvpc)" if settings.network_mode == "awsvpc" else "")
            + "."
        )
    _, fitted, hours, peak = best
    instance = fitted.instance_type
    charge_instances(bill, ctx, instance, instance_hours=hours, count=peak)
    charge_volumes(bill, ctx, volume, instance_hours=hours)
    if scenario.public_ipv4:
        charge_public_ipv4(bill, address_hours=hours, what="instances (one per instance)")
    serves = ctx.plan.runs is None and (ctx.plan.peak_replicas > 1 or scenario.traffic.requests_per_second > 0)
    charge_load_balancer(bill, scenario, kind=load_balancer_kind(scenario, serves_traffic=serves))
    charge_data_transfer_out(bill, scenario)
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
        }
    )
    if stranded_vcpu > 0 or stranded_memory > 0:
        result.warnings.append(
            f"At peak, {peak} {instance.name} instance{'s' if peak > 1 else ''} hold {replicas} task"
            f"{'s' if replicas > 1 else ''} ({fitted.tasks_per_instance} per instance, limited by "
            f"{fitted.limited_by}): {fmt(stranded_vcpu)} vCPU and {fmt(stranded_memory.quantize(Decimal('0.01')))} "
            "GiB of memory are paid for but no task uses them."
        )
    if ctx.plan.runs is not None:
        result.warnings.append(
            "Instances are started for each run and stopped after it; their boot time before each run is not included."
        )
    return result
