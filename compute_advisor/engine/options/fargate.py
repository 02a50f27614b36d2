"""ECS on AWS Fargate: per-second vCPU and memory of valid task sizes, with AWS's minimums.

Rules (https://aws.amazon.com/fargate/pricing/): billed from image pull to task stop, per second,
with a 1-minute minimum on Linux and a 5-minute minimum on Windows, which also pays an OS licence per
vCPU; 20 GB of ephemeral storage free, up to 200 GB; Spot for Linux only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from compute_advisor.engine import price_keys as keys
from compute_advisor.engine.bill import Bill
from compute_advisor.engine.money import ZERO, ceil_int
from compute_advisor.engine.network import (
    charge_public_ipv4,
    load_balancer_kind,
)
from compute_advisor.engine.options.base import (
    Context,
    NotAvailable,
    charge_front,
    charge_transfer,
    fmt,
    no_purchase_model,
    require_purchase_rate,
)
from compute_advisor.engine.reference import TaskSize
from compute_advisor.engine.result import OptionResult
from compute_advisor.engine.scenario import Hourly
from compute_advisor.engine.strategy import Share, shares_of, usage_part
from compute_advisor.engine.triggers import charge_trigger
from compute_advisor.engine.usage import BilledHours, UsagePlan, billed_hours, usage_plan

OPTION = "fargate"
FREE_EPHEMERAL_GB = Decimal(20)
MINIMUM_SECONDS = {"linux": Decimal(60), "windows": Decimal(300)}
SPOT_WARNING = (
    "Fargate Spot can stop a task at any time with a two-minute warning when AWS needs the capacity back; "
    "run only interruption-tolerant work on it."
)


@dataclass(frozen=True)
class Platform:
    name: str
    vcpu: keys.PriceKey
    memory: keys.PriceKey
    os_licence: keys.PriceKey | None


# Linux rates by (architecture, Spot).
LINUX_RATES = {
    ("x86_64", False): (keys.FARGATE_VCPU, keys.FARGATE_MEMORY),
    ("arm64", False): (keys.FARGATE_ARM_VCPU, keys.FARGATE_ARM_MEMORY),
    ("x86_64", True): (keys.FARGATE_SPOT_VCPU, keys.FARGATE_SPOT_MEMORY),
    ("arm64", True): (keys.FARGATE_SPOT_ARM_VCPU, keys.FARGATE_SPOT_ARM_MEMORY),
}


def platform(os: str, architecture: str, *, spot: bool) -> Platform:
    if os == "windows":
        if architecture != "x86_64":
            raise NotAvailable("Fargate runs Windows containers on x86_64 only.")
        if spot:
            raise NotAvailable("Fargate Spot does not run Windows containers.")
        return Platform("Windows/x86", keys.FARGATE_WINDOWS_VCPU, keys.FARGATE_WINDOWS_MEMORY, keys.FARGATE_WINDOWS_OS)
    vcpu, memory = LINUX_RATES[(architecture, spot)]
    return Platform("Linux/ARM" if architecture == "arm64" else "Linux/x86", vcpu, memory, None)


def snap_task_size(
    sizes: tuple[TaskSize, ...],
    *,
    vcpu: Decimal,
    memory_gib: Decimal,
    os: str,
    vcpu_rate: Decimal,
    gb_rate: Decimal,
) -> TaskSize | None:
    """The cheapest valid task size with at least the vCPU and memory asked for."""
    fitting = [s for s in sizes if os in s.os and s.vcpu >= vcpu and s.memory_gib >= memory_gib]
    if not fitting:
        return None
    return min(fitting, key=lambda s: (s.vcpu * vcpu_rate + s.memory_gib * gb_rate, s.vcpu, s.memory_gib))


def task_hours(plan: UsagePlan, *, os: str, minimum_tasks: int = 0) -> tuple[BilledHours, Decimal | None]:
    """Billed task-hours, and the billed seconds of each run for scheduled usage."""
    if plan.runs is not None:
        billed = max(plan.runs.seconds, MINIMUM_SECONDS[os])
        return BilledHours(plan.runs.replicas * plan.runs.count * billed / 3600), billed
    return billed_hours(plan, lambda replicas: max(replicas, minimum_tasks)), None


def charge_fargate_tasks(
    bill: Bill,
    ctx: Context,
    *,
    spot: bool,
    minimum_tasks: int = 0,
) -> TaskSize:
    """Price the tasks themselves (vCPU, memory, OS licence, ephemeral storage, public IPs)."""
    scenario, workload = ctx.scenario, ctx.workload
    result = bill.result
    plat = platform(workload.os, workload.architecture, spot=spot)
    vcpu_where = require_purchase_rate(ctx, *plat.vcpu.at(), f"Fargate vCPU ({plat.name})")
    memory_where = require_purchase_rate(ctx, *plat.memory.at(), f"Fargate memory ({plat.name})")
    vcpu_rate, memory_rate = bill.price(*vcpu_where), bill.price(*memory_where)
    assert vcpu_rate is not None and memory_rate is not None
    size = ctx.book.memo(
        ("fargate-size", workload.vcpu, workload.memory_gib, workload.os, vcpu_where, memory_where),
        lambda: snap_task_size(
            ctx.catalog.fargate_sizes,
            vcpu=workload.vcpu,
            memory_gib=workload.memory_gib,
            os=workload.os,
            vcpu_rate=vcpu_rate.usd,
            gb_rate=memory_rate.usd,
        ),
    )
    if size is None:
        top = max(s for s in ctx.catalog.fargate_sizes if workload.os in s.os)
        largest = f"{fmt(top.vcpu)} vCPU and {fmt(top.memory_gib)} GB"
        raise NotAvailable(
            f"No Fargate task size has {fmt(workload.vcpu)} vCPU and {fmt(workload.memory_gib)} GB "
            f"for {workload.os.title()}; the largest is {largest}."
        )
    hours, billed_seconds = task_hours(ctx.plan, os=workload.os, minimum_tasks=minimum_tasks)
    tenancy = " Spot" if spot else ""
    bill.hourly(*vcpu_where, hours=hours, per=size.vcpu, description=f"Fargate{tenancy} vCPU ({plat.name})")
    bill.hourly(*memory_where, hours=hours, per=size.memory_gib, description=f"Fargate{tenancy} memory ({plat.name})")
    if plat.os_licence:
        bill.hourly(*plat.os_licence.at(), hours=hours, per=size.vcpu, description="Fargate Windows OS licence")
    # AWS sets ephemeral storage in whole GiB (21 to 200; the scenario caps it at 200), and Windows tasks
    # have no such setting (the scenario refuses one for them).
    extra_storage = max(Decimal(ceil_int(workload.ephemeral_storage_gib)) - FREE_EPHEMERAL_GB, ZERO)
    if extra_storage and workload.os == "linux":
        bill.hourly(
            *keys.FARGATE_EPHEMERAL_STORAGE.at(),
            hours=hours,
            per=extra_storage,
            description=f"Fargate ephemeral storage above the free 20 GiB ({fmt(extra_storage)} GiB a task)",
            category="storage",
            required=False,
            what="Fargate ephemeral storage",
        )
    if scenario.public_ipv4:
        charge_public_ipv4(bill, address_hours=hours, what="tasks (one per task)")

    result.configuration.update(
        {
            "task_vcpu": size.vcpu,
            "task_memory_gib": size.memory_gib,
            "tasks": max(ctx.plan.peak_replicas, minimum_tasks),
            "task_hours": hours.total,
            "platform": plat.name,
            "capacity": "FARGATE_SPOT" if spot else "FARGATE",
        }
    )
    if billed_seconds is not None:
        result.configuration["billed_seconds_per_run"] = billed_seconds
        if ctx.plan.runs and ctx.plan.runs.seconds < billed_seconds:
            result.warnings.append(
                f"Each run lasts {fmt(ctx.plan.runs.seconds)} seconds but Fargate bills at least "
                f"{fmt(billed_seconds)} seconds per task on {workload.os.title()}."
            )
    unused_vcpu, unused_memory = size.vcpu - workload.vcpu, size.memory_gib - workload.memory_gib
    if unused_vcpu or unused_memory:
        result.warnings.append(
            f"Each task is billed as {fmt(size.vcpu)} vCPU / {fmt(size.memory_gib)} GB, the cheapest valid Fargate "
            f"size that fits {fmt(workload.vcpu)} vCPU / {fmt(workload.memory_gib)} GB: "
            f"{fmt(unused_vcpu)} vCPU and {fmt(unused_memory)} GB per task are paid for but unused."
        )
    if spot:
        result.warnings.append(SPOT_WARNING)
    return size


def charge_provider_part(bill: Bill, ctx: Context, usage: object, provider: str) -> dict[str, object]:
    """The tasks one Fargate capacity provider runs of a strategy's split, at that provider's rates (FARGATE
    at the scenario's purchase model, FARGATE_SPOT at Spot's: a Savings Plan does not cover Spot), and what
    it runs, for the configuration."""
    spot = provider == "FARGATE_SPOT"
    scenario = ctx.scenario.model_copy(update={"usage": usage, **({"purchase": "on_demand"} if spot else {})})
    part = Context(scenario, usage_plan(scenario), ctx.book, ctx.catalog, ctx.shared_charges)
    charge_fargate_tasks(bill, part, spot=spot)
    done = bill.result.configuration
    return {
        "provider": provider,
        "tasks": done["tasks"],
        "task_hours": done["task_hours"],
        **({"tasks_by_hour": list(usage.replicas_by_hour)} if isinstance(usage, Hourly) else {}),
    }


def charge_by_strategy(bill: Bill, ctx: Context) -> None:
    """Tasks split between FARGATE and FARGATE_SPOT as the strategy says (engine.strategy)."""
    declared = ctx.scenario.option_settings.fargate.capacity_provider_strategy or []
    strategy = shares_of(declared)
    providers = []
    for share in strategy:
        usage = usage_part(ctx.scenario.usage, strategy, share.provider)
        if usage is not None:
            providers.append({**charge_provider_part(bill, ctx, usage, share.provider), **_terms(share)})
    bill.result.configuration.update(
        {
            "tasks": ctx.plan.peak_replicas,
            "capacity": "capacity provider strategy",
            "capacity_providers": providers,
            "task_hours": sum((Decimal(str(p["task_hours"])) for p in providers), ZERO),
        }
    )
    bill.result.warnings = list(dict.fromkeys(bill.result.warnings))


def _terms(share: Share) -> dict[str, int]:
    return {"base": share.base, "weight": share.weight}


def price(ctx: Context) -> OptionResult:
    result = OptionResult(option=OPTION, label=ctx.label(OPTION))
    bill = Bill(ctx.book, result)
    no_purchase_model(ctx, result.label, allowed=("on_demand", "spot", "savings_plan_1y", "savings_plan_3y"))
    if ctx.scenario.option_settings.fargate.capacity_provider_strategy:
        charge_by_strategy(bill, ctx)
    else:
        charge_fargate_tasks(bill, ctx, spot=ctx.scenario.purchase == "spot")
    serves = ctx.plan.runs is None and (ctx.plan.peak_replicas > 1 or ctx.scenario.traffic.requests_per_second > 0)
    kind = load_balancer_kind(ctx.scenario, serves_traffic=serves)
    charge_front(bill, ctx, kind=kind)
    charge_transfer(bill, ctx)
    charge_trigger(bill, ctx.scenario)
    return result
