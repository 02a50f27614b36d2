"""The priced comparison every page, API call, command and report renders: asked for here, priced once.

comparison = comparison_get(scenario=scenario, snapshot=snapshot)
comparison.result      # the engine's Result (cached), options ranked cheapest first
comparison.sweep       # break-even data over the available options (cached), or None
comparison.charts      # what the charts draw: costs by category, each profile hour, the sweep
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.conf import settings

from compute_advisor.comparison.prices import price_book_for, snapshot_for
from compute_advisor.comparison.result_cache import cached_result, result_key
from compute_advisor.engine import Result, Scenario, estimate, parse_scenario
from compute_advisor.engine.breakeven import Crossing, Sweep, sweep
from compute_advisor.engine.result import CATEGORIES, OptionResult, ServiceUsage
from compute_advisor.lib.cache_or_compute import cache_or_compute
from pricing.models import PriceSnapshot
from pricing.selectors import price_snapshot_regions

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def profile_hour_labels(length: int) -> list[str]:
    """ "00:00" ... for a day, "Mon 00:00" ... for a week."""
    if length == 168:
        return [f"{DAYS[i // 24]} {i % 24:02d}:00" for i in range(length)]
    return [f"{i:02d}:00" for i in range(length)]


def charted(usage: ServiceUsage) -> bool:
    """Whether a service's hours get a chart: an autoscaling one always (demand against what the policy
    keeps), an hourly profile when its replicas change. An always-on service's flat line and scheduled runs
    (which the model places in no particular hour) would draw nothing the table does not already say."""
    if usage.scaling is not None:
        return True
    return usage.kind == "hourly" and usage.replicas_by_hour is not None and len(set(usage.replicas_by_hour)) > 1


@dataclass(frozen=True)
class ChartData:
    """What the comparison's charts show, computed once: the page draws it with plotly, the PDF with
    matplotlib. Amounts stay Decimal; a chart only draws them."""

    priced: list[OptionResult]  # the ranked options, cheapest first, then the priced but unranked ones
    by_category: dict[str, dict[str, Decimal]]  # option -> category -> monthly cost
    hour_labels: list[str]  # empty unless the usage is an hourly profile
    by_profile_hour: dict[str, list[Decimal]]  # option -> the month's cost of each profile hour
    sweep: Sweep | None
    # The services whose replicas change over the hours, each drawn on its own: demand against replicas for
    # an autoscaling one, the replicas of each hour for an hourly profile (see charted()).
    services: list[ServiceUsage] = field(default_factory=list)

    @property
    def categories(self) -> list[str]:
        """The categories any priced option pays for, in the engine's order."""
        return [c for c in CATEGORIES if any(costs.get(c) for costs in self.by_category.values())]


@dataclass(frozen=True)
class Comparison:
    scenario: Scenario
    snapshot: PriceSnapshot
    result: Result
    sweep: Sweep | None

    @property
    def ranked(self) -> list[OptionResult]:
        return [self.result.option(code) for code in self.result.ranking]

    @property
    def priced(self) -> list[OptionResult]:
        """The ranked options, then those priced but not ranked (App Runner for a new account)."""
        return self.ranked + [self.result.option(code) for code in self.result.unranked]

    @property
    def crossings(self) -> list[Crossing]:
        return list(self.sweep.crossings) if self.sweep else []

    @cached_property
    def charts(self) -> ChartData:
        priced = self.priced
        weights = self.result.profile_weights
        return ChartData(
            priced=priced,
            by_category={o.option: o.cost_by_category() for o in priced},
            hour_labels=profile_hour_labels(len(weights)) if weights else [],
            by_profile_hour={o.option: o.cost_by_profile_hour(weights) for o in priced} if weights else {},
            sweep=self.sweep,
            services=[u for u in self.result.service_usage if charted(u)],
        )

    def to_json(self) -> dict[str, Any]:
        """The contract's result."""
        return self.result.to_json()


def comparison_price(*, scenario: Scenario, snapshot: PriceSnapshot) -> Result:
    """The scenario priced on the snapshot, from the cache when it was priced before."""
    book = price_book_for(snapshot, scenario.region)
    return cached_result(scenario, snapshot, lambda: estimate(scenario, book))


def comparison_sweep(
    *,
    scenario: Scenario,
    snapshot: PriceSnapshot,
    axis: str = "replicas",
    points: list[int] | None = None,
    field: str = "region",
) -> Sweep:
    """Each option's cost as the replicas (or active hours a day) grow, with the crossings in words."""
    book = price_book_for(snapshot, scenario.region, field=field)
    key = f"{result_key(scenario, snapshot)}:sweep:{axis}:{','.join(map(str, points or []))}"
    return cache_or_compute(
        key,
        lambda: sweep(scenario, book, axis=axis, points=points),
        seconds=settings.RESULT_CACHE_SECONDS,
        kind=Sweep,
    )


def comparison_get(*, scenario: Scenario, snapshot: PriceSnapshot, with_sweep: bool = True) -> Comparison:
    """The priced comparison; with the break-even sweep over the options that can run it, when two or more can."""
    result = comparison_price(scenario=scenario, snapshot=snapshot)
    available = result.ranking
    swept = None
    # The break-even sweep varies one service's replicas: an application has no one count to vary.
    if with_sweep and len(available) >= 2 and not scenario.is_application:
        swept = comparison_sweep(scenario=scenario.model_copy(update={"options": available}), snapshot=snapshot)
    return Comparison(scenario=scenario, snapshot=snapshot, result=result, sweep=swept)


def comparison_from_data(
    *, scenario_data: Any, snapshot_id: int | str | None = None, with_sweep: bool = False
) -> Comparison:
    """Parse a contract scenario (decoded JSON) and compare it on the snapshot asked for (default: active)."""
    scenario = parse_scenario(scenario_data)
    return comparison_get(scenario=scenario, snapshot=snapshot_for(snapshot_id), with_sweep=with_sweep)


@dataclass(frozen=True)
class RegionRow:
    region: str
    costs: dict[str, Decimal | None]  # option -> monthly total, None where unavailable

    @property
    def best(self) -> Decimal | None:
        values = [v for v in self.costs.values() if v is not None]
        return min(values) if values else None


def comparison_regions(*, scenario: Scenario, snapshot: PriceSnapshot) -> list[RegionRow]:
    """The scenario priced in every region of the snapshot, the cheapest region (by its best option) first."""
    rows = []
    for region in price_snapshot_regions(snapshot=snapshot):
        result = comparison_price(scenario=scenario.model_copy(update={"region": region}), snapshot=snapshot)
        rows.append(RegionRow(region, {o.option: (o.total if o.available else None) for o in result.options}))
    return sorted(rows, key=lambda row: (row.best is None, row.best or 0, row.region))


class SnapshotPricer:
    """Prices scenarios on one snapshot for the wizard's rules (`wizard.recommend.Pricer`)."""

    def __init__(self, snapshot: PriceSnapshot) -> None:
        self.snapshot = snapshot

    def price(self, scenario: Scenario) -> Result:
        return comparison_price(scenario=scenario, snapshot=self.snapshot)

    def crossings(self, scenario: Scenario) -> list[Crossing]:
        return list(comparison_sweep(scenario=scenario, snapshot=self.snapshot).crossings)
