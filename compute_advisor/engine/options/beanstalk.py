"""Elastic Beanstalk on its Docker platform: one replica per EC2 instance, no charge of its own.

A single-instance environment is one instance with an Elastic IP and no load balancer; a
load-balanced environment is an Auto Scaling group (at least one instance) behind a load balancer.
"""

from __future__ import annotations

from decimal import Decimal

from compute_advisor.engine import price_keys as keys
from compute_advisor.engine.bill import Bill
from compute_advisor.engine.capacity import DAY, Burst, instance_burst, replica_use, zone_spread
from compute_advisor.engine.money import ZERO
from compute_advisor.engine.network import charge_public_ipv4
from compute_advisor.engine.options.base import Context, NotAvailable, charge_front, charge_transfer, fmt
from compute_advisor.engine.options.ec2 import (
    Volume,
    charge_instances,
    charge_surplus_credits,
    charge_volumes,
    priced_instance_types,
    surplus_credit_key,
    undominated,
    volume_month_rate,
)
from compute_advisor.engine.packing import SYSTEM_RESERVED_MIB, usable_memory_mib
from compute_advisor.engine.reference import InstanceType
from compute_advisor.engine.result import OptionResult
from compute_advisor.engine.usage import BilledHours, billed_hours

OPTION = "beanstalk"


def usable_memory_gib(memory_mib: int) -> Decimal:
    """Memory the container may use: the Docker platform runs on Amazon Linux (see packing.MEMORY_OVERHEAD)."""
    return Decimal(usable_memory_mib(memory_mib, reserved_mib=SYSTEM_RESERVED_MIB["linux"])) / 1024


def beanstalk_surplus(ctx: Context, hours: BilledHours, *, peak: int, use: Decimal, baseline: Decimal) -> BilledHours:
    """Surplus vCPU-hours of unlimited-mode instances that each run one container (see `engine.capacity`).

    A container keeps its use every hour its instance runs, so no quieter hour pays it back; between
    scheduled runs the instances idle, and a day's idle hours pay back that day's runs.
    """
    runs = ctx.plan.runs
    if runs is None:
        return hours.times(max(use - baseline, ZERO))
    run_hours_a_day = runs.count / runs.days * runs.seconds / 3600
    return BilledHours(peak * runs.days * max(run_hours_a_day * use - DAY * baseline, ZERO))


def fitting_types(ctx: Context) -> list[tuple[InstanceType, Decimal, Burst | None]]:
    """The instance types that hold one container, beside their hourly cost (surplus credits included) and
    their burst rules: vCPU and the memory the system leaves, and the CPU a T2's baseline sustains. The same
    for every replica count: worked out once per price book and workload."""
    return ctx.book.memo(("beanstalk-fits", *_workload_key(ctx)), lambda: _fitting_types(ctx))


def _workload_key(ctx: Context) -> tuple[object, ...]:
    workload, scenario = ctx.workload, ctx.scenario
    return (
        scenario.option_settings.beanstalk.instance_type,
        workload.architecture,
        scenario.purchase,
        workload.vcpu,
        workload.memory_gib,
        workload.cpu_utilization_percent,
    )


def cheapest_type(ctx: Context, per_hour_extra: Decimal) -> tuple[InstanceType, Decimal, Burst | None]:
    """The fitting type that costs the least an hour with what each instance adds (its volume, its address):
    the same for every replica count, so chosen once per price book, workload and extra."""

    def choose() -> tuple[InstanceType, Decimal, Burst | None]:
        return min(fitting_types(ctx), key=lambda row: (row[1] + per_hour_extra, row[0].vcpu, row[0].name))

    return ctx.book.memo(("beanstalk-cheapest", *_workload_key(ctx), per_hour_extra), choose)


def _fitting_types(ctx: Context) -> list[tuple[InstanceType, Decimal, Burst | None]]:
    scenario, workload = ctx.scenario, ctx.workload
    settings = scenario.option_settings.beanstalk
    candidates = priced_instance_types(ctx, architecture=workload.architecture)
    if not settings.instance_type:
        candidates = ctx.book.memo(
            ("ec2-undominated-vcpu-memory", workload.architecture, scenario.purchase),
            lambda: undominated(ctx, candidates, limits=lambda instance: ()),
        )
    if settings.instance_type:
        candidates = [(t, rate) for t, rate in candidates if t.name == settings.instance_type]
        if not candidates:
            raise NotAvailable(f"{settings.instance_type} has no price for {workload.architecture} in {ctx.region}.")
    sized = ctx.book.memo(
        ("beanstalk-sizes", settings.instance_type, workload.architecture, scenario.purchase),
        lambda: [(t, rate, Decimal(t.vcpu or 0), usable_memory_gib(t.memory_mib or 0)) for t, rate in candidates],
    )
    use = replica_use(workload)
    fitting: list[tuple[InstanceType, Decimal, Burst | None]] = []
    for t, rate, vcpu, memory in sized:
        if vcpu < workload.vcpu or memory < workload.memory_gib:
            continue
        burst = instance_burst(t, ctx.catalog.burstable)
        if burst is not None and not burst.sustains(use):
            continue  # T2's standard mode cannot run above its baseline
        surplus = max(use - burst.baseline_vcpu, ZERO) if burst is not None and burst.unlimited else ZERO
        credit = ctx.book.get(*surplus_credit_key(burst)) if surplus and burst else None
        if surplus and credit is None and not settings.instance_type:
            continue  # a surplus the snapshot cannot price: not recommended
        fitting.append((t, rate + surplus * (credit.usd if credit else ZERO), burst))
    if not fitting:
        raise NotAvailable(
            f"No {'pinned ' if settings.instance_type else ''}instance type in {ctx.region} has {fmt(workload.vcpu)} "
            f"vCPU and {fmt(workload.memory_gib)} GB free for one container (after the memory the OS and agents "
            f"keep) and sustains its {fmt(workload.cpu_utilization_percent)}% average CPU."
        )
    return fitting


def price(ctx: Context) -> OptionResult:
    scenario, workload = ctx.scenario, ctx.workload
    settings = scenario.option_settings.beanstalk
    result = OptionResult(option=OPTION, label=ctx.label(OPTION))
    bill = Bill(ctx.book, result)
    if workload.os == "windows":
        raise NotAvailable("Elastic Beanstalk's Docker platform runs Linux containers only.")

    plan = ctx.plan
    peak = plan.peak_replicas
    environment = settings.environment or (
        "load_balanced" if peak > 1 or scenario.load_balancer in ("alb", "nlb") else "single_instance"
    )
    if environment == "single_instance" and peak > 1:
        raise NotAvailable(
            f"A single-instance environment runs one instance; {peak} replicas need a load-balanced environment."
        )

    volume = Volume(size_gb=workload.disk_gib, kind=settings.ebs_volume_type)
    ipv4 = ctx.book.get(*keys.PUBLIC_IPV4_IN_USE.at())
    public = scenario.public_ipv4 or environment == "single_instance"
    per_hour_extra = volume_month_rate(ctx, volume) / ctx.hours + (ipv4.usd if ipv4 and public else ZERO)
    instance, _rate, burst = cheapest_type(ctx, per_hour_extra)

    # An environment runs all the time: it cannot stop between scheduled runs; it scales between
    # one instance and the replicas each hour needs.
    if plan.runs is not None:
        hours = BilledHours(peak * ctx.hours)
        result.warnings.append(
            "An Elastic Beanstalk environment keeps its instances running between scheduled runs; it is priced "
            f"as {peak} instance{'s' if peak > 1 else ''} all month."
        )
    else:
        hours = billed_hours(plan, lambda replicas: max(replicas, 1))
    charge_instances(bill, ctx, instance, instance_hours=hours, count=peak, burst=burst)
    if burst is not None and burst.unlimited:
        surplus = beanstalk_surplus(ctx, hours, peak=peak, use=replica_use(workload), baseline=burst.baseline_vcpu)
        if surplus.total > 0:
            charge_surplus_credits(bill, ctx, burst, vcpu_hours=surplus)
    charge_volumes(bill, ctx, volume, instance_hours=hours)
    if environment == "single_instance":
        charge_public_ipv4(bill, address_hours=hours, what="the environment's Elastic IP")
    else:
        if scenario.public_ipv4:
            charge_public_ipv4(bill, address_hours=hours, what="instances (one per instance)")
        kind = scenario.load_balancer if scenario.load_balancer in ("alb", "nlb") else "alb"
        charge_front(bill, ctx, kind=kind)
    charge_transfer(bill, ctx)

    result.configuration.update(
        {
            "environment": environment,
            "instance_type": instance.name,
            "instances": peak,
            "instance_hours": hours.total,
            "platform": "Docker on Amazon Linux",
            "ebs_volume_type": volume.kind,
        }
    )
    zone_spread(result, scenario, replicas=peak, machines=peak, noun="instance")
    assert instance.vcpu is not None and instance.memory_mib is not None
    spare_vcpu = instance.vcpu - workload.vcpu
    spare_memory = Decimal(instance.memory_mib) / 1024 - workload.memory_gib
    if spare_vcpu > 0 or spare_memory > 0:
        result.warnings.append(
            f"Each {instance.name} runs one replica: {fmt(spare_vcpu)} vCPU and {fmt(spare_memory)} GiB of memory "
            "per instance are paid for but unused."
        )
    return result
