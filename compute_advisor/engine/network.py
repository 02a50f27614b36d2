"""Load balancers, data transfer out and public IPv4 addresses: the charges several options share."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from compute_advisor.engine import price_keys as keys
from compute_advisor.engine.bill import Bill
from compute_advisor.engine.money import ZERO, ceil_int
from compute_advisor.engine.scenario import Scenario, Traffic
from compute_advisor.engine.usage import BilledHours

# Elastic Load Balancing capacity units (https://aws.amazon.com/elasticloadbalancing/pricing/): an ALB
# LCU is 25 new connections a second, 3,000 active connections a minute, 1 GB processed an hour (EC2,
# container and IP targets) or 1,000 rule evaluations a second; the first 10 rules are free. An NLB
# NLCU (TCP) is 800 new connections a second, 100,000 active connections or 1 GB an hour.
ALB_NEW_PER_LCU = Decimal(25)
ALB_ACTIVE_PER_LCU = Decimal(3000)
ALB_RULES_PER_LCU = Decimal(1000)
ALB_FREE_RULES = 10
NLB_NEW_PER_LCU = Decimal(800)
NLB_ACTIVE_PER_LCU = Decimal(100000)
# One unit system for processed bytes, decimal: AWS's worked example counts 300 KB a second as 1.08 GB an
# hour, so request and response sizes are KB of 10^3 bytes and processed GB are 10^9 bytes.
BYTES_PER_KB = Decimal(1000)
BYTES_PER_GB = Decimal(10) ** 9
# Without better data, the connections are those of AWS's ALB pricing example: 1 new connection a second
# carrying 5 requests a second (clients keep connections alive), each open for 2 minutes.
DEFAULT_REQUESTS_PER_CONNECTION = Decimal(5)
DEFAULT_CONNECTION_SECONDS = Decimal(120)
# An internet-facing load balancer has a node, and a public IPv4 address, in at least two
# Availability Zones (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/).
LOAD_BALANCER_AZS = 2


@dataclass(frozen=True)
class CapacityUnits:
    new_connections: Decimal
    active_connections: Decimal
    processed_gb: Decimal
    rule_evaluations: Decimal

    @property
    def billed(self) -> Decimal:
        return max(self.new_connections, self.active_connections, self.processed_gb, self.rule_evaluations)

    @property
    def dimension(self) -> str:
        values = {
            "new connections": self.new_connections,
            "active connections": self.active_connections,
            "processed bytes": self.processed_gb,
            "rule evaluations": self.rule_evaluations,
        }
        return max(values, key=lambda name: values[name])


def _connections(traffic: Traffic) -> tuple[Decimal, Decimal]:
    new = traffic.new_connections_per_second
    if new is None:
        new = traffic.requests_per_second / (traffic.requests_per_connection or DEFAULT_REQUESTS_PER_CONNECTION)
    seconds = traffic.connection_seconds or DEFAULT_CONNECTION_SECONDS
    # Connections open at once: AWS's example counts 1 new connection a second lasting 2 minutes
    # as 120 active connections.
    return new, new * seconds


def processed_gb_per_hour(traffic: Traffic) -> Decimal:
    if traffic.processed_gb_per_hour is not None:
        return traffic.processed_gb_per_hour
    per_request_kb = traffic.avg_response_kib + (traffic.avg_request_kib or ZERO)
    return traffic.requests_per_second * per_request_kb * BYTES_PER_KB * 3600 / BYTES_PER_GB


def alb_capacity_units(traffic: Traffic) -> CapacityUnits:
    new, active_per_minute = _connections(traffic)
    rules = traffic.rules_per_request if traffic.rules_per_request is not None else 1
    return CapacityUnits(
        new_connections=new / ALB_NEW_PER_LCU,
        active_connections=active_per_minute / ALB_ACTIVE_PER_LCU,
        processed_gb=processed_gb_per_hour(traffic),
        rule_evaluations=traffic.requests_per_second * max(rules - ALB_FREE_RULES, 0) / ALB_RULES_PER_LCU,
    )


def nlb_capacity_units(traffic: Traffic) -> CapacityUnits:
    new, active_per_minute = _connections(traffic)
    return CapacityUnits(
        new_connections=new / NLB_NEW_PER_LCU,
        active_connections=active_per_minute / NLB_ACTIVE_PER_LCU,
        processed_gb=processed_gb_per_hour(traffic),
        rule_evaluations=ZERO,
    )


def load_balancer_kind(scenario: Scenario, *, serves_traffic: bool) -> str:
    """alb, nlb or none: what the scenario asks for, or what the option needs under `auto`."""
    if scenario.load_balancer != "auto":
        return scenario.load_balancer
    return "alb" if serves_traffic else "none"


def charge_load_balancer(
    bill: Bill,
    scenario: Scenario,
    *,
    kind: str,
    share: int = 1,
    ours: int = 1,
    hours: Decimal | None = None,
) -> None:
    """An ALB or NLB running all month: hours (a partial hour bills as a whole one) and capacity units.

    `share`: how many services split one load balancer's hourly charge (ECS Express Mode), `ours` of them
    priced here.
    """
    if kind == "none":
        return
    hours = Decimal(ceil_int(hours if hours is not None else scenario.hours_per_month))
    name = "Application Load Balancer" if kind == "alb" else "Network Load Balancer"
    shared = f", shared by {share} services" if share > 1 else ""
    if 1 < ours < share:
        shared += f", {ours} of them this application's"
    bill.hourly(
        *keys.LOAD_BALANCER_HOURS[kind].at(),
        hours=hours,
        per=Decimal(ours) / share,
        description=f"{name} hours{shared}",
        category="load_balancer",
    )
    units = alb_capacity_units(scenario.traffic) if kind == "alb" else nlb_capacity_units(scenario.traffic)
    if units.billed > 0:
        traffic = scenario.traffic
        new, _ = _connections(traffic)
        bill.hourly(
            *keys.LOAD_BALANCER_CAPACITY_UNITS[kind].at(),
            hours=hours,
            per=units.billed,
            description=(
                f"{name} capacity units: {_num(units.billed)} an hour, set by {units.dimension} "
                f"({_num(traffic.requests_per_second)} requests/s, {_num(new)} new connections/s, "
                f"{_num(processed_gb_per_hour(traffic))} GB processed an hour, GB of 10^9 bytes)"
            ),
            category="load_balancer",
            required=False,
            what=f"{name} capacity units",
        )
    if scenario.public_ipv4:
        bill.hourly(
            *keys.PUBLIC_IPV4_IN_USE.at(),
            hours=hours,
            per=Decimal(LOAD_BALANCER_AZS * ours) / share,
            description=f"Public IPv4 addresses of the load balancer ({LOAD_BALANCER_AZS} Availability Zones{shared})",
            category="load_balancer",
            required=False,
            what="public IPv4 addresses",
        )


def charge_public_ipv4(bill: Bill, *, address_hours: Decimal | BilledHours, what: str) -> None:
    bill.hourly(
        *keys.PUBLIC_IPV4_IN_USE.at(),
        hours=address_hours,
        description=f"Public IPv4 addresses of {what}",
        category="other",
        required=False,
        what="public IPv4 addresses",
    )


def charge_data_transfer_out(bill: Bill, scenario: Scenario) -> None:
    """Data transfer out to the internet, after the free 100 GB a month, through AWS's tiers."""
    remaining = scenario.traffic.data_transfer_out_gib
    if remaining <= 0:
        return
    book = bill.book
    free = book.get(*keys.TRANSFER_OUT.at(keys.TRANSFER_OUT_FREE_TIER))
    if free is not None:
        allowance = Decimal(str(free.attributes.get("endRange", "100")))
        remaining -= min(remaining, allowance)
    tiers = sorted(
        (
            book.get(keys.TRANSFER_OUT.service_code, key)
            for key in book.keys(keys.TRANSFER_OUT.service_code, keys.TRANSFER_OUT.prefix)
        ),
        key=lambda p: Decimal(str(p.attributes.get("beginRange", "0"))) if p else Decimal(0),
    )
    charged = [t for t in tiers if t is not None and t.attributes.get("beginRange") is not None and t.usd > 0]
    start = ZERO
    for tier in charged:
        begin = Decimal(str(tier.attributes["beginRange"]))
        end_raw = str(tier.attributes.get("endRange", "Inf"))
        end = None if end_raw == "Inf" else Decimal(end_raw)
        if begin != start or remaining <= 0:
            break
        size = remaining if end is None else min(remaining, end - begin)
        bill.add(
            tier,
            quantity=size,
            description=tier.description or f"Data transfer out to the internet, from {_num(begin)} GB",
            category="transfer",
        )
        remaining -= size
        start = end if end is not None else start
    if remaining > 0:
        bill.missing(f"data transfer out beyond {_num(start)} GB a month ({_num(remaining)} GB)")


def _num(value: Decimal) -> str:
    text = format(value.quantize(Decimal("0.0001")).normalize(), "f")
    return text
