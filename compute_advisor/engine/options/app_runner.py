"""AWS App Runner: provisioned instances pay memory; active instances pay vCPU and memory, once.

Rules (https://aws.amazon.com/apprunner/pricing/): per second; provisioned (idle, kept warm) instances
pay per GB-hour; an instance handling requests pays vCPU-hours and GB-hours at the active rate instead;
each time an instance becomes active it pays at least one minute of vCPU. Automatic deployments cost a
fixed amount per application per month, builds per build-minute. Closed to new customers on 2026-04-30.
"""

from __future__ import annotations

from decimal import Decimal

from compute_advisor.engine import price_keys as keys
from compute_advisor.engine.bill import Bill
from compute_advisor.engine.money import ZERO
from compute_advisor.engine.options.base import (
    Context,
    NotAvailable,
    charge_transfer,
    fmt,
    no_purchase_model,
)
from compute_advisor.engine.reference import AppRunnerSize
from compute_advisor.engine.result import OptionResult
from compute_advisor.engine.usage import BilledHours, billed_hours

OPTION = "app_runner"
MINIMUM_ACTIVE_VCPU_SECONDS = Decimal(60)


def snap_size(
    sizes: tuple[AppRunnerSize, ...],
    *,
    vcpu: Decimal,
    memory_gib: Decimal,
    vcpu_rate: Decimal,
    gb_rate: Decimal,
) -> AppRunnerSize | None:
    fitting = [s for s in sizes if s.vcpu >= vcpu and s.memory_gib >= memory_gib]
    if not fitting:
        return None
    return min(fitting, key=lambda s: (s.vcpu * vcpu_rate + s.memory_gib * gb_rate, s.vcpu, s.memory_gib))


def price(ctx: Context) -> OptionResult:
    scenario, workload = ctx.scenario, ctx.workload
    settings = scenario.option_settings.app_runner
    result = OptionResult(option=OPTION, label=ctx.label(OPTION))
    bill = Bill(ctx.book, result)
    closed = [n for n in ctx.catalog.notices.get(OPTION, ()) if n.kind == "closed"]
    for notice in closed:
        result.warnings.append(f"{notice.title}: {notice.text}")
    if closed and not ctx.scenario.option_settings.app_runner.existing_account:
        # A new account cannot sign up: priced for comparison, never recommended.
        result.unranked_reason = (
            "Not ranked: App Runner takes no new customers. Set option_settings.app_runner.existing_account "
            "to true if this account already uses it."
        )
    no_purchase_model(ctx, result.label)
    if workload.os == "windows":
        raise NotAvailable("App Runner runs Linux containers only.")
    vcpu_rate = bill.price(*keys.APP_RUNNER_VCPU.at())
    active_gb = bill.price(*keys.APP_RUNNER_MEMORY.at())
    provisioned_gb = bill.price(*keys.APP_RUNNER_PROVISIONED_MEMORY.at())
    assert vcpu_rate and active_gb and provisioned_gb
    size = snap_size(
        ctx.catalog.app_runner_sizes,
        vcpu=workload.vcpu,
        memory_gib=workload.memory_gib,
        vcpu_rate=vcpu_rate.usd,
        gb_rate=active_gb.usd,
    )
    if size is None:
        top = max(ctx.catalog.app_runner_sizes)
        raise NotAvailable(
            f"No App Runner instance size has {fmt(workload.vcpu)} vCPU and {fmt(workload.memory_gib)} GB; "
            f"the largest is {fmt(top.vcpu)} vCPU and {fmt(top.memory_gib)} GB."
        )

    plan, hours_in_month, minimum = ctx.plan, ctx.hours, settings.min_instances
    if plan.runs is not None:
        runs = plan.runs
        active = BilledHours(runs.replicas * runs.hours_active)
        # The first minute of vCPU is billed each time an instance starts handling a run.
        billed_vcpu_seconds = max(runs.seconds, MINIMUM_ACTIVE_VCPU_SECONDS)
        active_vcpu = BilledHours(
            active.total + runs.replicas * runs.count * (billed_vcpu_seconds - runs.seconds) / 3600
        )
        idle_hours = max(hours_in_month - runs.hours_active, ZERO)
        idle = BilledHours(minimum * idle_hours + max(minimum - runs.replicas, 0) * runs.hours_active)
    else:
        # Active for `share` of each hour (all of it unless the settings say how many hours a day).
        share = Decimal(1) if settings.active_hours_per_day is None else settings.active_hours_per_day / 24
        active = active_vcpu = billed_hours(plan, lambda replicas: replicas * share)
        idle = billed_hours(plan, lambda replicas: minimum * (1 - share) + max(minimum - replicas, 0) * share)

    bill.hourly(
        *keys.APP_RUNNER_VCPU.at(),
        hours=active_vcpu,
        per=size.vcpu,
        description=f"App Runner active instances, vCPU ({fmt(size.vcpu)} vCPU each)",
    )
    bill.hourly(
        *keys.APP_RUNNER_MEMORY.at(),
        hours=active,
        per=size.memory_gib,
        description=f"App Runner active instances, memory ({fmt(size.memory_gib)} GB each)",
    )
    bill.hourly(
        *keys.APP_RUNNER_PROVISIONED_MEMORY.at(),
        hours=idle,
        per=size.memory_gib,
        description=f"App Runner provisioned (idle) instances, memory (at least {minimum} kept warm)",
    )
    if settings.automatic_deployments:
        bill.units(
            *keys.APP_RUNNER_AUTOMATIC_DEPLOYMENTS.at(),
            quantity=Decimal(1),
            description="App Runner automatic deployments (per application)",
            category="other",
            required=False,
            what="App Runner automatic deployments",
        )
    if settings.build_minutes_per_month:
        bill.units(
            *keys.APP_RUNNER_BUILD_MINUTES.at(),
            quantity=settings.build_minutes_per_month,
            description="App Runner build minutes",
            category="other",
            required=False,
            what="App Runner build minutes",
        )
    charge_transfer(bill, ctx)
    result.configuration.update(
        {
            "instance_vcpu": size.vcpu,
            "instance_memory_gib": size.memory_gib,
            "min_instances": minimum,
            "max_active_instances": plan.peak_replicas,
            "active_instance_hours": active.total,
            "idle_instance_hours": idle.total,
        }
    )
    if size.vcpu != workload.vcpu or size.memory_gib != workload.memory_gib:
        result.warnings.append(
            f"Instances are billed as {fmt(size.vcpu)} vCPU / {fmt(size.memory_gib)} GB, the cheapest App Runner size "
            f"that fits {fmt(workload.vcpu)} vCPU / {fmt(workload.memory_gib)} GB."
        )
    if plan.peak_replicas > 25:
        result.warnings.append("App Runner services scale to 25 instances by default; more needs a quota increase.")
    return result
