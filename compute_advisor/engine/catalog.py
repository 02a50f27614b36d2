"""Sizes and limits the engine prices against, read from the engine's own reference files (`reference.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from compute_advisor.engine import reference
from compute_advisor.engine.reference import (
    AppRunnerSize,
    BurstableSpec,
    InstanceType,
    LightsailBundle,
    LightsailPower,
    Notice,
    SpotAdvice,
    TaskSize,
)


@dataclass(frozen=True)
class Catalog:
    fargate_sizes: tuple[TaskSize, ...]
    app_runner_sizes: tuple[AppRunnerSize, ...]
    lightsail_bundles: tuple[LightsailBundle, ...]
    lightsail_powers: tuple[LightsailPower, ...]
    instance_types: dict[str, InstanceType]
    eni_trunking: dict[str, tuple[int, int]]
    burstable: dict[str, BurstableSpec]
    lightsail_container_max_scale: int
    lightsail_container_transfer_gb: int
    lightsail_containers_per_deployment: int
    lightsail_hours_per_month: int
    notices: dict[str, tuple[Notice, ...]]
    labels: dict[str, str]

    def spot_advice(self, region: str) -> dict[str, SpotAdvice]:
        """The Spot Advisor's saving and interruption band of each Linux type in `region`."""
        return reference.spot_advice(region)


@cache
def default_catalog() -> Catalog:
    limits = reference.lightsail_limits()
    services = reference.services()
    return Catalog(
        fargate_sizes=reference.fargate_task_sizes(),
        app_runner_sizes=reference.app_runner_sizes(),
        lightsail_bundles=reference.lightsail_bundles(),
        lightsail_powers=reference.lightsail_powers(),
        instance_types={t.name: t for t in reference.instance_types()},
        eni_trunking=reference.eni_trunking_limits(),
        burstable=reference.burstable_specs(),
        lightsail_container_max_scale=int(limits["container_max_scale"]),
        lightsail_container_transfer_gb=int(limits["container_included_transfer_gb"]),
        lightsail_containers_per_deployment=int(limits["containers_per_deployment"]),
        lightsail_hours_per_month=int(limits["hours_per_billing_month"]),
        notices={s.code: s.notices for s in services},
        labels={s.code: s.name for s in services},
    )
