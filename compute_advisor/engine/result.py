"""What the engine returns: priced options made of line items, and their contract JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from compute_advisor.engine.money import CENT, ZERO, cents, engine_precision, plain
from compute_advisor.engine.pricebook import SnapshotInfo
from compute_advisor.engine.scaling import ScalingRun
from compute_advisor.engine.usage import HourShares

CATEGORIES = ("compute", "storage", "load_balancer", "transfer", "other")


@dataclass(frozen=True)
class LineItem:
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    cost: Decimal
    category: str = "compute"
    # For an hourly profile: how the quantity falls over the profile's hours. None for a charge that runs all
    # month whatever the profile (a load balancer, a plan, transfer): it is spread over the month's hours.
    shares: HourShares | None = field(default=None, compare=False)
    # The application's service this line is for; None for what its services share (a cluster's instances,
    # the load balancer in front, data transfer out) and for a one-service scenario.
    service: str | None = None

    def for_service(self, service: str | None) -> LineItem:
        """This line as one service's line of an application: `dataclasses.replace(line, service=...)`, without
        its field-by-field checks (an application's options copy hundreds of lines)."""
        item = object.__new__(LineItem)
        item.__dict__.update(self.__dict__)
        item.__dict__["service"] = service
        return item

    def cost_by_hour(self, weights: Sequence[Decimal]) -> list[Decimal]:
        """This line's cost, attributed to each hour of the profile whose month weights are `weights`."""
        parts = self.shares.values() if self.shares is not None else list(weights)
        total = sum(parts, ZERO)
        if not total:  # nothing runs in any hour of the profile: spread over the month
            parts, total = list(weights), sum(weights, ZERO)
        return [self.cost * part / total for part in parts]

    def to_json(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "quantity": plain(self.quantity, places=6),
            "unit": self.unit,
            # The price list's own figure, or at most 10 decimals for a derived one (Lightsail's monthly / 744).
            "unit_price": plain(self.unit_price, places=10 if _decimals(self.unit_price) > 10 else None),
            "cost": str(cents(self.cost)),
            "category": self.category,
        }


@dataclass
class ServiceResult:
    """One service of an application within an option: its configuration, the replicas it runs each hour,
    and its part of the option's cost (its own lines and its attributed share of the shared ones)."""

    name: str
    configuration: dict[str, Any] = field(default_factory=dict)
    replicas_by_hour: tuple[int, ...] | None = None
    # This service's weight when the shared lines are attributed (see OptionResult.shared_rule).
    weight: Decimal = ZERO
    fronted: bool = True
    monthly_cost: Decimal = ZERO

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "monthly_cost": str(self.monthly_cost),
            "replicas_by_hour": list(self.replicas_by_hour) if self.replicas_by_hour is not None else None,
            "load_balanced": self.fronted,
            "configuration": _jsonable(self.configuration),
        }


# The unit of an autoscaling service's demand, by the metric its policy scales on.
DEMAND_UNITS = {"cpu": "vCPU", "memory": "GiB", "requests_per_target": "requests/s"}


@dataclass(frozen=True)
class ServiceUsage:
    """One service's usage, the same under every option: its kind and words, the replicas of each hour of
    the application's profile (None for scheduled runs) and, when it autoscales, the simulation's run."""

    name: str
    kind: str
    summary: str
    replicas_by_hour: tuple[int, ...] | None
    scaling: ScalingRun | None = None
    policy: str | None = None  # target_tracking | step, for an autoscaling service

    @property
    def demand_unit(self) -> str | None:
        return DEMAND_UNITS[self.scaling.metric] if self.scaling is not None else None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "summary": self.summary,
            "replicas_by_hour": list(self.replicas_by_hour) if self.replicas_by_hour is not None else None,
        }
        run = self.scaling
        if run is not None:
            utilization = run.utilization_percent_by_hour
            data["scaling"] = {
                "policy": self.policy,
                "metric": run.metric,
                "target": plain(run.level, places=6),
                "demand_unit": self.demand_unit,
                "capacity_per_replica": (
                    plain(run.capacity_per_replica, places=6) if run.capacity_per_replica is not None else None
                ),
                "demand_by_hour": [plain(d, places=6) for d in run.demand_by_hour],
                "replicas_by_hour": list(run.replicas_by_hour),
                "min_replicas_by_hour": list(run.min_by_hour),
                "max_replicas_by_hour": list(run.max_by_hour),
                "utilization_percent_by_hour": (
                    [None if u is None else plain(u, places=2) for u in utilization]
                    if utilization is not None
                    else None
                ),
                "capacity_at_target_by_hour": [plain(c, places=6) for c in run.capacity_at_level_by_hour],
                "hours_at_max_over_target": run.hours_at_max_over_target,
                "cpu_utilization_percent": (
                    plain(run.cpu_utilization_percent, places=2) if run.cpu_utilization_percent is not None else None
                ),
            }
        return data


@dataclass
class OptionResult:
    option: str
    label: str
    available: bool = True
    reason: str = ""
    configuration: dict[str, Any] = field(default_factory=dict)
    line_items: list[LineItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Prices the option needed that the snapshot lacks: the total leaves them out, and says so.
    missing_prices: list[str] = field(default_factory=list)
    # Why a priced option is left out of the ranking (App Runner for an account that cannot sign up), if it is.
    unranked_reason: str = ""
    # For an application: each service's part, and the rule its shared lines were attributed by.
    services: list[ServiceResult] | None = None
    shared_rule: str = ""

    @property
    def ranked(self) -> bool:
        return self.available and not self.unranked_reason

    @property
    def total(self) -> Decimal:
        return sum((line.cost for line in self.line_items), ZERO)

    @property
    def monthly_cost(self) -> Decimal:
        return cents(self.total)

    @property
    def yearly_cost(self) -> Decimal:
        return cents(self.total * 12)

    def cost_by_profile_hour(self, weights: Sequence[Decimal]) -> list[Decimal]:
        """The month's cost attributed to each hour of the profile, in cents that add up to `monthly_cost`."""
        hours = [ZERO] * len(weights)
        with engine_precision():
            for line in self.line_items:
                for index, cost in enumerate(line.cost_by_hour(weights)):
                    hours[index] += cost
        return cents_adding_up(hours, self.monthly_cost)

    def cost_by_category(self) -> dict[str, Decimal]:
        totals = dict.fromkeys(CATEGORIES, ZERO)
        for line in self.line_items:
            totals[line.category] = totals.get(line.category, ZERO) + line.cost
        return totals

    def to_json(self) -> dict[str, Any]:
        if not self.available:
            return {
                "option": self.option,
                "label": self.label,
                "available": False,
                "reason": self.reason,
                "line_items": [],
                "warnings": self.warnings,
            }
        return {
            "option": self.option,
            "label": self.label,
            "available": True,
            "monthly_cost": str(self.monthly_cost),
            "yearly_cost": str(self.yearly_cost),
            "configuration": _jsonable(self.configuration),
            "line_items": [self.line_json(line) for line in self.line_items],
            "warnings": self.warnings,
            "missing_prices": self.missing_prices,
            "ranked": self.ranked,
            **({"unranked_reason": self.unranked_reason} if self.unranked_reason else {}),
            **self._services_json(),
        }

    def _services_json(self) -> dict[str, Any]:
        if self.services is None:
            return {}
        return {"services": [s.to_json() for s in self.services], "shared_cost_rule": self.shared_rule}

    def line_json(self, line: LineItem) -> dict[str, Any]:
        data = line.to_json()
        if self.services is not None:
            data["service"] = line.service
        return data

    def attribute_shared(self) -> None:
        """Each service's monthly cost: its own lines and a part of the shared ones (SHARED_RULE), in cents that
        add up to the option's monthly cost."""
        assert self.services is not None
        own = {s.name: ZERO for s in self.services}
        front, cluster = ZERO, ZERO
        for line in self.line_items:
            if line.service is not None:
                own[line.service] += line.cost
            elif line.category in FRONT_CATEGORIES:
                front += line.cost
            else:
                cluster += line.cost
        fronted = [s for s in self.services if s.fronted] or self.services
        by_front = _proportions({s.name: own[s.name] for s in fronted})
        by_cluster = _proportions(
            {s.name: s.weight for s in self.services} if any(s.weight for s in self.services) else own
        )
        parts = [
            own[s.name] + front * by_front.get(s.name, ZERO) + cluster * by_cluster.get(s.name, ZERO)
            for s in self.services
        ]
        for service, cost in zip(self.services, cents_adding_up(parts, self.monthly_cost), strict=True):
            service.monthly_cost = cost


# How an application's shared lines reach its services (every result states it).
FRONT_CATEGORIES = ("load_balancer", "transfer")
SHARED_RULE = (
    "The load balancer and data transfer out are shared by the services behind the load balancer, in proportion "
    "to their own cost; a shared cluster's instances, volumes and addresses by each service's share of the "
    "vCPU-hours and memory-hours its tasks reserve (half each); anything else in proportion to their own cost."
)


def _proportions(weights: dict[str, Decimal]) -> dict[str, Decimal]:
    total = sum(weights.values(), ZERO)
    if not total:
        return {name: Decimal(1) / len(weights) for name in weights} if weights else {}
    return {name: weight / total for name, weight in weights.items()}


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) else 0


def cents_adding_up(amounts: Sequence[Decimal], total: Decimal) -> list[Decimal]:
    """`amounts` in cents whose sum is exactly `total` (largest remainders take the odd cents), so a chart of
    the parts never disagrees with the table's total."""
    floors = [a.quantize(CENT, rounding=ROUND_FLOOR) for a in amounts]
    spare = int((total - sum(floors, ZERO)) / CENT)
    by_remainder = sorted(range(len(amounts)), key=lambda i: (floors[i] - amounts[i], i))
    for index in by_remainder[: max(spare, 0)]:
        floors[index] += CENT
    return floors


def unavailable(option: str, label: str, reason: str) -> OptionResult:
    return OptionResult(option=option, label=label, available=False, reason=reason)


@dataclass
class Result:
    region: str
    hours_per_month: Decimal
    snapshot: SnapshotInfo
    options: list[OptionResult]
    # The month weight of each hour of an hourly profile (empty for other usage).
    profile_weights: tuple[Decimal, ...] = ()
    # The usage in words and numbers, and the assumptions the options were priced on (restated by every view).
    usage_summary: str = ""
    assumptions: dict[str, Any] = field(default_factory=dict)
    # For an application (or an autoscaling service): each service's usage, stated once for every option.
    service_usage: tuple[ServiceUsage, ...] = ()

    @property
    def ranking(self) -> list[str]:
        """The options that fit and that the account can use, cheapest first."""
        ranked = [o for o in self.options if o.ranked]
        # Ties keep the order the options were asked in (sort is stable).
        return [o.option for o in sorted(ranked, key=lambda o: o.total)]

    @property
    def unranked(self) -> list[str]:
        """Priced options left out of the ranking (each says why), cheapest first: listed after the ranked."""
        priced = [o for o in self.options if o.available and not o.ranked]
        return [o.option for o in sorted(priced, key=lambda o: o.total)]

    @property
    def listing(self) -> list[OptionResult]:
        """Every option in the order a page or a report lists them: the ranked ones cheapest first, then the
        priced but unranked ones, then the unavailable ones in the order asked."""
        order = self.ranking + self.unranked
        rest = [o for o in self.options if o.option not in order]
        return [self.option(code) for code in order] + rest

    def rank(self, code: str) -> int | None:
        """1 for the cheapest ranked option; None for one outside the ranking."""
        ranking = self.ranking
        return ranking.index(code) + 1 if code in ranking else None

    def option(self, code: str) -> OptionResult:
        return next(o for o in self.options if o.option == code)

    def to_json(self) -> dict[str, Any]:
        return {
            "currency": "USD",
            "region": self.region,
            "hours_per_month": plain(self.hours_per_month),
            "price_snapshot": {
                "id": self.snapshot.id,
                "source": self.snapshot.source,
                "as_of": self.snapshot.as_of.isoformat() if self.snapshot.as_of else None,
            },
            "usage": {
                "summary": self.usage_summary,
                **({"services": [u.to_json() for u in self.service_usage]} if self.service_usage else {}),
            },
            "assumptions": _jsonable(self.assumptions),
            "options": [self._option_json(o) for o in self.options],
            "ranking": self.ranking,
        }

    def _option_json(self, option: OptionResult) -> dict[str, Any]:
        data = option.to_json()
        if option.available and self.profile_weights:
            data["cost_by_profile_hour"] = [str(c) for c in option.cost_by_profile_hour(self.profile_weights)]
        return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain(value, places=6)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
