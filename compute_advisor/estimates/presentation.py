"""A priced result as the pages and reports show it: ranked rows, configurations in words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from compute_advisor.engine import OptionResult, Result
from compute_advisor.engine.money import plain

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


def configuration_summary(option: OptionResult) -> str:
    """The few settings that say how an option runs: `instance type m7g.large, instances 2`."""
    parts = []
    for key, label in CONFIG_LABELS.items():
        if key in option.configuration:
            value = option.configuration[key]
            parts.append(f"{label} {plain(value) if isinstance(value, Decimal) else value}")
    return ", ".join(parts)


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
