"""What every option module gets, and the rules they share (purchase models, sizes that fit)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from compute_advisor.engine import price_keys
from compute_advisor.engine.bill import Bill
from compute_advisor.engine.catalog import Catalog
from compute_advisor.engine.network import charge_data_transfer_out, charge_load_balancer
from compute_advisor.engine.pricebook import PriceBook
from compute_advisor.engine.scenario import Scenario, Workload
from compute_advisor.engine.usage import UsagePlan


class NotAvailable(Exception):
    """The option cannot run this workload (or cannot be priced); the message says why."""


@dataclass(frozen=True)
class Context:
    scenario: Scenario
    plan: UsagePlan
    book: PriceBook
    catalog: Catalog
    # False when the option prices one service of an application: the charges its services share (the load
    # balancer in front, data transfer out of the account) are then priced once, for the whole application.
    shared_charges: bool = True

    @property
    def workload(self) -> Workload:
        workload = self.scenario.workload
        assert workload is not None, "an option prices one service at a time"
        return workload

    @property
    def region(self) -> str:
        return self.book.region

    @property
    def hours(self) -> Decimal:
        return self.scenario.hours_per_month

    def label(self, option: str) -> str:
        return self.catalog.labels.get(option, option)


SAVINGS_PLAN_TERMS = {"savings_plan_1y": "1y", "savings_plan_3y": "3y"}
PURCHASE_NAMES = {
    "on_demand": "On-Demand",
    "spot": "Spot",
    "savings_plan_1y": "1-year Compute Savings Plan",
    "savings_plan_3y": "3-year Compute Savings Plan",
}


def rate_key(ctx: Context, service_code: str, key: str) -> tuple[str, str]:
    """Where the rate for `key` under the scenario's purchase model lives in the price book.

    Compute Savings Plans rates are kept as service `ComputeSavingsPlans`, key `<term>:<service>:<key>`
    (filled by a refresh from the AWS Price List's Savings Plans offer files; see `price_keys`).
    """
    term = SAVINGS_PLAN_TERMS.get(ctx.scenario.purchase)
    if term:
        return price_keys.savings_plan_rate(term, service_code, key)
    return (service_code, key)


def require_purchase_rate(ctx: Context, service_code: str, key: str, what: str) -> tuple[str, str]:
    where = rate_key(ctx, service_code, key)
    if ctx.book.get(*where) is None and ctx.scenario.purchase != "on_demand":
        raise NotAvailable(
            f"The price snapshot has no {PURCHASE_NAMES[ctx.scenario.purchase]} rate for {what} in "
            f"{ctx.region}; a refresh from the AWS Price List adds these rates."
        )
    return where


def no_purchase_model(ctx: Context, label: str, *, allowed: tuple[str, ...] = ("on_demand",)) -> None:
    purchase = ctx.scenario.purchase
    if purchase in allowed:
        return
    if purchase == "spot":
        raise NotAvailable(f"{label} has no Spot pricing.")
    raise NotAvailable(f"{label} is not covered by Compute Savings Plans.")


def fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def charge_front(bill: Bill, ctx: Context, *, kind: str, share: int = 1) -> None:
    """The load balancer in front of the service; for one service of an application, the kind it needs is
    noted for the application's shared one instead."""
    if ctx.shared_charges:
        charge_load_balancer(bill, ctx.scenario, kind=kind, share=share)
    bill.result.configuration["load_balancer"] = kind


def charge_transfer(bill: Bill, ctx: Context) -> None:
    """Data transfer out to the internet, whose free allowance and tiers are the account's: once per bill."""
    if ctx.shared_charges:
        charge_data_transfer_out(bill, ctx.scenario)
