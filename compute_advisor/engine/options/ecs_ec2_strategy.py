"""ECS on EC2 with a capacity provider strategy: each service's tasks split between the cluster's On-Demand
Auto Scaling group, a Spot group, and Fargate or Fargate Spot beside them.

Every hour (or every run) each service's tasks are split as the strategy says (engine.strategy: the base
first, the rest by weight). The parts on an EC2 group are packed with the other services' parts on that
group (engine.options.ecs_ec2_cluster), On-Demand at the scenario's purchase model, Spot at Spot rates; the
parts on FARGATE and FARGATE_SPOT are billed as Fargate tasks of their service. What the services share (the
load balancer, data transfer out) is charged once.

ECS itself takes either Auto Scaling group providers or Fargate providers in one strategy, not both: a
strategy that names both is priced as what a team runs for it, each service as two ECS services (one on the
groups, one on Fargate) splitting its tasks that way, and the result says so.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from compute_advisor.engine.application import ServicePlan
from compute_advisor.engine.application_bill import charge_shared, service_context, sharing_services, task_size
from compute_advisor.engine.bill import Bill
from compute_advisor.engine.declaration import field_spec
from compute_advisor.engine.money import ZERO
from compute_advisor.engine.options import ecs_ec2, ecs_ec2_cluster, fargate
from compute_advisor.engine.options.base import Context
from compute_advisor.engine.result import SHARED_RULE, OptionResult
from compute_advisor.engine.scenario import AlwaysOn, ClusterProviderShare, Hourly, Scenario, Scheduled
from compute_advisor.engine.strategy import Share, shares_of, split, usage_part
from compute_advisor.engine.usage import usage_plan

EC2_GROUPS = ("on_demand", "spot")
FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")
MIXED_WARNING = (
    "ECS takes either Auto Scaling group or Fargate capacity providers in one strategy, not both: each service "
    "whose tasks this strategy splits between them runs as two ECS services (one on the cluster's groups, one "
    "on Fargate), split this way, which is what is priced."
)
SPOT_GROUP_TYPES_WARNING = (
    "A Spot group does best with several instance types (an Auto Scaling group's mixed instances policy) so that "
    "one type's interruptions leave the others running; one type is priced here."
)


def provider_scenario(scenario: Scenario, provider: str) -> Scenario:
    """The scenario one provider's part is priced as: the EC2 Spot group and FARGATE_SPOT at Spot rates, the
    others at the scenario's purchase model; no strategy of its own."""
    settings = scenario.option_settings
    cleared = settings.model_copy(
        update={
            "ecs_ec2": settings.ecs_ec2.model_copy(update={"capacity_provider_strategy": None}),
            "fargate": settings.fargate.model_copy(update={"capacity_provider_strategy": None}),
        }
    )
    spot = provider in ("spot", "FARGATE_SPOT")
    return scenario.model_copy(update={"option_settings": cleared, **({"purchase": "spot"} if spot else {})})


def part_plan(plan: ServicePlan, strategy: list[Share], provider: str) -> ServicePlan | None:
    """The part of a service that one provider runs, as a plan of its own (None when it runs no task)."""
    usage = usage_part(plan.scenario.usage, strategy, provider)
    if usage is None:
        return None
    scenario = provider_scenario(plan.scenario, provider).model_copy(update={"usage": usage})
    hourly: tuple[int, ...] | None = None
    if isinstance(usage, Hourly):
        hourly = tuple(usage.replicas_by_hour)
    elif isinstance(usage, AlwaysOn) and plan.replicas_by_hour is not None:
        hourly = (usage.replicas,) * len(plan.replicas_by_hour)
    return replace(plan, scenario=scenario, replicas_by_hour=hourly, usage=usage_plan(scenario))


# What the declaration calls each EC2 group (and pages show): the name a group's lines start with.
GROUP_NAMES = {code: field_spec(ClusterProviderShare, "provider").labels[code] for code in EC2_GROUPS}


def absorb(result: OptionResult, part: OptionResult, *, provider: str) -> None:
    """One provider's lines, warnings and capacity into the option's result; an EC2 group's lines say which
    group (both have instances, volumes and addresses)."""
    group = GROUP_NAMES.get(provider)
    result.line_items += [
        replace(line, description=f"{group}: {line.description}") if group else line for line in part.line_items
    ]
    result.missing_prices += [m for m in part.missing_prices if m not in result.missing_prices]
    said = [f"{group}: {w}" if group else w for w in part.warnings]
    result.warnings += [w for w in said if w not in result.warnings]
    for capacity in part.configuration.get("capacity_providers", []):
        result.configuration.setdefault("capacity_providers", []).append({"provider": provider, **capacity})


def charge_fargate_part(ctx: Context, result: OptionResult, members: list[ServicePlan], provider: str) -> None:
    """The tasks a Fargate provider runs, as Fargate bills them, each line naming its service."""
    tasks, task_hours = 0, ZERO
    for plan in members:
        part = OptionResult(option=ecs_ec2.OPTION, label=result.label)
        done = fargate.charge_provider_part(
            Bill(ctx.book, part), service_context(ctx, plan), plan.scenario.usage, provider
        )
        part.line_items = [line.for_service(plan.name) for line in part.line_items]
        absorb(result, part, provider=provider)
        tasks += int(str(done["tasks"]))
        task_hours += Decimal(str(done["task_hours"]))
    result.configuration.setdefault("capacity_providers", []).append(
        {"provider": provider, "services": [p.name for p in members], "tasks": tasks, "task_hours": task_hours}
    )


def price(ctx: Context, plans: list[ServicePlan]) -> OptionResult:
    declared = ctx.scenario.option_settings.ecs_ec2.capacity_provider_strategy or []
    strategy = shares_of(declared)
    result = OptionResult(option=ecs_ec2.OPTION, label=ctx.label(ecs_ec2.OPTION), services=[], shared_rule=SHARED_RULE)
    kinds: set[str] = set()
    reserved: dict[str, tuple[Decimal, Decimal]] = {}
    for share in strategy:
        members = [m for plan in plans if (m := part_plan(plan, strategy, share.provider)) is not None]
        if not members:
            continue
        part_ctx = replace(ctx, scenario=provider_scenario(ctx.scenario, share.provider))
        if share.provider in EC2_GROUPS:
            part, needed = ecs_ec2_cluster.price_tasks(part_ctx, members)
            absorb(result, part, provider=share.provider)
            kinds |= set(needed)
            for member in members:
                if member.replicas_by_hour is not None:
                    vcpu, memory = ecs_ec2_cluster.reserved_hours(member)
                    before = reserved.get(member.name, (ZERO, ZERO))
                    reserved[member.name] = (before[0] + vcpu, before[1] + memory)
        else:
            charge_fargate_part(part_ctx, result, members, share.provider)
            kinds |= {ecs_ec2_cluster.front_kind(m) for m in members if m.replicas_by_hour is not None}
    # A Spot group's interruption band is in its entry already: its part was priced at Spot (ecs_ec2_cluster).
    for capacity in result.configuration.get("capacity_providers", []):
        entry = next(s for s in strategy if s.provider == capacity["provider"])
        capacity.update({"base": entry.base, "weight": entry.weight})
    describe_services(result, plans, strategy, reserved)
    named = {s.provider for s in strategy}
    if named & set(EC2_GROUPS) and named & set(FARGATE_PROVIDERS):
        result.warnings.append(MIXED_WARNING)
    if "spot" in named:
        result.warnings.append(SPOT_GROUP_TYPES_WARNING)
    charge_shared(ctx, ecs_ec2.OPTION, result, sorted(kinds - {"none"}))
    result.configuration.update(
        {
            "capacity": "capacity provider strategy",
            "services": len(plans),
            "service_names": [p.name for p in plans],
            "tasks_by_provider_by_hour": tasks_by_provider_by_hour(plans, strategy),
        }
    )
    result.attribute_shared()
    return result


def describe_services(
    result: OptionResult,
    plans: list[ServicePlan],
    strategy: list[Share],
    reserved: dict[str, tuple[Decimal, Decimal]],
) -> None:
    """Each service's split between the providers; its weight on the EC2 groups' shared instances is the
    vCPU-hours and memory-hours its tasks there reserve (a service wholly on Fargate shares none of them)."""
    assert result.services is not None

    def configure(plan: ServicePlan) -> dict[str, object]:
        usage = plan.scenario.usage
        # A scheduled service's tasks are its runs' tasks.
        counts = plan.replicas_by_hour or ((usage.replicas,) if isinstance(usage, AlwaysOn | Scheduled) else ())
        by_hour = [split(c, strategy) for c in counts]
        configuration: dict[str, object] = {
            "tasks": max(counts, default=0),
            **task_size(plan),
            "capacity": "capacity provider strategy",
            "tasks_by_provider": {s.provider: max((h[s.provider] for h in by_hour), default=0) for s in strategy},
        }
        if plan.replicas_by_hour is not None and len(set(plan.replicas_by_hour)) > 1:
            configuration["tasks_by_provider_by_hour"] = {
                s.provider: [h[s.provider] for h in by_hour] for s in strategy
            }
        return configuration

    result.services += sharing_services(plans, reserved, configure)


def tasks_by_provider_by_hour(plans: list[ServicePlan], strategy: list[Share]) -> dict[str, list[int]] | None:
    """The application's tasks on each provider, hour by hour of its profile (None when no service stays up)."""
    staying = [p.replicas_by_hour for p in plans if p.replicas_by_hour is not None]
    if not staying:
        return None
    length = len(staying[0])
    totals = {s.provider: [0] * length for s in strategy}
    for profile in staying:
        for hour, replicas in enumerate(profile):
            for provider, tasks in split(replicas, strategy).items():
                totals[provider][hour] += tasks
    return totals
