"""The engine's reference data, read from the files in `data/` as plain Python: the services and their
notices, Fargate task sizes, App Runner sizes, Lightsail bundles, powers and limits, EC2 instance types,
their ECS ENI-trunking limits, and the CPU credit figures of the burstable (T2, T3, T3a, T4g) types.

No Django import: the engine prices against these records (through `engine.catalog`), and the catalog pages
and the API show the same records, read from here. One source of truth, one reader. The `*.sources.json`
files beside the CSV files say where their rows come from.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

SERVICE_CODES = (
    "ecs_ec2",
    "fargate",
    "beanstalk",
    "app_runner",
    "lightsail_instance",
    "lightsail_container",
    "ecs_express",
)


@dataclass(frozen=True)
class Notice:
    kind: str
    title: str
    text: str
    effective: date | None
    source_url: str


@dataclass(frozen=True)
class ServiceInfo:
    code: str
    name: str
    summary: str
    billing_model: str
    ordering: int
    limits: tuple[str, ...]
    links: tuple[dict[str, str], ...]
    notices: tuple[Notice, ...]


@dataclass(frozen=True, order=True)
class TaskSize:
    vcpu: Decimal
    memory_gib: Decimal
    cpu_units: int = field(compare=False)
    os: tuple[str, ...] = field(compare=False)
    note: str = field(default="", compare=False)


@dataclass(frozen=True, order=True)
class AppRunnerSize:
    vcpu: Decimal
    memory_gib: Decimal
    is_default: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class LightsailBundle:
    bundle_id: str
    name: str
    platform: str
    family: str
    vcpu: Decimal
    memory_gib: Decimal
    disk_gib: int
    transfer_gib: int | None  # None: no source gave the allowance
    ordering: int
    baseline_cpu_percent: int | None = None
    ipv6_only: bool = False


@dataclass(frozen=True)
class LightsailPower:
    power: str
    vcpu: Decimal
    memory_gib: Decimal
    ordering: int


@dataclass(frozen=True)
class InstanceType:
    name: str
    family: str
    vcpu: int | None
    memory_mib: int | None
    gpus: int | None
    architecture: str
    burstable: bool
    max_enis: int | None
    ipv4_per_eni: int | None
    trunking_compatible: bool
    branch_enis: int | None
    hypervisor: str
    bare_metal: bool

    @property
    def memory_gib(self) -> Decimal | None:
        return None if self.memory_mib is None else Decimal(self.memory_mib) / 1024


SPOT_ADVISOR_DATE = "2025-06-28"  # the date of the feed's copy in data/ec2-spot-advisor.csv
BUNDLED_SPOT_ADVICE = f"the bundled copy of {SPOT_ADVISOR_DATE}"


@dataclass(frozen=True)
class SpotAdvice:
    """What AWS's Spot Instance Advisor says of one Linux instance type in one region."""

    saving_percent: int | Decimal  # the average saving against On-Demand
    interruption_band: str  # how often instances were interrupted in the last month: "<5%" ... ">20%"
    # Which copy of the Advisor's feed said so, with its date, as a line item names it: this module's bundled
    # copy, or the one a refresh read into the price snapshot (`engine.options.ec2.spot_advice`).
    source: str = BUNDLED_SPOT_ADVICE


@dataclass(frozen=True)
class BurstableSpec:
    """A burstable instance type's CPU credit figures, as AWS's credit table prints them.

    `max_credits` is a Decimal, not an int: AWS prints t2.2xlarge's as 1958.4 (and its earn rate as 81.6).
    """

    instance_type: str
    family: str
    vcpu: int
    baseline_percent_per_vcpu: Decimal
    credits_per_hour: Decimal
    max_credits: Decimal
    default_mode: str  # "standard" (T2) or "unlimited" (T3, T3a, T4g)


def _read_json(name: str) -> dict[str, Any]:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@cache
def services() -> tuple[ServiceInfo, ...]:
    raw = _read_json("services.json")["services"]
    return tuple(
        ServiceInfo(
            code=item["code"],
            name=item["name"],
            summary=item["summary"],
            billing_model=item["billing_model"],
            ordering=int(item["ordering"]),
            limits=tuple(item["limits"]),
            links=tuple(item["links"]),
            notices=tuple(
                Notice(
                    kind=n["kind"],
                    title=n["title"],
                    text=n["text"],
                    effective=date.fromisoformat(n["effective"]) if n.get("effective") else None,
                    source_url=n.get("source_url", ""),
                )
                for n in item["notices"]
            ),
        )
        for item in sorted(raw, key=lambda s: int(s["ordering"]))
    )


def _decimal_range(start: Decimal, stop: Decimal, step: Decimal) -> list[Decimal]:
    values, value = [], start
    while value <= stop:
        values.append(value)
        value += step
    return values


@cache
def fargate_task_sizes() -> tuple[TaskSize, ...]:
    """Every valid Fargate (vCPU, memory) pair, smallest first, expanded from AWS's published ranges."""
    sizes: list[TaskSize] = []
    for option in _read_json("fargate-task-sizes.json")["cpu_options"]:
        vcpu = Decimal(option["vcpu"])
        if "memory_gib" in option:
            memories = [Decimal(m) for m in option["memory_gib"]]
        else:
            memories = _decimal_range(
                Decimal(option["memory_min_gib"]),
                Decimal(option["memory_max_gib"]),
                Decimal(option["memory_step_gib"]),
            )
        sizes.extend(
            TaskSize(
                vcpu=vcpu,
                memory_gib=memory,
                cpu_units=int(option["cpu_units"]),
                os=tuple(option["os"]),
                note=option.get("note", ""),
            )
            for memory in memories
        )
    return tuple(sorted(sizes))


@cache
def app_runner_sizes() -> tuple[AppRunnerSize, ...]:
    data = _read_json("app-runner-instances.json")
    default = (Decimal(data["default"]["vcpu"]), Decimal(data["default"]["memory_gib"]))
    return tuple(
        sorted(
            AppRunnerSize(
                vcpu=Decimal(c["vcpu"]),
                memory_gib=Decimal(c["memory_gib"]),
                is_default=(Decimal(c["vcpu"]), Decimal(c["memory_gib"])) == default,
            )
            for c in data["configurations"]
        )
    )


@cache
def lightsail_bundles() -> tuple[LightsailBundle, ...]:
    return tuple(
        LightsailBundle(
            bundle_id=b["bundle_id"],
            name=b["name"],
            platform=b["platform"],
            family=b["family"],
            vcpu=Decimal(b["vcpu"]),
            memory_gib=Decimal(b["memory_gib"]),
            disk_gib=int(b["disk_gib"]),
            transfer_gib=None if b["transfer_gib"] is None else int(b["transfer_gib"]),
            ordering=index,
            baseline_cpu_percent=b.get("baseline_cpu_percent"),
            ipv6_only=b.get("ipv6_only", False),
        )
        for index, b in enumerate(_read_json("lightsail.json")["bundles"])
    )


@cache
def lightsail_powers() -> tuple[LightsailPower, ...]:
    return tuple(
        LightsailPower(power=p["power"], vcpu=Decimal(p["vcpu"]), memory_gib=Decimal(p["memory_gib"]), ordering=index)
        for index, p in enumerate(_read_json("lightsail.json")["container_powers"])
    )


def lightsail_limits() -> dict[str, Any]:
    limits: dict[str, Any] = _read_json("lightsail.json")["limits"]
    return limits


def _int_or_none(raw: str) -> int | None:
    return int(raw) if raw.strip() else None


# The source lists say amd64; the contract and the Price List say x86_64.
_ARCHITECTURES = {"amd64": "x86_64", "x86_64": "x86_64", "arm64": "arm64", "": ""}


@cache
def instance_types() -> tuple[InstanceType, ...]:
    with open(DATA_DIR / "ec2-instance-types.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        InstanceType(
            name=row["instance_type"],
            family=row["family"],
            vcpu=_int_or_none(row["vcpu"]),
            memory_mib=_int_or_none(row["memory_mib"]),
            gpus=_int_or_none(row["gpu"]),
            architecture=_ARCHITECTURES[row["architecture"]],
            burstable=row["burstable"] == "true",
            max_enis=_int_or_none(row["max_enis"]),
            ipv4_per_eni=_int_or_none(row["ipv4_per_eni"]),
            trunking_compatible=row["trunking_compatible"] == "true",
            branch_enis=_int_or_none(row["branch_enis"]),
            hypervisor=row["hypervisor"],
            bare_metal=row["bare_metal"] == "true",
        )
        for row in rows
    )


@cache
def eni_trunking_limits() -> dict[str, tuple[int, int]]:
    """ECS awsvpc tasks per instance type: (without ENI trunking, with trunking), as AWS publishes them."""
    path = DATA_DIR / "ecs-eni-trunking.csv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as handle:
        return {
            row["instance_type"]: (int(row["tasks_without_trunking"]), int(row["tasks_with_trunking"]))
            for row in csv.DictReader(handle)
        }


@cache
def burstable_specs() -> dict[str, BurstableSpec]:
    """The T2, T3, T3a and T4g types' CPU credit figures, by instance type (`data/ec2-burstable.csv`)."""
    with open(DATA_DIR / "ec2-burstable.csv", encoding="utf-8", newline="") as handle:
        return {
            row["instance_type"]: BurstableSpec(
                instance_type=row["instance_type"],
                family=row["family"],
                vcpu=int(row["vcpu"]),
                baseline_percent_per_vcpu=Decimal(row["baseline_percent_per_vcpu"]),
                credits_per_hour=Decimal(row["credits_earned_per_hour"]),
                max_credits=Decimal(row["max_accrued_credits"]),
                default_mode=row["default_credit_mode"],
            )
            for row in csv.DictReader(handle)
        }


@cache
def _spot_advice_by_region() -> dict[str, dict[str, SpotAdvice]]:
    by_region: dict[str, dict[str, SpotAdvice]] = {}
    with open(DATA_DIR / "ec2-spot-advisor.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            saving = int(row["saving_percent"])
            # The feed is kept as published, but a saving outside 0-99 % is no saving a Spot rate can come from
            # (the copy has ca-central-1 p5.48xlarge at -62): that type has no Spot figure.
            if 0 <= saving < 100:
                by_region.setdefault(row["region"], {})[row["instance_type"]] = SpotAdvice(
                    saving, row["interruption_band"]
                )
    return by_region


def spot_advice(region: str) -> dict[str, SpotAdvice]:
    """The Spot Advisor's figures for the Linux instance types of a region (`data/ec2-spot-advisor.csv`), read
    the first time Spot is priced: most comparisons never need them."""
    return _spot_advice_by_region().get(region, {})
