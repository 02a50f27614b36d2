"""Terraform's JSON (`terraform show -json`): no public repository commits a real one with ECS resources (see
import_files/README.md), so these documents follow Terraform's documented "JSON Output Format"
(developer.hashicorp.com/terraform/internals/json-format: `values.root_module`, `child_modules`, `planned_values`,
`configuration` with each expression's `references`) with the AWS provider's attribute names."""

import json

import pytest

from compute_advisor.engine import parse_scenario
from compute_advisor.estimates.imports import ImportProblem, import_workload

CONTAINERS = json.dumps([{"name": "api", "image": "example/api:1", "cpu": 0, "essential": True}])
TASK = {
    "address": "module.api.aws_ecs_task_definition.api",
    "mode": "managed",
    "type": "aws_ecs_task_definition",
    "name": "api",
    "provider_name": "registry.terraform.io/hashicorp/aws",
    "schema_version": 1,
    "values": {
        "arn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/api:7",
        "family": "api",
        "revision": 7,
        "cpu": "512",
        "memory": "1024",
        "container_definitions": CONTAINERS,
        "runtime_platform": [{"cpu_architecture": "ARM64", "operating_system_family": "LINUX"}],
        "ephemeral_storage": [],
    },
}
SERVICE = {
    "address": "module.api.aws_ecs_service.api",
    "mode": "managed",
    "type": "aws_ecs_service",
    "name": "api",
    "values": {
        "name": "api",
        "cluster": "arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
        "desired_count": 3,
        "task_definition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/api:7",
    },
}
TARGET = {
    "address": "module.api.aws_appautoscaling_target.api",
    "mode": "managed",
    "type": "aws_appautoscaling_target",
    "name": "api",
    "values": {
        "min_capacity": 2,
        "max_capacity": 8,
        "resource_id": "service/prod/api",
        "scalable_dimension": "ecs:service:DesiredCount",
        "service_namespace": "ecs",
    },
}
POLICY = {
    "address": "module.api.aws_appautoscaling_policy.memory",
    "mode": "managed",
    "type": "aws_appautoscaling_policy",
    "name": "memory",
    "values": {
        "name": "api-memory",
        "policy_type": "TargetTrackingScaling",
        "resource_id": "service/prod/api",
        "step_scaling_policy_configuration": [],
        "target_tracking_scaling_policy_configuration": [
            {
                "customized_metric_specification": [],
                "disable_scale_in": False,
                "predefined_metric_specification": [
                    {"predefined_metric_type": "ECSServiceAverageMemoryUtilization", "resource_label": ""}
                ],
                "target_value": 70,
            }
        ],
    },
}


def action(name: str, schedule: str, low: str, high: str) -> dict:
    return {
        "address": f"module.api.aws_appautoscaling_scheduled_action.{name}",
        "mode": "managed",
        "type": "aws_appautoscaling_scheduled_action",
        "name": name,
        "values": {
            "name": name,
            "resource_id": "service/prod/api",
            "schedule": schedule,
            "timezone": "UTC",
            # The provider keeps these as strings, "" when one is not set.
            "scalable_target_action": [{"min_capacity": low, "max_capacity": high}],
        },
    }


def state(*resources: dict) -> str:
    child = {"address": "module.api", "resources": list(resources)}
    lb = {"address": "aws_lb.front", "mode": "managed", "type": "aws_lb", "name": "front", "values": {}}
    return json.dumps(
        {
            "format_version": "1.0",
            "terraform_version": "1.9.5",
            "values": {"root_module": {"resources": [lb], "child_modules": [child]}},
        }
    )


def test_a_state_reads_each_service_with_its_target_policy_and_scheduled_actions():
    text = state(
        TASK,
        SERVICE,
        TARGET,
        POLICY,
        action("morning", "cron(0 7 ? * MON-FRI *)", "4", ""),
        action("evening", "cron(0 19 ? * MON-FRI *)", "2", ""),
    )
    result = import_workload(text)
    (service,) = result.scenario["services"]
    assert service["name"] == "api"
    assert service["workload"] == {"vcpu": "0.5", "memory_gib": "1", "os": "linux", "architecture": "arm64"}
    usage = service["usage"]
    assert (usage["min_replicas"], usage["max_replicas"]) == (2, 8)
    assert usage["policy"] == {"type": "target_tracking", "metric": "memory", "target": "70"}
    assert usage["demand_by_hour"] == ["2.1"] * 24  # 3 replicas x 1 GiB x 70 %
    assert usage["schedule"] == [
        {"days": "weekdays", "from_hour": 7, "to_hour": 19, "min_replicas": 4},
        {"days": "weekdays", "from_hour": 19, "to_hour": 24, "min_replicas": 2},
        {"days": "weekdays", "from_hour": 0, "to_hour": 7, "min_replicas": 2},
    ]
    assert "Not priced from the Terraform JSON: aws_lb." in result.notes
    scenario = parse_scenario({"region": "eu-west-1", **result.scenario})
    run = scenario.services[0].usage.simulated(scenario.services[0].workload)
    assert run.replicas_by_hour[:24] == (3,) * 7 + (4,) * 12 + (3,) * 5


def test_a_service_without_a_target_is_always_on_at_its_desired_count():
    result = import_workload(state(TASK, SERVICE))
    assert result.scenario == {
        "name": "api",
        "workload": {"vcpu": "0.5", "memory_gib": "1", "os": "linux", "architecture": "arm64"},
        "usage": {"kind": "always_on", "replicas": 3},
    }


def test_a_plan_finds_what_is_known_after_apply_through_the_configuration():
    # A plan for new resources: the ARN and the resource_id built from them are unknown, so they are absent.
    task = {
        **TASK,
        "address": "aws_ecs_task_definition.api",
        "values": {k: v for k, v in TASK["values"].items() if k != "arn"},
    }
    other = {**task, "address": "aws_ecs_task_definition.worker", "values": {**task["values"], "family": "worker"}}
    service = {**SERVICE, "address": "aws_ecs_service.api", "values": {"name": "api", "desired_count": 2}}
    target = {
        **TARGET,
        "address": "aws_appautoscaling_target.api",
        "values": {"min_capacity": 1, "max_capacity": 4, "scalable_dimension": "ecs:service:DesiredCount"},
    }
    policy_values = {k: v for k, v in POLICY["values"].items() if k != "resource_id"}
    policy = {**POLICY, "address": "aws_appautoscaling_policy.memory", "values": policy_values}

    def configured(address: str, **references: list[str]) -> dict:
        return {"address": address, "expressions": {k: {"references": v} for k, v in references.items()}}

    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [task, other, service, target, policy]}},
        "configuration": {
            "root_module": {
                "resources": [
                    configured(
                        "aws_ecs_service.api",
                        task_definition=["aws_ecs_task_definition.api.arn", "aws_ecs_task_definition.api"],
                    ),
                    configured(
                        "aws_appautoscaling_target.api", resource_id=["aws_ecs_service.api.name", "aws_ecs_service.api"]
                    ),
                    configured(
                        "aws_appautoscaling_policy.memory",
                        resource_id=["aws_appautoscaling_target.api.resource_id", "aws_appautoscaling_target.api"],
                    ),
                ]
            }
        },
    }
    (service_out,) = import_workload(json.dumps(plan)).scenario["services"]
    usage = service_out["usage"]
    assert (usage["min_replicas"], usage["max_replicas"], usage["policy"]["metric"]) == (1, 4, "memory")
    assert usage["demand_by_hour"] == ["1.4"] * 24  # 2 replicas x 1 GiB x 70 %


@pytest.mark.parametrize(
    ("resources", "message"),
    [
        ([SERVICE], "The Terraform JSON has no aws_ecs_task_definition resource to size from."),
        (
            [{**TASK, "values": {**TASK["values"], "container_definitions": "[{"}}, SERVICE],
            "module.api.aws_ecs_task_definition.api: container_definitions is not valid JSON.",
        ),
        (
            [{**TASK, "values": {**TASK["values"], "cpu": "a lot"}}, SERVICE],
            "cpu 'a lot' is not a number.",
        ),
        ([TASK, {**SERVICE, "values": {**SERVICE["values"], "desired_count": "x"}}], "desired_count must be a whole"),
    ],
)
def test_bad_terraform_json_gets_a_clear_message(resources, message):
    with pytest.raises(ImportProblem, match=message):
        import_workload(state(*resources))
