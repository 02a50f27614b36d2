"""Lightsail container services for an application: a container service per service, or the services as
containers of one deployment, whichever costs less where Lightsail allows it.

A container service has one deployment of up to 10 container entries, and every node runs each of them;
only one container is the public endpoint (Lightsail's container services guide). So the services fit one
deployment when there are at most 10 and at most one is behind the load balancer. Its nodes need the power
for one of each container together, and as many nodes as the service with the most replicas; the other
services then run that many copies too. One deployment has one 500 GB transfer allowance where separate
services have one each.
"""

from __future__ import annotations

from compute_advisor.engine.application import ServicePlan
from compute_advisor.engine.application_bill import price_application, sharing_services, task_size
from compute_advisor.engine.money import ZERO, cents
from compute_advisor.engine.options import lightsail
from compute_advisor.engine.options.base import Context, NotAvailable
from compute_advisor.engine.result import SHARED_RULE, OptionResult
from compute_advisor.engine.scenario import AlwaysOn, Workload
from compute_advisor.engine.usage import usage_plan

SEPARATE = "one container service per service"
TOGETHER = "one container service: the services as containers of one deployment"


def peak(plan: ServicePlan) -> int:
    """The most replicas the service runs at once (a scheduled service's run tasks: Lightsail runs them always)."""
    if plan.replicas_by_hour is not None:
        return max(plan.replicas_by_hour)
    return plan.usage.peak_replicas


def one_deployment_refusal(ctx: Context, plans: list[ServicePlan]) -> str | None:
    """Why the services cannot be containers of one deployment, or None when they can."""
    limit = ctx.catalog.lightsail_containers_per_deployment
    if len(plans) > limit:
        return f"a deployment holds at most {limit} containers"
    if sum(1 for p in plans if p.fronted) > 1:
        return "only one container of a deployment can be its public endpoint"
    return None


def combined_workload(plans: list[ServicePlan]) -> Workload:
    """One node's share of the deployment: one of each container."""
    workloads = [p.scenario.workload for p in plans]
    assert all(w is not None for w in workloads)
    first = workloads[0]
    assert first is not None
    return first.model_copy(
        update={
            "vcpu": sum((w.vcpu for w in workloads if w), ZERO),
            "memory_gib": sum((w.memory_gib for w in workloads if w), ZERO),
            "architecture": "arm64" if any(w.architecture == "arm64" for w in workloads if w) else "x86_64",
        }
    )


def price_together(ctx: Context, plans: list[ServicePlan]) -> OptionResult:
    nodes = max(peak(p) for p in plans)
    scenario = ctx.scenario.model_copy(
        update={
            "services": None,
            "workload": combined_workload(plans),
            "usage": AlwaysOn.model_construct(kind="always_on", replicas=nodes),
        }
    )
    part = lightsail.price_container(Context(scenario, usage_plan(scenario), ctx.book, ctx.catalog))
    result = OptionResult(
        option=lightsail.CONTAINER,
        label=part.label,
        line_items=part.line_items,
        warnings=part.warnings,
        missing_prices=part.missing_prices,
        configuration={**part.configuration, "containers_per_node": len(plans)},
        services=[],
        shared_rule=SHARED_RULE,
    )
    assert result.services is not None
    # Each node holds one of each container: a service's share of the nodes is its share of what they hold.
    result.services += sharing_services(
        plans,
        {p.name: (p.scenario.workload.vcpu, p.scenario.workload.memory_gib) for p in plans if p.scenario.workload},
        lambda plan: {"tasks": nodes, **task_size(plan), "capacity": f"a container on each of the {nodes} nodes"},
    )
    extra = [p.name for p in plans if peak(p) < nodes]
    if extra:
        result.warnings.append(
            f"Every node runs one of each container, so {', '.join(extra)} run{'s' if len(extra) == 1 else ''} "
            f"{nodes} copies, as many as the service with the most replicas."
        )
    return result


def price(ctx: Context, plans: list[ServicePlan]) -> OptionResult:
    """The cheaper of the two ways Lightsail can run the services, saying which and what the other costs."""
    try:
        apart: OptionResult | None = price_application(ctx, lightsail.CONTAINER, lightsail.price_container, plans)
        apart_reason = ""
    except NotAvailable as exc:
        apart, apart_reason = None, str(exc)
    shareable = len(plans) > 1  # one service is one container service either way
    refusal = one_deployment_refusal(ctx, plans) if shareable else None
    together = None
    if shareable and refusal is None:
        try:
            together = price_together(ctx, plans)
            together.attribute_shared()
        except NotAvailable as exc:
            refusal = str(exc)
    if together is None and apart is None:
        raise NotAvailable(apart_reason)
    if together is not None and (apart is None or together.monthly_cost < apart.monthly_cost):
        other = (
            f"one container service per service would cost {cents(apart.monthly_cost)} USD a month"
            if apart
            else f"one container service per service cannot run them ({apart_reason})"
        )
        together.configuration["deployment"] = TOGETHER
        together.warnings.append(f"The services run as containers of one deployment: {other}.")
        return together
    assert apart is not None
    apart.configuration["deployment"] = SEPARATE
    if together is not None:
        apart.warnings.append(
            f"One deployment holding every service as a container would cost {cents(together.monthly_cost)} "
            "USD a month."
        )
    elif refusal is not None:
        apart.warnings.append(f"The services cannot share one deployment: {refusal}.")
    return apart
