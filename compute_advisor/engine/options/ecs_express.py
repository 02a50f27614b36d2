"""Amazon ECS Express Mode: Fargate tasks behind an Application Load Balancer, no charge of its own.

What Express Mode creates (ECS developer guide, "Resources created by Amazon ECS Express Mode"): a
Fargate service (on-demand capacity, at least 1 task), an internet-facing ALB that up to 25 Express
Mode services in a VPC share, and public IPs on tasks in public subnets.
"""

from __future__ import annotations

from compute_advisor.engine.bill import Bill
from compute_advisor.engine.options.base import Context, NotAvailable, charge_front, charge_transfer, no_purchase_model
from compute_advisor.engine.options.fargate import charge_fargate_tasks
from compute_advisor.engine.result import OptionResult

OPTION = "ecs_express"


def price(ctx: Context) -> OptionResult:
    scenario = ctx.scenario
    result = OptionResult(option=OPTION, label=ctx.label(OPTION))
    bill = Bill(ctx.book, result)
    no_purchase_model(ctx, result.label, allowed=("on_demand", "savings_plan_1y", "savings_plan_3y"))
    if ctx.workload.os == "windows":
        raise NotAvailable("ECS Express Mode runs Linux tasks only.")
    if ctx.plan.runs is not None:
        raise NotAvailable(
            "ECS Express Mode runs a web service that stays up; for scheduled runs use Fargate scheduled tasks."
        )
    charge_fargate_tasks(bill, ctx, spot=False, minimum_tasks=1)
    share = scenario.option_settings.ecs_express.services_sharing_alb
    kind = "alb"
    if scenario.load_balancer in ("nlb", "none"):
        result.warnings.append("ECS Express Mode always puts the service behind an Application Load Balancer.")
    charge_front(bill, ctx, kind=kind, share=share)
    charge_transfer(bill, ctx)
    result.configuration.update({"services_sharing_alb": share, "load_balancer": kind})
    if share == 1:
        result.warnings.append(
            "The load balancer is priced for this service alone; up to 25 Express Mode services in a VPC share "
            "one (option_settings.ecs_express.services_sharing_alb)."
        )
    return result
