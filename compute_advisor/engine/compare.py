"""Price one scenario on every option it asks for: the engine's front door."""

from __future__ import annotations

from collections.abc import Callable

from compute_advisor.engine.bill import PriceMissing
from compute_advisor.engine.catalog import Catalog, default_catalog
from compute_advisor.engine.money import engine_precision
from compute_advisor.engine.options import app_runner, beanstalk, ecs_ec2, ecs_express, fargate, lightsail
from compute_advisor.engine.options.base import Context, NotAvailable
from compute_advisor.engine.pricebook import PriceBook
from compute_advisor.engine.result import OptionResult, Result, unavailable
from compute_advisor.engine.scenario import Scenario, ScenarioError, parse_scenario
from compute_advisor.engine.usage import usage_plan, usage_summary

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
    names = {n for b in catalog.lightsail_bundles for n in (b.bundle_id, b.bundle_id.split("_")[0], b.name.lower())}
    if bundle and bundle not in names:
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
    ctx = Context(scenario=scenario, plan=usage_plan(scenario), book=book, catalog=catalog)
    with engine_precision():
        options = [price_option(ctx, code) for code in scenario.options]
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


def assumptions(scenario: Scenario) -> dict[str, object]:
    """What the prices rest on besides the workload: every result restates it."""
    return {
        "cpu_utilization_percent": scenario.workload.cpu_utilization_percent,
        "min_zones": scenario.resilience.min_zones,
        "hours_per_month": scenario.hours_per_month,
        "app_runner_existing_account": scenario.option_settings.app_runner.existing_account,
    }


def price_option(ctx: Context, code: str) -> OptionResult:
    label = ctx.label(code)
    try:
        return PRICERS[code](ctx)
    except NotAvailable as exc:
        reason = str(exc)
    except PriceMissing as missing:
        reason = f"The price snapshot has no price for {missing.service_code} {missing.key} in {missing.region}."
    result = unavailable(code, label, reason)
    # A closed service stays flagged even when it cannot be priced.
    result.warnings = [f"{n.title}: {n.text}" for n in ctx.catalog.notices.get(code, ()) if n.kind == "closed"]
    return result
