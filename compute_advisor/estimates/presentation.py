"""A priced result as the pages and reports show it: ranked rows, configurations and assumptions in words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from compute_advisor.engine import OptionResult, Result, Scenario
from compute_advisor.engine.declaration import field_spec
from compute_advisor.engine.money import plain
from compute_advisor.engine.result import ServiceUsage
from compute_advisor.engine.scenario import ClusterProviderShare

CONFIG_LABELS = {
    "instance_type": "instance type",
    "instances": "instances",
    "tasks_per_instance": "tasks per instance",
    "task_vcpu": "task vCPU",
    "task_memory_gib": "task GB",
    "tasks": "tasks",
    "environment": "environment",
    "instance_vcpu": "vCPU",
    "instance_memory_gib": "GB",
    "min_instances": "min instances",
    "bundle": "bundle",
    "power": "power",
    "nodes": "nodes",
    "limited_by": "limited by",
    "services_sharing_alb": "services on the ALB",
    "capacity": "capacity",
}


# Words in the engine's configuration keys that people write differently.
KEY_WORDS = {
    "vcpu": "vCPU",
    "gib": "(GiB)",
    "mib": "(MiB)",
    "gb": "(GB)",
    "alb": "ALB",
    "ebs": "EBS",
    "eni": "ENI",
}
KEY_LABELS = {"on_demand": "On-Demand", "spot": "Spot", "limited_by": "Packing limited by"}


def configuration_label(key: str) -> str:
    """`registered_memory_mib` -> `Registered memory (MiB)`."""
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    words = key.split("_")
    text = " ".join(KEY_WORDS.get(word, word) for word in words)
    if not text or words[0] in KEY_WORDS:  # "vCPU" keeps its small v
        return text
    return text[0].upper() + text[1:]


def configuration_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return plain(value)
    if value is None:
        return "none"
    if isinstance(value, list | tuple):
        return "; ".join(configuration_value(v) for v in value) or "none"
    if isinstance(value, dict):
        if "peak_layout" in value:
            return capacity_provider_text(value)
        if "provider" in value:
            return fargate_provider_text(value)
        if value and set(value) <= set(PROVIDER_NAMES):  # tasks by provider (and hour)
            return "; ".join(f"{PROVIDER_NAMES[k]} {_counts(v)}" for k, v in value.items())
        return ", ".join(f"{k} {configuration_value(v)}" for k, v in value.items())
    return str(value)


def capacity_provider_text(provider: dict[str, Any]) -> str:
    """One capacity provider of an application's cluster, in words: its group (with a strategy), services,
    type, and how the busiest hour packs them."""
    boxes = [", ".join(f"{count} {name}" for name, count in box.items()) for box in provider["peak_layout"]]
    layout = "; ".join(f"instance {i + 1}: {text}" for i, text in enumerate(boxes))
    band = provider.get("interruption_band")
    return (
        f"{_group(provider)}{', '.join(provider['services'])} on up to {provider['instances']} x "
        f"{provider['instance_type']}{f' (Spot interruptions {band})' if band else ''} "
        f"(busiest hour: {layout}); {configuration_value(provider['stranded_vcpu'])} vCPU and "
        f"{configuration_value(provider['stranded_memory_gib'])} GiB of memory stranded"
    )


def fargate_provider_text(provider: dict[str, Any]) -> str:
    """A Fargate capacity provider of a strategy, in words."""
    services = provider.get("services")
    return (
        f"{_group(provider)}{', '.join(services) + ': ' if services else ''}up to {provider.get('tasks', 0)} tasks, "
        f"{configuration_value(provider.get('task_hours'))} task-hours a month"
    )


def _group(provider: dict[str, Any]) -> str:
    name = PROVIDER_NAMES.get(str(provider.get("provider")))
    if name is None:
        return ""
    return f"{name} (base {provider.get('base', 0)}, weight {provider.get('weight', 0)}): "


def _counts(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def configuration_details(option: OptionResult) -> list[tuple[str, str]]:
    return [(configuration_label(k), configuration_value(v)) for k, v in option.configuration.items()]


@dataclass(frozen=True)
class Row:
    rank: int | None
    option: OptionResult
    yearly: Decimal | None
    summary: str

    @property
    def details(self) -> list[tuple[str, str]]:
        return configuration_details(self.option)

    @property
    def unranked(self) -> bool:
        """Priced, but left out of the ranking (its `option.unranked_reason` says why)."""
        return self.option.available and self.rank is None

    @property
    def rank_text(self) -> str:
        """What the rank column shows: the rank, "Not ranked" for a priced option outside the ranking (a price
        there would read as a place in it), or a dash for an unavailable one."""
        if self.rank is not None:
            return str(self.rank)
        return "Not ranked" if self.unranked else "\u2013"


def configuration_summary(option: OptionResult) -> str:
    """The few settings that say how an option runs: `instance type m7g.large, instances 2`."""
    providers = [provider_summary(p) for p in option.configuration.get("capacity_providers", [])]
    if option.services is not None:
        parts = []
        names = ", ".join(s.name for s in option.services)
        parts.append(f"{len(option.services)} service{'s' if len(option.services) != 1 else ''} ({names})")
        configuration = option.configuration
        if configuration.get("containers_per_node"):
            parts.append(f"containers of one deployment on {configuration['nodes']} x {configuration['power']} nodes")
        return ", ".join(parts + providers)
    return ", ".join([settings_summary(option.configuration, skip_capacity=bool(providers)), *providers])


def settings_summary(configuration: dict[str, Any], *, skip_capacity: bool = False) -> str:
    parts = []
    for key, label in CONFIG_LABELS.items():
        if key in configuration:
            value = configuration[key]
            if key == "capacity" and skip_capacity:
                continue  # the capacity providers say it
            parts.append(f"{label} {plain(value) if isinstance(value, Decimal) else value}")
    return ", ".join(parts)


# The capacity providers' names, as the scenario's declaration gives them.
PROVIDER_NAMES = field_spec(ClusterProviderShare, "provider").labels


def provider_summary(provider: dict[str, Any]) -> str:
    """One capacity provider in words: `Spot group 2 x m5.large (interruptions 5-10%)`, `Fargate Spot 6 tasks`."""
    name = PROVIDER_NAMES.get(str(provider.get("provider")), "cluster")
    if "instance_type" in provider:
        band = provider.get("interruption_band")
        return f"{name} {provider['instances']} x {provider['instance_type']}" + (
            f" (interruptions {band})" if band else ""
        )
    return f"{name} {provider.get('tasks', 0)} tasks"


def rows(result: Result) -> list[Row]:
    ranking = {code: index + 1 for index, code in enumerate(result.ranking)}
    return [
        Row(
            rank=ranking.get(o.option),
            option=o,
            yearly=o.yearly_cost if o.available else None,
            summary=configuration_summary(o) if o.available else "",
        )
        for o in result.listing
    ]


def priced_for(result: Result) -> list[tuple[str, str]]:
    """What the prices rest on besides the workload, in words, as every page and report restates it above
    the figures: the usage, and the engine's assumptions (a cost means little without them)."""
    lines = [("Usage", result.usage_summary)] if result.usage_summary else []
    assumptions = result.assumptions
    if assumptions.get("cpu_utilization_percent") is not None:
        percent = plain(Decimal(assumptions["cpu_utilization_percent"]))
        lines.append(
            (
                "Average CPU use",
                f"{percent} % of each replica's vCPU; burstable instances and Lightsail are judged by it.",
            )
        )
    elif assumptions.get("cpu_utilization_percent_by_service"):
        each = ", ".join(
            f"{name} {plain(Decimal(value))} %"
            for name, value in assumptions["cpu_utilization_percent_by_service"].items()
        )
        lines.append(
            (
                "Average CPU use",
                f"{each} of each replica's vCPU (as simulated where a service scales on CPU); burstable instances "
                "and Lightsail are judged by it.",
            )
        )
    if "min_zones" in assumptions:
        zones = int(assumptions["min_zones"])
        spread = (
            f"{zones}: on the options that run instances, a service of 2 or more replicas runs on at least "
            f"{zones} (no more than its replicas), each in its own zone."
            if zones > 1
            else "1: instances are not spread over zones."
        )
        lines.append(("Availability Zones", spread))
    if "app_runner_existing_account" in assumptions and any(
        o.option == "app_runner" and o.available for o in result.options
    ):
        lines.append(
            (
                "App Runner",
                "Ranked: the account already uses it."
                if assumptions["app_runner_existing_account"]
                else "Priced but not ranked: it takes no new customers, and this scenario does not say the account "
                "already uses it.",
            )
        )
    return lines


@dataclass(frozen=True)
class ServiceCost:
    """One option's price of one service: how it runs it and the service's part of the monthly cost."""

    rank_text: str
    label: str
    summary: str
    monthly_cost: Decimal


@dataclass(frozen=True)
class ServiceSection:
    """What a report says of one service: its size, its usage, and its part under each priced option."""

    name: str
    workload: str
    fronted: bool
    usage: ServiceUsage | None
    costs: list[ServiceCost]


def service_sections(result: Result, scenario: Scenario) -> list[ServiceSection]:
    """Each service of an application, with its part of every priced option (the per-service subtotals
    OptionResult.attribute_shared gives, the shared lines included), in the order the options are listed."""
    if not result.service_usage:
        return []
    usages = {u.name: u for u in result.service_usage}
    listed = [r for r in rows(result) if r.option.available and r.option.services]
    sections = []
    for service in scenario.application:
        w = service.workload
        workload = (
            f"{plain(w.vcpu)} vCPU, {plain(w.memory_gib)} GiB per replica, {w.os.title()} {w.architecture}"
            f"{'' if w.ephemeral_storage_gib == 20 else f', {plain(w.ephemeral_storage_gib)} GiB ephemeral storage'}"
        )
        costs = []
        for row in listed:
            assert row.option.services is not None
            part = next((s for s in row.option.services if s.name == service.name), None)
            if part is not None:
                costs.append(
                    ServiceCost(
                        row.rank_text, row.option.label, settings_summary(part.configuration), part.monthly_cost
                    )
                )
        sections.append(ServiceSection(service.name, workload, service.fronted, usages.get(service.name), costs))
    return sections
