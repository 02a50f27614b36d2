"""Writes of saved scenarios: saving one with the snapshot it is priced with, renaming, sharing."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from compute_advisor.engine import ScenarioError
from compute_advisor.engine.compare import checked_scenario
from compute_advisor.estimates.models import SavedScenario, new_share_token
from pricing.models import PriceSnapshot


def scenario_save(*, user: Any, name: str, scenario_data: Any, snapshot: PriceSnapshot) -> SavedScenario:
    """Save a valid scenario with the snapshot it is priced with; anonymous users get a share link only.

    It is checked in full first (the catalog's names too), so what is saved can always be priced, and an
    account keeps at most SAVED_SCENARIOS_PER_ACCOUNT."""
    scenario = checked_scenario(scenario_data)
    owner = user if getattr(user, "is_authenticated", False) else None
    most = settings.SAVED_SCENARIOS_PER_ACCOUNT
    if owner is not None and SavedScenario.objects.filter(owner=owner).count() >= most:
        raise ScenarioError({"": [f"An account keeps at most {most:,} saved scenarios: delete some first."]})
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
        checked_scenario(scenario_data)
        saved.scenario, saved.snapshot = scenario_data, snapshot
        fields += ["scenario", "snapshot"]
    saved.save(update_fields=fields)
    return saved


def scenario_sharing(*, saved: SavedScenario, enabled: bool) -> SavedScenario:
    """Turn the share link off, or on again under a new token: a link once revoked never works again."""
    if enabled == saved.share_enabled:
        return saved
    if enabled:
        saved.share_token = new_share_token()
    saved.share_enabled = enabled
    saved.save(update_fields=["share_token", "share_enabled", "updated_at"])
    return saved
