"""An application's services as the options price them: each one a one-service scenario of its own.

An autoscaling usage becomes the hourly profile its simulation gives (engine.scaling), and the CPU use the
simulation finds becomes the service's average CPU use (what burstable capacity is judged by). The load
balancer fronts the services marked so; the application's traffic is theirs, split evenly where an option
prices traffic per service (Lightsail's allowances), and priced once where it is the account's (data
transfer out, the shared load balancer's capacity units).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from compute_advisor.engine.result import ServiceUsage
from compute_advisor.engine.scaling import ScalingRun
from compute_advisor.engine.scenario import AlwaysOn, Autoscaling, Hourly, Scenario, Service, Traffic
from compute_advisor.engine.usage import UsagePlan, plain_number, usage_plan, usage_words

# Traffic fields that are amounts (split over the services) rather than sizes or ratios (kept).
_TRAFFIC_AMOUNTS = (
    "data_transfer_out_gib",
    "data_transfer_in_gib",
    "requests_per_second",
    "new_connections_per_second",
    "processed_gb_per_hour",
)


@dataclass(frozen=True)
class ServicePlan:
    name: str
    service: Service
    scenario: Scenario  # the one-service scenario the options price
    scaling: ScalingRun | None
    fronted: bool
    # The replicas each hour of the application's profile (a day when no service has one); None for runs.
    replicas_by_hour: tuple[int, ...] | None
    usage: UsagePlan  # what billing needs of the one-service scenario's usage (every option prices it)


def profile_length(scenario: Scenario) -> int:
    """The hours of the application's profile: a week when any service's profile is a week, else a day (0 when
    no service has a profile)."""
    lengths = set()
    for service in scenario.application:
        usage = service.usage
        if isinstance(usage, Hourly):
            lengths.add(len(usage.replicas_by_hour))
        elif isinstance(usage, Autoscaling):
            lengths.add(len(usage.simulated(service.workload).replicas_by_hour))
    return max(lengths, default=0)


def service_plans(scenario: Scenario) -> list[ServicePlan]:
    length = profile_length(scenario)
    services = scenario.application
    fronted = [s for s in services if s.fronted]
    sharing = len(fronted) or len(services)
    plans = []
    for service in services:
        usage, workload, run = service.usage, service.workload, None
        if isinstance(usage, Autoscaling):
            run = usage.simulated(workload)
            usage = _hourly(list(run.replicas_by_hour), length)
            if run.cpu_utilization_percent is not None:
                use = min(run.cpu_utilization_percent, Decimal(100)).quantize(Decimal("0.01"))
                workload = workload.model_copy(update={"cpu_utilization_percent": use})
        elif isinstance(usage, Hourly):
            usage = _hourly(list(usage.replicas_by_hour), length)
        gets_traffic = service.fronted or not fronted
        one = scenario.model_copy(
            update={
                "workload": workload,
                "usage": usage,
                "services": None,
                "traffic": _share(scenario.traffic, sharing if gets_traffic else 0),
                "load_balancer": scenario.load_balancer if service.fronted else "none",
                "name": service.name,
            }
        )
        if isinstance(usage, Hourly):
            hourly: tuple[int, ...] | None = tuple(usage.replicas_by_hour)
        elif isinstance(usage, AlwaysOn):
            hourly = (usage.replicas,) * (length or 24)
        else:
            hourly = None
        plans.append(ServicePlan(service.name, service, one, run, service.fronted, hourly, usage_plan(one)))
    return plans


def _hourly(profile: list[int], length: int) -> Hourly:
    """A profile as the application's length: a day repeated over the week when another service's is a week
    (billing is unchanged: each hour then weighs a seventh as much)."""
    return Hourly.model_construct(kind="hourly", replicas_by_hour=profile * (length // len(profile)))


def _share(traffic: Traffic, services: int) -> Traffic:
    """One service's part of the application's traffic: an even share of `services` (none when 0)."""
    update: dict[str, Decimal | None] = {}
    for name in _TRAFFIC_AMOUNTS:
        value = getattr(traffic, name)
        if value is not None:
            update[name] = value / services if services else Decimal(0)
    return traffic.model_copy(update=update)


def service_words(plan: ServicePlan) -> str:
    """One service's usage in words and numbers (with the replicas its simulation keeps, when it scales)."""
    words = usage_words(plan.service.usage, plan.usage)
    if plan.scaling is not None:
        words += f" Simulated: {min(plan.scaling.replicas_by_hour)} to {max(plan.scaling.replicas_by_hour)} replicas."
    return words


def application_summary(plans: list[ServicePlan]) -> str:
    """An application's services, each with its size and its usage in words and numbers."""
    parts = []
    for plan in plans:
        workload = plan.service.workload
        size = f"{plain_number(workload.vcpu)} vCPU / {plain_number(workload.memory_gib)} GiB"
        parts.append(f"{plan.name} ({size}): {service_words(plan)}")
    noun = "service" if len(parts) == 1 else "services"
    return f"{len(parts)} {noun}. " + " ".join(parts)


def service_usage(plans: list[ServicePlan]) -> tuple[ServiceUsage, ...]:
    """Each service's usage as the result states it once for every option: what it was declared, and for an
    autoscaling one the simulation's own run (the demand, replicas, bounds and utilisation of each hour)."""
    return tuple(
        ServiceUsage(
            name=plan.name,
            kind=plan.service.usage.kind,
            summary=service_words(plan),
            replicas_by_hour=plan.replicas_by_hour,
            scaling=plan.scaling,
            policy=plan.service.usage.policy.type if isinstance(plan.service.usage, Autoscaling) else None,
        )
        for plan in plans
    )
