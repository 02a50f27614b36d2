"""Filling the form from what users already have: ECS task definitions, compose files, CloudFormation and CDK
templates, Terraform's JSON, and CloudWatch metrics for the demand. Each format has its module; `import_workload`
tells them apart."""

from __future__ import annotations

from typing import Any

from compute_advisor.estimates.imports.cloudformation import cloudformation
from compute_advisor.estimates.imports.common import Imported, ImportProblem, camel_keys, decoded
from compute_advisor.estimates.imports.metrics import MetricsOptions, with_metrics
from compute_advisor.estimates.imports.task_definitions import compose, task_definition
from compute_advisor.estimates.imports.terraform import is_terraform, terraform

__all__ = ["ImportProblem", "Imported", "MetricsOptions", "import_application", "import_workload", "with_metrics"]

WHAT = "task definition, compose file, template or Terraform JSON"


def import_workload(text: str) -> Imported:
    if not text.strip():
        raise ImportProblem(
            "Paste an ECS task definition (JSON), a docker-compose file (YAML), a CloudFormation or CDK template, "
            "or Terraform's JSON (terraform show -json)."
        )
    data: Any = decoded(text, what=WHAT)
    if isinstance(data, dict) and isinstance(data.get("taskDefinition"), dict):
        data = data["taskDefinition"]  # `aws ecs describe-task-definition` output
    if is_terraform(data):
        return terraform(data)
    if isinstance(data, dict) and isinstance(data.get("Resources"), dict):
        return cloudformation(data)
    if isinstance(data, dict) and ("ContainerDefinitions" in data or "Family" in data):
        data = camel_keys(data)  # CloudFormation's (and the CDK's) PascalCase properties
    if isinstance(data, dict) and ("containerDefinitions" in data or "family" in data):
        return task_definition(data)
    if isinstance(data, dict) and isinstance(data.get("services"), dict):
        return compose(data["services"])
    raise ImportProblem(
        "This is neither an ECS task definition (containerDefinitions), a CloudFormation template (Resources), "
        "Terraform's JSON (format_version and values) nor a compose file (services)."
    )


def import_application(text: str, metrics: str = "", options: MetricsOptions | None = None) -> Imported:
    """What the import page and `manage.py import_scenario` read: a file, a CloudWatch export for one service's
    demand, or both (the file's services, that one's demand from the export)."""
    imported = import_workload(text) if text.strip() or not metrics.strip() else None
    if metrics.strip():
        return with_metrics(imported, metrics, options or MetricsOptions())
    assert imported is not None
    return imported
