"""One option's bill for a whole application: each service priced its way, then what they share, once.

Each service is priced as a one-service scenario (engine.application) with the shared charges left out;
its lines keep its name. Then the option's shared charges are added for the whole application:
- the load balancer in front: one of each kind the fronted services need (listener rules route to each
  service; Elastic Beanstalk environments can share one too), whose capacity units come from the
  application's whole traffic; ECS Express Mode's services share an ALB, up to 25 on one;
- data transfer out to the internet, whose free allowance and tiers are the account's.
App Runner and Lightsail include their own load balancing; Lightsail's plans include their own transfer.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from compute_advisor.engine.application import ServicePlan
from compute_advisor.engine.bill import Bill
from compute_advisor.engine.money import ZERO
from compute_advisor.engine.network import charge_data_transfer_out, charge_load_balancer
from compute_advisor.engine.options.base import Context, NotAvailable
from compute_advisor.engine.result import SHARED_RULE, OptionResult, ServiceResult

Pricer = Callable[[Context], OptionResult]
SHARE_A_LOAD_BALANCER = ("ecs_ec2", "fargate", "beanstalk")
OWN_TRANSFER = ("lightsail_instance", "lightsail_container")
EXPRESS_SERVICES_PER_ALB = 25


def service_context(ctx: Context, plan: ServicePlan) -> Context:
    return Context(
        scenario=plan.scenario,
        plan=plan.usage,
        book=ctx.book,
        catalog=ctx.catalog,
        shared_charges=False,
    )


def price_services(ctx: Context, pricer: Pricer, plans: list[ServicePlan]) -> list[tuple[ServicePlan, OptionResult]]:
    """Each service priced alone, without the shared charges; an option that cannot run one service cannot
    run the application, and says which."""
    parts = []
    for plan in plans:
        try:
            parts.append((plan, pricer(service_context(ctx, plan))))
        except NotAvailable as exc:
            raise NotAvailable(f"{plan.name}: {exc}") from None
    return parts


def combine(ctx: Context, code: str, parts: list[tuple[ServicePlan, OptionResult]]) -> OptionResult:
    """One option result of the services' own results: their lines named, their warnings said once."""
    result = OptionResult(option=code, label=ctx.label(code), services=[], shared_rule=SHARED_RULE)
    assert result.services is not None
    for plan, part in parts:
        result.line_items += [line.for_service(plan.name) for line in part.line_items]
        result.missing_prices += [m for m in part.missing_prices if m not in result.missing_prices]
        result.unranked_reason = result.unranked_reason or part.unranked_reason
        result.services.append(
            ServiceResult(
                name=plan.name,
                configuration=part.configuration,
                replicas_by_hour=plan.replicas_by_hour,
                fronted=plan.fronted,
            )
        )
    result.warnings = merged_warnings(parts)
    result.configuration = {
        "services": len(parts),
        "service_names": [plan.name for plan, _ in parts],
    }
    return result


def merged_warnings(parts: list[tuple[ServicePlan, OptionResult]]) -> list[str]:
    """A warning every service gives is said once; another names the services it is about."""
    said: dict[str, list[str]] = {}
    for plan, part in parts:
        for warning in part.warnings:
            said.setdefault(warning, []).append(plan.name)
    return [text if len(names) == len(parts) else f"{', '.join(names)}: {text}" for text, names in said.items()]


def front_kinds(parts: list[tuple[ServicePlan, OptionResult]]) -> list[str]:
    """The load balancers (alb, nlb) the fronted services need, as their own pricing noted."""
    kinds = {str(part.configuration.get("load_balancer", "none")) for plan, part in parts if plan.fronted}
    return sorted(kinds - {"none"})


def charge_shared(ctx: Context, code: str, result: OptionResult, kinds: list[str]) -> None:
    """The charges the application's services share, once: the load balancer(s) in front, data transfer out."""
    bill = Bill(ctx.book, result)
    scenario = ctx.scenario
    if code in SHARE_A_LOAD_BALANCER:
        for kind in kinds:
            charge_load_balancer(bill, scenario, kind=kind)
        result.configuration["load_balancers"] = kinds
    elif code == "ecs_express":
        charge_express_albs(bill, ctx, services=len(result.services or ()))
    if code not in OWN_TRANSFER:
        charge_data_transfer_out(bill, scenario)


def charge_express_albs(bill: Bill, ctx: Context, *, services: int) -> None:
    """Express Mode services share an ALB, up to 25 on one (and with the VPC's other Express services)."""
    sharing = ctx.scenario.option_settings.ecs_express.services_sharing_alb
    albs = -(-services // EXPRESS_SERVICES_PER_ALB)
    quiet = ctx.scenario.model_copy(update={"traffic": ctx.scenario.traffic.model_copy(update=_NO_TRAFFIC)})
    left = services
    for index in range(albs):
        ours = min(left, EXPRESS_SERVICES_PER_ALB)
        left -= ours
        # The application's traffic passes the first ALB's capacity units once, not each ALB's.
        charge_load_balancer(
            bill,
            ctx.scenario if index == 0 else quiet,
            kind="alb",
            share=max(ours, sharing) if albs == 1 else ours,
            ours=ours,
        )
    bill.result.configuration.update({"load_balancers": ["alb"] * albs, "services_sharing_alb": max(services, sharing)})


_NO_TRAFFIC = {"requests_per_second": 0, "new_connections_per_second": None, "processed_gb_per_hour": None}


def sharing_services(
    plans: list[ServicePlan],
    held: dict[str, tuple[Decimal, Decimal]],
    configure: Callable[[ServicePlan], dict[str, object]],
) -> list[ServiceResult]:
    """The services that share capacity (a cluster's instances, a deployment's nodes), each weighted by its
    part of the vCPU and of the memory they hold (`held`: a service's vCPU and GiB, or -hours), half each."""
    vcpu_total = sum((v for v, _ in held.values()), ZERO) or Decimal(1)
    memory_total = sum((m for _, m in held.values()), ZERO) or Decimal(1)
    services = []
    for plan in plans:
        vcpu, memory = held.get(plan.name, (ZERO, ZERO))
        services.append(
            ServiceResult(
                name=plan.name,
                configuration=configure(plan),
                replicas_by_hour=plan.replicas_by_hour,
                weight=(vcpu / vcpu_total + memory / memory_total) / 2,
                fronted=plan.fronted,
            )
        )
    return services


def task_size(plan: ServicePlan) -> dict[str, object]:
    """A service's task size, as its configuration states it."""
    workload = plan.scenario.workload
    assert workload is not None
    return {"task_vcpu": workload.vcpu, "task_memory_gib": workload.memory_gib}


def price_application(ctx: Context, code: str, pricer: Pricer, plans: list[ServicePlan]) -> OptionResult:
    parts = price_services(ctx, pricer, plans)
    result = combine(ctx, code, parts)
    charge_shared(ctx, code, result, front_kinds(parts))
    result.attribute_shared()
    return result
