"""What the API's POST and PATCH bodies hold, declared with the engine's own models: the scenario and the
wizard's answers are validated by the rules every other entry point uses, and the OpenAPI schema is made
from the same declaration (`api/schema.py`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool

from compute_advisor.engine.declaration import Declared, parse
from compute_advisor.engine.scenario import MAX_REPLICAS, Scenario


class SweepRequest(Declared):
    """Break-even data: the scenario priced at each point of an axis."""

    scenario: Scenario
    axis: Literal["replicas", "active_hours_per_day"] = Field(
        default="replicas", description="Replicas (the usage's shape scaled), or active hours a day (1 to 24)."
    )
    points: list[Annotated[int, Field(ge=1, le=MAX_REPLICAS)]] | None = Field(
        default=None, min_length=1, max_length=60, description="Where to price; a default range if left out."
    )


class RegionsRequest(Declared):
    """The scenario priced in every region of a snapshot."""

    scenario: Scenario


class SavedScenarioRequest(Declared):
    """A scenario to save with today's prices."""

    name: str = Field(min_length=1, max_length=200, description="What to call it.")
    scenario: Scenario


class SavedScenarioChange(Declared):
    """What an owner may change; every field is optional."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    scenario: Scenario | None = Field(default=None, description="A new scenario, priced with today's prices.")
    share_enabled: StrictBool | None = Field(
        default=None, description="false revokes the share link; true issues a new one (a revoked link stays dead)."
    )


def parse_body(model: type[Declared], data: Any) -> Any:
    return parse(model, data, what="request body")
