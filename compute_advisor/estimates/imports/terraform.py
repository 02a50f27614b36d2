"""Terraform's JSON (`terraform show -json` of a state, or of a saved plan): each `aws_ecs_service` becomes a
service of its `aws_ecs_task_definition`'s size, scaling as its `aws_appautoscaling_target`,
`aws_appautoscaling_policy` and `aws_appautoscaling_scheduled_action` say.

Resources are read from `values.root_module` (a state) or `planned_values.root_module` (a plan) and their
`child_modules`. A plan leaves values known only after apply out (an ARN, a resource_id built from other
resources); then the plan's `configuration` says which resource an expression refers to. The format is
Terraform's "JSON Output Format" (developer.hashicorp.com/terraform/internals/json-format); the resources'
attributes are the AWS provider's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from compute_advisor.engine.money import plain
from compute_advisor.estimates.imports.common import (
    Imported,
    ImportProblem,
    decimal,
    items,
    listed,
    mapping,
    service_name,
    services_imported,
    whole,
)
from compute_advisor.estimates.imports.scaling import PREDEFINED_METRICS, Action, scaling_usage
from compute_advisor.estimates.imports.task_definitions import task_definition
from compute_advisor.lib.bounded_input import TooDeep, load_json

MAX_RESOURCES = 5000
READ = {
    "aws_ecs_task_definition",
    "aws_ecs_service",
    "aws_appautoscaling_target",
    "aws_appautoscaling_policy",
    "aws_appautoscaling_scheduled_action",
}


@dataclass(frozen=True)
class _Resource:
    address: str
    type: str
    values: dict[str, Any]


def is_terraform(data: Any) -> bool:
    return isinstance(data, dict) and "format_version" in data and ("values" in data or "planned_values" in data)


def _resources(module: Any, found: list[_Resource], depth: int = 0) -> None:
    if not isinstance(module, dict) or depth > 10:
        return
    for resource in items(module.get("resources")):
        if isinstance(resource, dict) and resource.get("mode", "managed") == "managed" and len(found) < MAX_RESOURCES:
            values: dict[str, Any] = resource["values"] if isinstance(resource.get("values"), dict) else {}
            found.append(_Resource(str(resource.get("address", "")), str(resource.get("type")), values))
    for child in items(module.get("child_modules")):
        _resources(child, found, depth + 1)


def _configured(module: Any, prefix: str, found: dict[str, dict[str, list[str]]], depth: int = 0) -> None:
    """Each configured resource's address (without count or for_each keys) -> its expressions' references,
    made absolute."""
    if not isinstance(module, dict) or depth > 10:
        return
    for resource in items(module.get("resources")):
        if not isinstance(resource, dict):
            continue
        refs: dict[str, list[str]] = {}
        for key, expression in mapping(resource.get("expressions")).items():
            if isinstance(expression, dict) and isinstance(expression.get("references"), list):
                refs[key] = [prefix + str(r) for r in expression["references"]]
        found[prefix + str(resource.get("address", ""))] = refs
    for name, call in mapping(module.get("module_calls")).items():
        if isinstance(call, dict):
            _configured(call.get("module"), f"{prefix}module.{name}.", found, depth + 1)


def _unindexed(address: str) -> str:
    return re.sub(r"\[[^\]]*\]$", "", address)


def _first(block: Any) -> dict[str, Any]:
    """A nested block as the provider's JSON holds it: a list of (at most) one object."""
    if isinstance(block, list) and block and isinstance(block[0], dict):
        return block[0]
    return block if isinstance(block, dict) else {}


def _task_definition(values: dict[str, Any], where: str) -> Imported:
    raw = values.get("container_definitions") or "[]"
    try:
        containers = load_json(raw) if isinstance(raw, str) else raw
    except (TooDeep, ValueError):
        raise ImportProblem(f"{where}: container_definitions is not valid JSON.") from None
    platform = _first(values.get("runtime_platform"))
    storage = _first(values.get("ephemeral_storage"))
    data: dict[str, Any] = {
        "family": values.get("family"),
        "cpu": values.get("cpu"),
        "memory": values.get("memory"),
        "containerDefinitions": containers if isinstance(containers, list) else [],
        "runtimePlatform": {
            "operatingSystemFamily": platform.get("operating_system_family") or "",
            "cpuArchitecture": platform.get("cpu_architecture") or "",
        },
    }
    if storage.get("size_in_gib"):
        data["ephemeralStorage"] = {"sizeInGiB": storage["size_in_gib"]}
    return task_definition(data, of_a_service=True)


class _Plan:
    def __init__(self, data: dict[str, Any]) -> None:
        found: list[_Resource] = []
        _resources(mapping(data.get("values") or data.get("planned_values")).get("root_module"), found)
        self.resources = found
        self.references: dict[str, dict[str, list[str]]] = {}
        _configured(mapping(data.get("configuration")).get("root_module"), "", self.references)
        self.notes: list[str] = []

    def of_type(self, kind: str) -> list[_Resource]:
        return [r for r in self.resources if r.type == kind]

    def refers_to(self, resource: _Resource, key: str, kind: str) -> set[str]:
        """The addresses (without index) of the `kind` resources `resource`'s `key` expression refers to
        (Terraform lists both "aws_ecs_task_definition.app.arn" and "aws_ecs_task_definition.app")."""
        refs = self.references.get(_unindexed(resource.address), {}).get(key, [])
        pattern = re.compile(rf"^(?:module\.[^.]+\.)*{re.escape(kind)}\.[^.\[]+")
        return {m.group(0) for r in refs if (m := pattern.match(r))}


def _named_service(
    plan: _Plan, resource: _Resource, services: list[_Resource], *, through_target: bool = True
) -> _Resource | None:
    """The service a target, policy or scheduled action scales: by its resource_id, else through the
    configuration's references to the service, or (once) to a target that names it."""
    resource_id = resource.values.get("resource_id")
    if isinstance(resource_id, str) and resource_id.startswith("service/"):
        name = resource_id.rsplit("/", 1)[-1]
        for service in services:
            if service.values.get("name") == name:
                return service
    referred = plan.refers_to(resource, "resource_id", "aws_ecs_service")
    for service in services:
        if _unindexed(service.address) in referred:
            return service
    if not through_target:
        return None
    targets = plan.refers_to(resource, "resource_id", "aws_appautoscaling_target")
    for target in plan.of_type("aws_appautoscaling_target"):
        if _unindexed(target.address) in targets:
            return _named_service(plan, target, services, through_target=False)
    return None


def _definition_of(plan: _Plan, service: _Resource, definitions: list[_Resource]) -> _Resource | None:
    wanted = str(service.values.get("task_definition") or "")
    for definition in definitions:
        values = definition.values
        family, revision = str(values.get("family", "")), str(values.get("revision", ""))
        names = {str(values.get("arn", "")), str(values.get("arn_without_revision", "")), family}
        if wanted and (wanted in names or wanted == f"{family}:{revision}" or wanted.endswith(f"/{family}:{revision}")):
            return definition
    referred = plan.refers_to(service, "task_definition", "aws_ecs_task_definition")
    for definition in definitions:
        if _unindexed(definition.address) in referred:
            return definition
    if len(definitions) == 1:
        plan.notes.append(
            f"{service.address}: its task definition is taken to be {definitions[0].address}, the only one."
        )
        return definitions[0]
    return None


def terraform(data: dict[str, Any]) -> Imported:
    plan = _Plan(data)
    definitions = plan.of_type("aws_ecs_task_definition")
    if not definitions:
        raise ImportProblem("The Terraform JSON has no aws_ecs_task_definition resource to size from.")
    ecs_services = plan.of_type("aws_ecs_service")
    services: list[dict[str, Any]] = []
    for service in ecs_services:
        definition = _definition_of(plan, service, definitions)
        if definition is None:
            plan.notes.append(f"{service.address}: its task definition is not in this JSON; it is left out.")
            continue
        sized = _task_definition(definition.values, definition.address)
        plan.notes += [f"{service.address}: {note}" for note in sized.notes]
        workload = sized.scenario["workload"]
        raw = service.values.get("desired_count")
        desired = None if raw is None else whole(raw, f"{service.address} desired_count")
        usage = _usage(plan, service, ecs_services, desired=desired, workload=workload)
        label = service.values.get("name") or service.address.rsplit(".", 1)[-1]
        services.append({"name": service_name(str(label)), "workload": workload, "usage": usage})
    if not ecs_services:
        for definition in definitions:
            sized = _task_definition(definition.values, definition.address)
            label = definition.values.get("family") or definition.address
            usage = {"kind": "always_on", "replicas": 1}
            services.append({"name": service_name(str(label)), "workload": sized.scenario["workload"], "usage": usage})
    if not services:
        raise ImportProblem("No aws_ecs_service of this Terraform JSON has its task definition in it.")
    ignored = {r.type for r in plan.resources} - READ
    if ignored:
        plan.notes.append(f"Not priced from the Terraform JSON: {listed(ignored)}.")
    return services_imported(services, plan.notes)


def _usage(
    plan: _Plan, service: _Resource, services: list[_Resource], *, desired: int | None, workload: dict[str, Any]
) -> dict[str, Any]:
    where = service.address
    always_on = {"kind": "always_on", "replicas": max(desired if desired is not None else 1, 1)}
    targets = [t for t in plan.of_type("aws_appautoscaling_target") if _named_service(plan, t, services) is service]
    if not targets:
        return always_on
    target = targets[0].values
    if target.get("min_capacity") is None or target.get("max_capacity") is None:
        plan.notes.append(f"{where}: its scaling bounds are not known in this JSON; it is priced always on.")
        return always_on
    low = whole(target["min_capacity"], f"{targets[0].address} min_capacity")
    high = whole(target["max_capacity"], f"{targets[0].address} max_capacity")
    if high < 1 or low > high:
        plan.notes.append(f"{where}: its min_capacity is above its max_capacity; it is priced always on.")
        return always_on
    policies = [
        _policy(plan, p)
        for p in plan.of_type("aws_appautoscaling_policy")
        if _named_service(plan, p, services) is service
    ]
    readable = [p for p in policies if p is not None]
    if len(readable) > 1:
        plan.notes.append(
            f"{where}: AWS scales to the highest of its policies; the model follows one ({readable[0]['metric']} "
            f"at {readable[0]['target']})."
        )
    actions = [
        _action(a)
        for a in plan.of_type("aws_appautoscaling_scheduled_action")
        if _named_service(plan, a, services) is service
    ]
    usage, notes = scaling_usage(
        where,
        low=low,
        high=high,
        desired=desired,
        policy=readable[0] if readable else None,
        actions=actions,
        workload=workload,
    )
    plan.notes += notes
    return usage


def _policy(plan: _Plan, policy: _Resource) -> dict[str, Any] | None:
    values = policy.values
    if values.get("policy_type") != "TargetTrackingScaling":
        plan.notes.append(
            f"{policy.address}: a {values.get('policy_type') or 'StepScaling'} policy is not mapped "
            "from Terraform (its alarms' thresholds are in other resources)."
        )
        return None
    config = _first(values.get("target_tracking_scaling_policy_configuration"))
    kind = _first(config.get("predefined_metric_specification")).get("predefined_metric_type")
    metric = PREDEFINED_METRICS.get(str(kind))
    if metric is None or config.get("target_value") is None:
        plan.notes.append(f"{policy.address}: it tracks {kind or 'a customized metric'}, which is not mapped.")
        return None
    target = decimal(config["target_value"], f"{policy.address} target_value")
    return {"type": "target_tracking", "metric": metric, "target": plain(Decimal(target))}


def _action(resource: _Resource) -> Action:
    values = resource.values
    bounds = _first(values.get("scalable_target_action"))
    low, high = bounds.get("min_capacity"), bounds.get("max_capacity")
    return Action(
        name=str(values.get("name") or resource.address)[:60],
        schedule=str(values.get("schedule") or "")[:200],
        # The provider keeps these as strings ("" when not set).
        min_replicas=None if low in (None, "") else whole(low, f"{resource.address} min_capacity"),
        max_replicas=None if high in (None, "") else whole(high, f"{resource.address} max_capacity"),
        timezone=str(values["timezone"]) if values.get("timezone") else None,
    )
