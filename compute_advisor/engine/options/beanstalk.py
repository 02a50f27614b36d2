"""Elastic Beanstalk on its Docker platform: one replica per EC2 instance, no charge of its own.

A single-instance environment is one instance with an Elastic IP and no load balancer; a
load-balanced environment is an Auto Scaling group (at least one instance) behind a load balancer.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from compute_advisor.engine import price_keys as keys
from compute_advisor.engine.bill import Bill
from compute_advisor.engine.money import ZERO
from compute_advisor.engine.network import charge_data_transfer_out, charge_load_balancer, charge_public_ipv4
from compute_advisor.engine.options.base import Context, NotAvailable, fmt
from compute_advisor.engine.options.ec2 import (
    Volume,
    charge_instances,
    charge_volumes,
    priced_instance_types,
    undominated,
    volume_month_rate,
)
from compute_advisor.engine.packing import MEMORY_OVERHEAD
from compute_advisor.engine.result import OptionResult
from compute_advisor.engine.usage import BilledHours, billed_hours

OPTION = "beanstalk"


def usable_memory_gib(memory_mib: int) -> Decimal:
    usable = (Decimal(memory_mib) * (1 - MEMORY_OVERHEAD)).to_integral_value(rounding=ROUND_FLOOR)
    return usable / 1024


def price(ctx: Context) -> OptionResult:
    scenario, workload = ctx.scenario, ctx.scenario.workload
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
    fitting = [(t, rate) for t, rate, vcpu, memory in sized if vcpu >= workload.vcpu and memory >= workload.memory_gib]
    if not fitting:
        raise NotAvailable(
            f"No {'pinned ' if settings.instance_type else ''}instance type in {ctx.region} has {fmt(workload.vcpu)} "
            f"vCPU and {fmt(workload.memory_gib)} GB free for one container."
        )
    volume = Volume(size_gb=workload.disk_gib, kind=settings.ebs_volume_type)
    ipv4 = ctx.book.get(*keys.PUBLIC_IPV4_IN_USE.at())
    public = scenario.public_ipv4 or environment == "single_instance"
    per_hour_extra = volume_month_rate(ctx, volume) / ctx.hours + (ipv4.usd if ipv4 and public else ZERO)
    instance, _rate = min(fitting, key=lambda pair: (pair[1] + per_hour_extra, pair[0].vcpu, pair[0].name))

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
    charge_instances(bill, ctx, instance, instance_hours=hours, count=peak)
    charge_volumes(bill, ctx, volume, instance_hours=hours)
    if environment == "single_instance":
        charge_public_ipv4(bill, address_hours=hours, what="the environment's Elastic IP")
    else:
        if scenario.public_ipv4:
            charge_public_ipv4(bill, address_hours=hours, what="instances (one per instance)")
        kind = scenario.load_balancer if scenario.load_balancer in ("alb", "nlb") else "alb"
        charge_load_balancer(bill, scenario, kind=kind)
    charge_data_transfer_out(bill, scenario)

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
    assert instance.vcpu is not None and instance.memory_mib is not None
    spare_vcpu = instance.vcpu - workload.vcpu
    spare_memory = Decimal(instance.memory_mib) / 1024 - workload.memory_gib
    if spare_vcpu > 0 or spare_memory > 0:
        result.warnings.append(
            f"Each {instance.name} runs one replica: {fmt(spare_vcpu)} vCPU and {fmt(spare_memory)} GiB of memory "
            "per instance are paid for but unused."
        )
    return result
