"""Break-even: each option's monthly cost as replicas (or active hours) grow, and where lines cross."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from compute_advisor.engine.catalog import Catalog, default_catalog
from compute_advisor.engine.compare import estimate
from compute_advisor.engine.money import cents, plain
from compute_advisor.engine.pricebook import PriceBook
from compute_advisor.engine.scenario import AlwaysOn, Hourly, Scenario, Scheduled


@dataclass(frozen=True)
class Crossing:
    cheaper: str
    dearer: str
    below: Decimal  # `cheaper` costs less than `dearer` up to (not including) this x
    sentence: str


@dataclass(frozen=True)
class Sweep:
    axis: str  # "replicas" or "active_hours_per_day"
    xs: list[Decimal]
    costs: dict[str, list[Decimal | None]]  # per option, None where unavailable
    labels: dict[str, str]
    crossings: list[Crossing]

    def to_json(self) -> dict[str, Any]:
        return {
            "axis": self.axis,
            "x": [plain(x) for x in self.xs],
            "series": [
                {
                    "option": code,
                    "label": self.labels[code],
                    "monthly_cost": [None if c is None else str(cents(c)) for c in costs],
                }
                for code, costs in self.costs.items()
            ],
            "crossings": [
                {"cheaper": c.cheaper, "dearer": c.dearer, "below": plain(c.below), "text": c.sentence}
                for c in self.crossings
            ],
        }


def _scaled(scenario: Scenario, x: Decimal, axis: str) -> Scenario:
    usage = scenario.usage
    if axis == "replicas":
        if isinstance(usage, AlwaysOn | Scheduled):
            new_usage: Any = usage.model_copy(update={"replicas": int(x)})
        else:
            assert isinstance(usage, Hourly)
            peak = max(usage.replicas_by_hour)
            new_usage = usage.model_copy(
                update={"replicas_by_hour": [-(-r * int(x) // peak) for r in usage.replicas_by_hour]}
            )
    else:
        hours = x
        # A day of the peak's replicas for the first `hours` hours (1 to 24): valid by construction, so not
        # checked again at each point.
        new_usage = Hourly.model_construct(
            kind="hourly", replicas_by_hour=[scenario.peak_replicas if h < hours else 0 for h in range(24)]
        )
    return scenario.model_copy(update={"usage": new_usage})


def sweep(
    scenario: Scenario,
    book: PriceBook,
    *,
    axis: str = "replicas",
    points: list[int] | None = None,
    catalog: Catalog | None = None,
) -> Sweep:
    """Price the scenario at each point of `axis`: replica counts (scaling the usage's shape), or
    active hours a day (1 to 24) for the scenario's replicas."""
    catalog = catalog or default_catalog()
    if points is None:
        if axis == "replicas":
            top = max(2 * scenario.peak_replicas, 20)
            points = sorted(
                {1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200} | {scenario.peak_replicas}
            )
            points = [p for p in points if p <= top]
        else:
            points = list(range(1, 25))
    xs = [Decimal(p) for p in points]
    costs: dict[str, list[Decimal | None]] = {code: [] for code in scenario.options}
    labels: dict[str, str] = {code: catalog.labels.get(code, code) for code in scenario.options}
    for x in xs:
        result = estimate(_scaled(scenario, x, axis), book, catalog)
        for option in result.options:
            costs[option.option].append(option.total if option.available else None)
    crossings = [
        _refine(scenario, book, catalog, axis, crossing, xs) for crossing in _crossings(xs, costs, labels, axis)
    ]
    return Sweep(axis=axis, xs=xs, costs=costs, labels=labels, crossings=crossings)


def _refine(
    scenario: Scenario, book: PriceBook, catalog: Catalog, axis: str, crossing: Crossing, xs: list[Decimal]
) -> Crossing:
    """Narrow a crossing found between two sweep points to the first whole x where the order flips."""
    high = crossing.below
    low = max(x for x in xs if x < high)
    pair = scenario.model_copy(update={"options": [crossing.cheaper, crossing.dearer]})

    def cheaper_still(x: Decimal) -> bool:
        result = estimate(_scaled(pair, x, axis), book, catalog)
        a, b = result.option(crossing.cheaper), result.option(crossing.dearer)
        return a.available and b.available and a.total < b.total

    while high - low > 1:
        middle = Decimal((low + high) // 2)
        if cheaper_still(middle):
            low = middle
        else:
            high = middle
    if high == crossing.below:
        return crossing
    return Crossing(
        cheaper=crossing.cheaper,
        dearer=crossing.dearer,
        below=high,
        sentence=crossing.sentence.replace(f" {plain(crossing.below)} ", f" {plain(high)} "),
    )


def _crossings(
    xs: list[Decimal], costs: dict[str, list[Decimal | None]], labels: dict[str, str], axis: str
) -> list[Crossing]:
    unit = "replicas" if axis == "replicas" else "active hours a day"
    found: list[Crossing] = []
    codes = list(costs)
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            for k in range(1, len(xs)):
                pa, pb, ca, cb = costs[a][k - 1], costs[b][k - 1], costs[a][k], costs[b][k]
                if None in (pa, pb, ca, cb):
                    continue
                assert pa is not None and pb is not None and ca is not None and cb is not None
                if ((pa < pb) and (ca > cb)) or ((pa > pb) and (ca < cb)):
                    cheaper, dearer = (a, b) if pa < pb else (b, a)
                    found.append(
                        Crossing(
                            cheaper=cheaper,
                            dearer=dearer,
                            below=xs[k],
                            sentence=(
                                f"{labels[cheaper]} is cheaper than {labels[dearer]} below {plain(xs[k])} {unit}; "
                                f"from {plain(xs[k])} {unit} on, {labels[dearer]} costs less."
                            ),
                        )
                    )
    return found
