"""Filling the form from what users already have: an ECS task definition or a docker-compose file.

The text is only parsed (JSON, or YAML with the safe loader): nothing in it is executed or fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from compute_advisor.engine.scenario import MAX_REPLICAS
from compute_advisor.lib.bounded_input import MAX_DEPTH, TooDeep, load_json, yaml_depth_exceeds

MAX_BYTES = 100 * 1024
MAX_YAML_ALIASES = 50
MAX_EXPONENT = 12  # sizes between 10^-12 and 10^12 units


class ImportProblem(ValueError):
    """The pasted text cannot fill the form; the message says why."""


@dataclass
class Imported:
    """What a file says of the scenario (a part of one, in the contract's shape), and notes for the user."""

    scenario: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def import_workload(text: str) -> Imported:
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ImportProblem(f"That is more than {MAX_BYTES // 1024} KB; paste one task definition or compose file.")
    if not text.strip():
        raise ImportProblem("Paste an ECS task definition (JSON) or a docker-compose file (YAML).")
    try:
        data = load_json(text)
    except TooDeep as exc:
        raise ImportProblem(f"This {exc}: an ECS task definition or a compose file does not.") from None
    except ValueError:
        data = _yaml(text)
    if isinstance(data, dict) and isinstance(data.get("taskDefinition"), dict):
        data = data["taskDefinition"]  # `aws ecs describe-task-definition` output
    if isinstance(data, dict) and ("containerDefinitions" in data or "family" in data):
        return _task_definition(data)
    if isinstance(data, dict) and isinstance(data.get("services"), dict):
        return _compose(data["services"])
    raise ImportProblem("This is neither an ECS task definition (containerDefinitions) nor a compose file (services).")


def _yaml(text: str) -> Any:
    if text.count("*") + text.count("&") > MAX_YAML_ALIASES * 2:
        raise ImportProblem("The YAML has too many anchors and aliases to be a compose file.")
    if yaml_depth_exceeds(text):
        raise ImportProblem(f"The YAML nests more than {MAX_DEPTH} levels deep: a compose file does not.")
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" (line {where.line + 1}, column {where.column + 1})" if where else ""
        raise ImportProblem(f"This is neither valid JSON nor valid YAML{at}.") from None


def _decimal(value: Any, what: str) -> Decimal:
    text = str(value).strip()
    shown = text[:40] + ("..." if len(text) > 40 else "")
    try:
        number = Decimal(text[:200])
    except InvalidOperation:
        raise ImportProblem(f"{what} {shown!r} is not a number.") from None
    if not number.is_finite() or number <= 0:
        raise ImportProblem(f"{what} must be more than zero, not {shown!r}.")
    # A size of 1E+999999999 would become a billion-digit number on the form: sizes are far smaller.
    if not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        raise ImportProblem(f"{what} {shown!r} is not a size a container can have.")
    return number


def _cpu_units(value: Any) -> Decimal:
    """ECS cpu: CPU units (1024 a vCPU) as a number or string, or "1 vCPU"."""
    text = str(value).strip().lower()
    match = re.fullmatch(r"([\d.]+)\s*vcpus?", text)
    if match:
        return _decimal(match.group(1), "cpu") * 1024
    return _decimal(text, "cpu")


def _memory_mib(value: Any) -> Decimal:
    """ECS memory: MiB as a number or string, or "2 GB"."""
    text = str(value).strip().lower()
    match = re.fullmatch(r"([\d.]+)\s*gb", text)
    if match:
        return _decimal(match.group(1), "memory") * 1024
    return _decimal(text, "memory")


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _task_definition(data: dict[str, Any]) -> Imported:
    notes = []
    containers = data.get("containerDefinitions") or []
    if not isinstance(containers, list):
        raise ImportProblem("containerDefinitions must be a list.")
    if data.get("cpu") not in (None, ""):
        cpu = _cpu_units(data["cpu"])
    else:
        cpu = sum((_cpu_units(c.get("cpu") or 0) if c.get("cpu") else Decimal(0) for c in containers), Decimal(0))
        notes.append("No task-level cpu: the containers' cpu is added up.")
        if cpu == 0:
            raise ImportProblem("Neither the task nor its containers give a cpu.")
    if data.get("memory") not in (None, ""):
        memory = _memory_mib(data["memory"])
    else:
        total = Decimal(0)
        for container in containers:
            value = container.get("memory") or container.get("memoryReservation")
            if value:
                total += _memory_mib(value)
        if total == 0:
            raise ImportProblem("Neither the task nor its containers give a memory.")
        memory = total
        notes.append("No task-level memory: the containers' memory (or reservation) is added up.")
    platform = data.get("runtimePlatform") or {}
    os = "windows" if str(platform.get("operatingSystemFamily", "")).upper().startswith("WINDOWS") else "linux"
    architecture = "arm64" if str(platform.get("cpuArchitecture", "")).upper() == "ARM64" else "x86_64"
    workload = {"vcpu": _plain(cpu / 1024), "memory_gib": _plain(memory / 1024), "os": os, "architecture": architecture}
    storage = (data.get("ephemeralStorage") or {}).get("sizeInGiB")
    if storage:
        workload["ephemeral_storage_gib"] = _plain(_decimal(storage, "ephemeralStorage.sizeInGiB"))
    scenario: dict[str, Any] = {"workload": workload}
    if data.get("family"):
        scenario["name"] = str(data["family"])[:200]
    return Imported(scenario=scenario, notes=notes)


_SIZE = re.compile(r"^([\d.]+)\s*([kmgt]?)i?b?$", re.IGNORECASE)
_FACTORS = {
    "": Decimal(1),
    "k": Decimal(1024),
    "m": Decimal(1024) ** 2,
    "g": Decimal(1024) ** 3,
    "t": Decimal(1024) ** 4,
}


def _compose_memory_gib(value: Any) -> Decimal:
    match = _SIZE.match(str(value).strip())
    if not match:
        raise ImportProblem(f"memory {value!r} is not a size such as 512M or 2G.")
    return _decimal(match.group(1), "memory") * _FACTORS[match.group(2).lower()] / _FACTORS["g"]


def _compose(services: dict[str, Any]) -> Imported:
    notes, cpus, memory, replicas = [], Decimal(0), Decimal(0), 1
    for name, service in services.items():
        deploy = (service or {}).get("deploy") or {}
        resources = deploy.get("resources") or {}
        limits = resources.get("limits") or resources.get("reservations") or {}
        if limits.get("cpus") is not None:
            cpus += _decimal(limits["cpus"], f"services.{name} cpus")
        if limits.get("memory") is not None:
            memory += _compose_memory_gib(limits["memory"])
        if deploy.get("replicas") is not None:
            try:
                replicas = max(replicas, int(deploy["replicas"]))
            except (TypeError, ValueError):
                raise ImportProblem(f"services.{name} deploy.replicas must be a whole number.") from None
    if cpus == 0 or memory == 0:
        raise ImportProblem("The compose file gives no deploy.resources limits (cpus and memory) to size from.")
    if len(services) > 1:
        notes.append(f"{len(services)} services: their resources are added up as one replica.")
    return Imported(
        scenario={
            "workload": {"vcpu": _plain(cpus), "memory_gib": _plain(memory.quantize(Decimal("0.001")))},
            "usage": {"kind": "always_on", "replicas": min(replicas, MAX_REPLICAS)},
        },
        notes=notes,
    )
