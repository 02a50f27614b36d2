"""Price one scenario on every option it asks for: the engine's front door."""

from __future__ import annotations

from collections.abc import Callable

from compute_advisor.engine.application import (
    ServicePlan,
    application_summary,
    profile_length,
    service_plans,
    service_usage,
)
from compute_advisor.engine.application_bill import price_application
from compute_advisor.engine.bill import PriceMissing
from compute_advisor.engine.catalog import Catalog, default_catalog
from compute_advisor.engine.money import engine_precision
from compute_advisor.engine.options import (
    app_runner,
    beanstalk,
    ecs_ec2,
    ecs_ec2_cluster,
    ecs_ec2_strategy,
    ecs_express,
    fargate,
    lightsail,
    lightsail_deployment,
)
from compute_advisor.engine.options.base import Context, NotAvailable
from compute_advisor.engine.pricebook import PriceBook
from compute_advisor.engine.result import OptionResult, Result, unavailable
from compute_advisor.engine.scenario import Scenario, ScenarioError, parse_scenario
from compute_advisor.engine.usage import UsagePlan, hour_weights, usage_plan, usage_summary

PRICERS: dict[str, Callable[[Context], OptionResult]] = {
    "ecs_ec2": ecs_ec2.price,
    "fargate": fargate.price,
    "beanstalk": beanstalk.price,
    "app_runner": app_runner.price,
    "lightsail_instance": lightsail.price_instance,
    "lightsail_container": lightsail.price_container,
    "ecs_express": ecs_express.price,
}


def check_against_catalog(scenario: Scenario, catalog: Catalog) -> None:
    """Names in option_settings must exist: a typo is an input error, not a silently ignored pin."""
    errors: dict[str, list[str]] = {}
    settings = scenario.option_settings
    for index, name in enumerate(settings.ecs_ec2.instance_types or []):
        if name not in catalog.instance_types:
            errors[f"option_settings.ecs_ec2.instance_types.{index}"] = [f"{name!r} is not an EC2 instance type"]
    if settings.beanstalk.instance_type and settings.beanstalk.instance_type not in catalog.instance_types:
        errors["option_settings.beanstalk.instance_type"] = [
            f"{settings.beanstalk.instance_type!r} is not an EC2 instance type"
        ]
    bundle = settings.lightsail_instance.bundle
    if bundle and bundle not in {
        n for b in catalog.lightsail_bundles for n in (b.bundle_id, b.bundle_id.split("_")[0], b.name.lower())
    }:
        errors["option_settings.lightsail_instance.bundle"] = [f"{bundle!r} is not a Lightsail bundle"]
    power = settings.lightsail_container.power
    if power and power not in {p.power for p in catalog.lightsail_powers}:
        known = ", ".join(p.power for p in catalog.lightsail_powers)
        errors["option_settings.lightsail_container.power"] = [f"{power!r} is not a priced power ({known})"]
    if errors:
        raise ScenarioError(errors)


def checked_scenario(data: object, catalog: Catalog | None = None) -> Scenario:
    """The scenario of `data`, checked in full (the contract and the catalog's names), as pricing checks it:
    what is saved this way can always be priced."""
    scenario = parse_scenario(data)
    check_against_catalog(scenario, catalog or default_catalog())
    return scenario


def estimate(scenario: Scenario, book: PriceBook, catalog: Catalog | None = None) -> Result:
    """Every asked option priced (or unavailable with its reason), in the order asked."""
    catalog = catalog or default_catalog()
    if book.region != scenario.region:
        raise ValueError(f"price book is for {book.region}, scenario for {scenario.region}")
    if book.is_empty():
        raise ScenarioError({"region": [f"the price snapshot has no prices for {scenario.region}"]})
    check_against_catalog(scenario, catalog)
    if scenario.is_application:
        return estimate_application(scenario, book, catalog)
    ctx = Context(scenario=scenario, plan=usage_plan(scenario), book=book, catalog=catalog)
    with engine_precision():
        options = [price_option(ctx, code, one_service_pricing(ctx, code)) for code in scenario.options]
        summary = usage_summary(scenario, ctx.plan)
    return Result(
        region=scenario.region,
        hours_per_month=scenario.hours_per_month,
        snapshot=book.snapshot,
        options=options,
        profile_weights=ctx.plan.profile_weights,
        usage_summary=summary,
        assumptions=assumptions(scenario),
    )


def application_context(scenario: Scenario, book: PriceBook, catalog: Catalog) -> Context:
    """The context an application is priced in: its profile's hours, which each service's plan follows."""
    length = profile_length(scenario)
    weights = tuple(hour_weights(length, scenario.hours_per_month)) if length else ()
    plan = UsagePlan(hours_per_month=scenario.hours_per_month, profile_weights=weights)
    return Context(scenario=scenario, plan=plan, book=book, catalog=catalog)


def estimate_application(scenario: Scenario, book: PriceBook, catalog: Catalog) -> Result:
    """An application's services priced together on each option (engine.application_bill)."""
    ctx = application_context(scenario, book, catalog)
    weights = ctx.plan.profile_weights
    with engine_precision():
        plans = service_plans(scenario)
        options = [price_option(ctx, code, application_pricing(ctx, code, plans)) for code in scenario.options]
        summary = application_summary(plans)
    return Result(
        region=scenario.region,
        hours_per_month=scenario.hours_per_month,
        snapshot=book.snapshot,
        options=options,
        profile_weights=weights,
        usage_summary=summary,
        assumptions=assumptions(scenario, plans),
        service_usage=service_usage(plans),
    )


def application_pricing(ctx: Context, code: str, plans: list[ServicePlan]) -> Callable[[], OptionResult]:
    """How option `code` prices the application: ECS on EC2 packs all its services onto one cluster; the
    others price each service their way and add what they share (engine.application_bill)."""
    if code == ecs_ec2.OPTION and ctx.scenario.option_settings.ecs_ec2.capacity_provider_strategy:
        return lambda: ecs_ec2_strategy.price(ctx, plans)
    if code == ecs_ec2.OPTION:
        return lambda: ecs_ec2_cluster.price(ctx, plans)
    if code == lightsail.CONTAINER:
        return lambda: lightsail_deployment.price(ctx, plans)
    return lambda: price_application(ctx, code, PRICERS[code], plans)


def one_service_pricing(ctx: Context, code: str) -> Callable[[], OptionResult] | None:
    """How option `code` prices a one-service scenario, where that is not its own pricer: ECS on EC2 with a
    capacity provider strategy splits the service's tasks as it does an application's, then speaks of one
    service again."""
    if code != ecs_ec2.OPTION or not ctx.scenario.option_settings.ecs_ec2.capacity_provider_strategy:
        return None

    def pricing() -> OptionResult:
        app = application_context(ctx.scenario, ctx.book, ctx.catalog)
        result = ecs_ec2_strategy.price(app, service_plans(ctx.scenario))
        assert result.services is not None
        (service,) = result.services
        result.configuration.update({k: v for k, v in service.configuration.items() if k.startswith("tasks")})
        for key in ("services", "service_names"):
            result.configuration.pop(key, None)
        result.line_items = [line.for_service(None) for line in result.line_items]
        result.services, result.shared_rule = None, ""
        return result

    return pricing


def assumptions(scenario: Scenario, plans: list[ServicePlan] | None = None) -> dict[str, object]:
    """What the prices rest on besides the workload: every result restates it. A service that autoscales on
    CPU is priced at the CPU use its simulation finds."""
    workloads = [p.scenario.workload for p in plans] if plans else [s.workload for s in scenario.application]
    uses = [w.cpu_utilization_percent for w in workloads if w is not None]
    names = [p.name for p in plans] if plans else [s.name for s in scenario.application]
    return {
        "cpu_utilization_percent": uses[0] if len(set(uses)) == 1 else None,
        **({"cpu_utilization_percent_by_service": dict(zip(names, uses, strict=True))} if len(names) > 1 else {}),
        "min_zones": scenario.resilience.min_zones,
        "hours_per_month": scenario.hours_per_month,
        "app_runner_existing_account": scenario.option_settings.app_runner.existing_account,
    }


def price_option(ctx: Context, code: str, pricing: Callable[[], OptionResult] | None = None) -> OptionResult:
    label = ctx.label(code)
    try:
        return pricing() if pricing else PRICERS[code](ctx)
    except NotAvailable as exc:
        reason = str(exc)
    except PriceMissing as missing:
        reason = f"The price snapshot has no price for {missing.service_code} {missing.key} in {missing.region}."
    result = unavailable(code, label, reason)
    # A closed service stays flagged even when it cannot be priced.
    result.warnings = [f"{n.title}: {n.text}" for n in ctx.catalog.notices.get(code, ()) if n.kind == "closed"]
    return result
