"""ECS task definitions (camelCase as registered, in `describe-task-definition` output, or PascalCase as
CloudFormation and the CDK write them) and docker-compose files: the size of one replica, and a compose file's
services."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from compute_advisor.engine.money import plain
from compute_advisor.estimates.imports.common import (
    Imported,
    ImportProblem,
    decimal,
    service_name,
    services_imported,
    whole,
)


def _cpu_units(value: Any) -> Decimal:
    """ECS cpu: CPU units (1024 a vCPU) as a number or string, or "1 vCPU"."""
    text = str(value).strip().lower()
    match = re.fullmatch(r"([\d.]+)\s*vcpus?", text)
    if match:
        return decimal(match.group(1), "cpu") * 1024
    return decimal(text, "cpu")


def _memory_mib(value: Any) -> Decimal:
    """ECS memory: MiB as a number or string, or "2 GB"."""
    text = str(value).strip().lower()
    match = re.fullmatch(r"([\d.]+)\s*gb", text)
    if match:
        return decimal(match.group(1), "memory") * 1024
    return decimal(text, "memory")


# Fargate's smallest task (256 CPU units): what a service's task definition without any cpu is priced at. On EC2
# such a task reserves no CPU at all, which no option here can price.
LEAST_CPU_UNITS = Decimal(256)


def task_definition(data: dict[str, Any], *, of_a_service: bool = False) -> Imported:
    """One replica's size. A lone task definition without any cpu is refused (the user can type one); one that a
    template's service runs is priced at Fargate's smallest cpu, and the note says so."""
    notes = []
    containers = data.get("containerDefinitions") or []
    if not isinstance(containers, list):
        raise ImportProblem("containerDefinitions must be a list.")
    containers = [c for c in containers if isinstance(c, dict)]
    if data.get("cpu") not in (None, ""):
        cpu = _cpu_units(data["cpu"])
    else:
        cpu = sum((_cpu_units(c.get("cpu") or 0) if c.get("cpu") else Decimal(0) for c in containers), Decimal(0))
        if cpu == 0 and of_a_service:
            cpu = LEAST_CPU_UNITS
            notes.append(
                "No cpu in the task or its containers: priced at 256 CPU units (0.25 vCPU), the least Fargate runs."
            )
        elif cpu == 0:
            raise ImportProblem("Neither the task nor its containers give a cpu.")
        else:
            notes.append("No task-level cpu: the containers' cpu is added up.")
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
    platform = _mapping(data.get("runtimePlatform"))
    os = "windows" if str(platform.get("operatingSystemFamily", "")).upper().startswith("WINDOWS") else "linux"
    architecture = "arm64" if str(platform.get("cpuArchitecture", "")).upper() == "ARM64" else "x86_64"
    workload = {"vcpu": plain(cpu / 1024), "memory_gib": plain(memory / 1024), "os": os, "architecture": architecture}
    storage = _mapping(data.get("ephemeralStorage")).get("sizeInGiB")
    if storage:
        workload["ephemeral_storage_gib"] = plain(decimal(storage, "ephemeralStorage.sizeInGiB"))
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
    return decimal(match.group(1), "memory") * _FACTORS[match.group(2).lower()] / _FACTORS["g"]


# What a compose service says that the price does not depend on (left out, and said so).
_COMPOSE_UNUSED = ("build", "volumes", "ports", "networks", "environment", "env_file", "depends_on", "healthcheck")


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def compose(services: dict[str, Any]) -> Imported:
    """Each compose service with deploy.resources becomes a service: its limits (or, without them, its
    reservations) are one replica, deploy.replicas its count."""
    notes: list[str] = []
    found: list[dict[str, Any]] = []
    unused: set[str] = set()
    for name, service in services.items():
        service = service if isinstance(service, dict) else {}
        deploy = _mapping(service.get("deploy"))
        resources = _mapping(deploy.get("resources"))
        limits = _mapping(resources.get("limits"))
        reservations = _mapping(resources.get("reservations"))
        cpus = limits.get("cpus", reservations.get("cpus"))
        memory = limits.get("memory", reservations.get("memory"))
        if cpus is None or memory is None:
            notes.append(f"{name}: no deploy.resources cpus and memory to size it from; it is left out.")
            continue
        replicas = whole(deploy.get("replicas", 1), f"services.{name} deploy.replicas")
        if replicas == 0:
            notes.append(f"{name}: deploy.replicas is 0; it is left out.")
            continue
        unused |= {key for key in _COMPOSE_UNUSED if key in service}
        found.append(
            {
                "name": service_name(str(name)),
                "workload": {
                    "vcpu": plain(decimal(cpus, f"services.{name} cpus")),
                    "memory_gib": plain(_compose_memory_gib(memory).quantize(Decimal("0.001"))),
                },
                "usage": {"kind": "always_on", "replicas": replicas},
            }
        )
    if not found:
        raise ImportProblem("The compose file gives no deploy.resources limits (cpus and memory) to size from.")
    if unused:
        notes.append(f"Not priced from the compose file: {', '.join(sorted(unused))}.")
    return services_imported(found, notes)
