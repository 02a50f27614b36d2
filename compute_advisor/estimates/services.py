"""Running the engine on stored prices: the one path the CLI, pages, API and reports share."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from compute_advisor.engine import Result, Scenario, ScenarioError, estimate, parse_scenario
from compute_advisor.engine.pricebook import DictPriceBook
from compute_advisor.engine.scenario import AlwaysOn, Hourly
from compute_advisor.estimates.models import SavedScenario
from compute_advisor.estimates.result_cache import cached_result
from pricing.models import PriceSnapshot
from pricing.selectors import price_snapshot_active
from pricing.snapshot_book import snapshot_price_book


class NoPrices(Exception):
    """No snapshot to price with (none loaded, or the one asked for does not exist)."""


def snapshot_for(snapshot_id: int | str | None) -> PriceSnapshot:
    if snapshot_id in (None, ""):
        snapshot = price_snapshot_active()
        if snapshot is None:
            raise NoPrices("No price snapshot is active: run `python manage.py load_seed_prices` first.")
        return snapshot
    try:
        return PriceSnapshot.objects.exclude(status=PriceSnapshot.Status.BUILDING).get(pk=int(snapshot_id))
    except (PriceSnapshot.DoesNotExist, ValueError, TypeError):
        raise NoPrices(f"There is no price snapshot {snapshot_id!r}.") from None


@lru_cache(maxsize=64)
def _book(snapshot_id: int, created_at: str, region: str) -> DictPriceBook:
    # Snapshots never change once written, so a book read once stays right for the process's life.
    # (The creation time is in the key too: a test database hands out the same ids again.)
    return snapshot_price_book(PriceSnapshot.objects.get(pk=snapshot_id), region)


def price_book_for(snapshot: PriceSnapshot, region: str) -> DictPriceBook:
    return _book(snapshot.pk, snapshot.created_at.isoformat(), region)


def estimate_run(*, scenario_data: Any, snapshot_id: int | str | None = None) -> Result:
    """Parse and price a scenario (contract JSON, already decoded) on a stored snapshot."""
    scenario = parse_scenario(scenario_data)
    return scenario_price(scenario=scenario, snapshot=snapshot_for(snapshot_id))


def scenario_price(*, scenario: Scenario, snapshot: PriceSnapshot) -> Result:
    book = price_book_for(snapshot, scenario.region)
    if book.is_empty():
        regions = sorted(set(snapshot.prices.values_list("region", flat=True)))
        raise ScenarioError(
            {"region": [f"snapshot #{snapshot.pk} has no prices for {scenario.region}; it has {', '.join(regions)}"]}
        )
    return cached_result(scenario, snapshot, lambda: estimate(scenario, book))


def hourly_costs(scenario: Scenario, book: DictPriceBook) -> tuple[list[str], dict[str, list[Decimal]]]:
    """What an hour of each replica count in the profile costs on each available option, on average.

    Each distinct replica count is priced as a whole month at that count and divided by the month's hours,
    so monthly charges (volumes, plans) spread over the month as AWS bills them; an hour without replicas
    shows what keeps running regardless (the load balancer).
    """
    usage = scenario.usage
    assert isinstance(usage, Hourly)
    profile = usage.replicas_by_hour
    hours = scenario.hours_per_month
    per_count: dict[int, dict[str, Decimal]] = {}
    for count in sorted(set(profile) | {1}):
        if count == 0:
            continue
        month = scenario.model_copy(update={"usage": AlwaysOn(kind="always_on", replicas=count)})
        result = estimate(month, book)
        per_count[count] = {o.option: o.total / hours for o in result.options if o.available}
        if count == 1:
            per_count[0] = {
                o.option: o.cost_by_category()["load_balancer"] / hours for o in result.options if o.available
            }
    options = [code for code in scenario.options if code in per_count[1]]
    costs = {code: [per_count[r].get(code, Decimal(0)) for r in profile] for code in options}
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    labels = [f"{days[i // 24]} {i % 24:02d}:00" if len(profile) == 168 else f"{i:02d}:00" for i in range(len(profile))]
    return labels, costs


def regions_compared(scenario: Scenario, snapshot: PriceSnapshot) -> list[tuple[str, dict[str, Decimal | None]]]:
    """The scenario priced in every region of the snapshot, cheapest region (by its best option) first."""
    rows = []
    for region in sorted(set(snapshot.prices.values_list("region", flat=True))):
        moved = scenario.model_copy(update={"region": region})
        try:
            result = estimate(moved, price_book_for(snapshot, region))
        except ScenarioError:
            continue
        rows.append((region, {o.option: (o.total if o.available else None) for o in result.options}))

    def best(row: tuple[str, dict[str, Decimal | None]]) -> Decimal:
        values = [v for v in row[1].values() if v is not None]
        return min(values) if values else Decimal("Infinity")

    return sorted(rows, key=best)


def scenario_save(*, user: Any, name: str, scenario_data: Any, snapshot: PriceSnapshot) -> SavedScenario:
    """Save a valid scenario with the snapshot it is priced with; anonymous users get a share link only."""
    scenario = parse_scenario(scenario_data)
    owner = user if getattr(user, "is_authenticated", False) else None
    return SavedScenario.objects.create(
        owner=owner,
        name=(name or scenario.name or "Untitled scenario")[:200],
        scenario=scenario_data,
        snapshot=snapshot,
    )


def scenario_update(
    *, saved: SavedScenario, name: str | None = None, scenario_data: Any = None, snapshot: PriceSnapshot | None = None
) -> SavedScenario:
    """Rename a saved scenario, or replace what it describes; a new scenario is priced with `snapshot`."""
    fields = ["updated_at"]
    if name is not None:
        if not name.strip():
            raise ScenarioError({"name": ["A name cannot be empty."]})
        saved.name = name.strip()[:200]
        fields.append("name")
    if scenario_data is not None:
        if snapshot is None:
            raise ScenarioError({"": ["no price snapshot is loaded"]})
        parse_scenario(scenario_data)
        saved.scenario, saved.snapshot = scenario_data, snapshot
        fields += ["scenario", "snapshot"]
    saved.save(update_fields=fields)
    return saved


def scenario_sharing(*, saved: SavedScenario, enabled: bool) -> SavedScenario:
    """Turn the share link off, or on again under a new token: a link once revoked never works again."""
    from compute_advisor.estimates.models import new_share_token

    if enabled == saved.share_enabled:
        return saved
    if enabled:
        saved.share_token = new_share_token()
    saved.share_enabled = enabled
    saved.save(update_fields=["share_token", "share_enabled", "updated_at"])
    return saved
