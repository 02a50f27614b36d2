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
    if isinstance(data, dict) and isinstance(data.get("Resources"), dict):
        return _cloudformation(data["Resources"])
    if isinstance(data, dict) and ("ContainerDefinitions" in data or "Family" in data):
        data = camel_keys(data)  # CloudFormation's (and the CDK's) PascalCase properties
    if isinstance(data, dict) and ("containerDefinitions" in data or "family" in data):
        return _task_definition(data)
    if isinstance(data, dict) and isinstance(data.get("services"), dict):
        return _compose(data["services"])
    raise ImportProblem(
        "This is neither an ECS task definition (containerDefinitions), a CloudFormation template (Resources) nor "
        "a compose file (services)."
    )


def camel_keys(value: Any) -> Any:
    """CloudFormation's PascalCase keys as the ECS API's camelCase (`ContainerDefinitions` ->
    `containerDefinitions`, `SizeInGiB` -> `sizeInGiB`), all the way down."""
    if isinstance(value, dict):
        return {(k[:1].lower() + k[1:] if isinstance(k, str) else k): camel_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel_keys(v) for v in value]
    return value


def _cloudformation(resources: dict[str, Any]) -> Imported:
    """A CloudFormation template (as the CDK synthesises it): each AWS::ECS::Service becomes a service of its
    task definition's size and its DesiredCount, or each task definition alone when no service names it."""
    definitions = {
        name: r.get("Properties") or {}
        for name, r in resources.items()
        if isinstance(r, dict) and r.get("Type") == "AWS::ECS::TaskDefinition"
    }
    if not definitions:
        raise ImportProblem("The template has no AWS::ECS::TaskDefinition resource to size from.")
    notes: list[str] = []
    services: list[dict[str, Any]] = []
    used: set[str] = set()
    for name, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::ECS::Service":
            continue
        properties = resource.get("Properties") or {}
        ref = properties.get("TaskDefinition")
        target = ref.get("Ref") if isinstance(ref, dict) else ref
        if target not in definitions:
            notes.append(f"{name}: its task definition is not a resource of this template; it is left out.")
            continue
        used.add(str(target))
        workload = _task_definition(camel_keys(definitions[str(target)])).scenario["workload"]
        replicas = _whole(properties.get("DesiredCount", 1), f"{name} DesiredCount")
        services.append(
            {
                "name": service_name(str(properties.get("ServiceName") or name)),
                "workload": workload,
                "usage": {"kind": "always_on", "replicas": max(replicas, 1)},
            }
        )
    for name, properties in definitions.items():
        if name not in used and not services:
            workload = _task_definition(camel_keys(properties)).scenario["workload"]
            services.append(
                {"name": service_name(name), "workload": workload, "usage": {"kind": "always_on", "replicas": 1}}
            )
    ignored = sorted(
        {str(r.get("Type")) for r in resources.values() if isinstance(r, dict)}
        - {"AWS::ECS::Service", "AWS::ECS::TaskDefinition"}
    )
    if any(t.startswith("AWS::ApplicationAutoScaling::") for t in ignored):
        notes.append(
            "The template's Application Auto Scaling resources are not read: give each service's demand and "
            "policy as an autoscaling usage to price its scaling."
        )
    if ignored:
        notes.append(f"Not priced from the template: {', '.join(ignored[:12])}{' ...' if len(ignored) > 12 else ''}.")
    return _services_imported(services, notes)


def _services_imported(services: list[dict[str, Any]], notes: list[str]) -> Imported:
    """One service fills the one-service form; several make an application."""
    names = [s["name"] for s in services]
    for index, name in enumerate(names):
        if names.count(name) > 1:
            services[index]["name"] = f"{name}-{index + 1}"[:63]
    if len(services) == 1:
        only = services[0]
        return Imported(
            scenario={"name": only["name"], "workload": only["workload"], "usage": only["usage"]}, notes=notes
        )
    return Imported(
        scenario={"services": services[:50]},
        notes=notes + (["Only the first 50 services are kept."] if len(services) > 50 else []),
    )


def service_name(text: str) -> str:
    """A name as ECS allows a service's: letters, digits, '-', '_' and '.', at most 63."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-_.")[:63]
    return cleaned or "service"


def _whole(value: Any, what: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ImportProblem(f"{what} must be a whole number, not {str(value)[:40]!r}.") from None
    if not 0 <= number <= MAX_REPLICAS:
        raise ImportProblem(f"{what} must be between 0 and {MAX_REPLICAS}.")
    return number


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


# What a compose service says that the price does not depend on (left out, and said so).
_COMPOSE_UNUSED = ("build", "volumes", "ports", "networks", "environment", "env_file", "depends_on", "healthcheck")


def _compose(services: dict[str, Any]) -> Imported:
    """Each compose service with deploy.resources becomes a service: its limits (or, without them, its
    reservations) are one replica, deploy.replicas its count."""
    notes: list[str] = []
    found: list[dict[str, Any]] = []
    unused: set[str] = set()
    for name, service in services.items():
        service = service if isinstance(service, dict) else {}
        deploy = service.get("deploy") or {}
        resources = deploy.get("resources") or {}
        limits = resources.get("limits") or {}
        reservations = resources.get("reservations") or {}
        cpus = limits.get("cpus", reservations.get("cpus"))
        memory = limits.get("memory", reservations.get("memory"))
        if cpus is None or memory is None:
            notes.append(f"{name}: no deploy.resources cpus and memory to size it from; it is left out.")
            continue
        replicas = _whole(deploy.get("replicas", 1), f"services.{name} deploy.replicas")
        if replicas == 0:
            notes.append(f"{name}: deploy.replicas is 0; it is left out.")
            continue
        unused |= {key for key in _COMPOSE_UNUSED if key in service}
        found.append(
            {
                "name": service_name(str(name)),
                "workload": {
                    "vcpu": _plain(_decimal(cpus, f"services.{name} cpus")),
                    "memory_gib": _plain(_compose_memory_gib(memory).quantize(Decimal("0.001"))),
                },
                "usage": {"kind": "always_on", "replicas": replicas},
            }
        )
    if not found:
        raise ImportProblem("The compose file gives no deploy.resources limits (cpus and memory) to size from.")
    if unused:
        notes.append(f"Not priced from the compose file: {', '.join(sorted(unused))}.")
    return _services_imported(found, notes)
