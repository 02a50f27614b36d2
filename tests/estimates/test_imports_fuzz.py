"""Whatever a file holds where a template, Terraform JSON or CloudWatch export has its values, the importers
answer with the scenario or an ImportProblem, never another exception (a 500 on the page, a traceback on the
command line)."""

import json
from contextlib import suppress
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compute_advisor.estimates.imports import ImportProblem, MetricsOptions, import_workload, with_metrics

SCALARS = st.none() | st.booleans() | st.integers(-(10**6), 10**12) | st.text(max_size=30)
SCALARS |= st.sampled_from(["256", "1 vCPU", "2 GB", "-1", "0", "1e999", "NaN", "service/c/web", "cron(0 8 ? * MON *)"])
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["Ref", "Fn::GetAtt", "Fn::Join", "Fn::Sub", "limits", "cpus", "memory", "sizeInGiB", "x"]),
            inner,
            max_size=2,
        )
    ),
    max_leaves=8,
)


def cloudformation(target: dict, policy: dict, task: dict, service: dict) -> str:
    return json.dumps(
        {
            "Parameters": {"Count": {"Default": 2}},
            "Resources": {
                "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Cpu": "256", "Memory": "512", **task}},
                "Web": {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": {"Ref": "Task"}, **service}},
                "Target": {"Type": "AWS::ApplicationAutoScaling::ScalableTarget", "Properties": target},
                "Policy": {"Type": "AWS::ApplicationAutoScaling::ScalingPolicy", "Properties": policy},
                "Alarm": {
                    "Type": "AWS::CloudWatch::Alarm",
                    "Properties": {
                        "AlarmActions": [{"Ref": "Policy"}],
                        "MetricName": "CPUUtilization",
                        "Threshold": 80,
                        "ComparisonOperator": "GreaterThanThreshold",
                    },
                },
            },
        },
        default=str,
    )


def properties(*keys: str):
    return st.fixed_dictionaries({}, optional={key: VALUES for key in keys})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    target=properties("MinCapacity", "MaxCapacity", "ResourceId", "ScheduledActions"),
    policy=properties(
        "PolicyType", "ScalingTargetId", "TargetTrackingScalingPolicyConfiguration", "StepScalingPolicyConfiguration"
    ),
    task=properties("Cpu", "Memory", "ContainerDefinitions", "RuntimePlatform"),
    service=properties("DesiredCount", "ServiceName"),
)
def test_a_template_never_raises_anything_but_an_import_problem(target, policy, task, service):
    target.setdefault("ResourceId", {"Fn::Join": ["/", ["service", "c", {"Fn::GetAtt": ["Web", "Name"]}]]})
    policy.setdefault("ScalingTargetId", {"Ref": "Target"})
    with suppress(ImportProblem):
        import_workload(cloudformation(target, policy, task, service))


@settings(max_examples=300, deadline=None)
@given(
    task=properties("cpu", "memory", "container_definitions", "runtime_platform", "family"),
    service=properties("name", "desired_count", "task_definition"),
    target=properties("min_capacity", "max_capacity", "resource_id"),
    action=properties("schedule", "scalable_target_action", "resource_id", "timezone"),
)
def test_terraform_json_never_raises_anything_but_an_import_problem(task, service, target, action):
    resources = [
        {"address": "aws_ecs_task_definition.t", "type": "aws_ecs_task_definition", "values": task},
        {"address": "aws_ecs_service.s", "type": "aws_ecs_service", "values": service},
        {"address": "aws_appautoscaling_target.a", "type": "aws_appautoscaling_target", "values": target},
        {
            "address": "aws_appautoscaling_scheduled_action.x",
            "type": "aws_appautoscaling_scheduled_action",
            "values": action,
        },
    ]
    with suppress(ImportProblem):
        import_workload(
            json.dumps({"format_version": "1.0", "values": {"root_module": {"resources": resources}}}, default=str)
        )


@settings(max_examples=300, deadline=None)
@given(
    results=st.lists(properties("Id", "Label", "Timestamps", "Values"), max_size=3),
    replicas=st.none() | st.integers(1, 5),
)
def test_a_metrics_export_never_raises_anything_but_an_import_problem(results, replicas):
    options = MetricsOptions(
        replicas=replicas, vcpu=Decimal(1), memory_gib=Decimal(2), target=Decimal(50), max_replicas=4
    )
    with suppress(ImportProblem):
        with_metrics(None, json.dumps({"MetricDataResults": results}, default=str), options)


@settings(max_examples=300, deadline=None)
@given(task=properties("family", "cpu", "memory", "containerDefinitions", "runtimePlatform", "ephemeralStorage"))
def test_a_task_definition_never_raises_anything_but_an_import_problem(task):
    with suppress(ImportProblem):
        import_workload(json.dumps({"family": "x", **task}, default=str))


@settings(max_examples=300, deadline=None)
@given(service=properties("deploy", "image"), deploy=properties("replicas", "resources"))
def test_a_compose_file_never_raises_anything_but_an_import_problem(service, deploy):
    with suppress(ImportProblem):
        import_workload(json.dumps({"services": {"web": service, "api": {"deploy": deploy}}}, default=str))


STEP = st.fixed_dictionaries(
    {},
    optional={
        "AdjustmentType": st.sampled_from(["ChangeInCapacity", "PercentChangeInCapacity"]) | VALUES,
        "StepAdjustments": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    k: VALUES for k in ("MetricIntervalLowerBound", "MetricIntervalUpperBound", "ScalingAdjustment")
                },
            ),
            max_size=3,
        )
        | VALUES,
    },
)
TRACKING = st.fixed_dictionaries(
    {},
    optional={
        "PredefinedMetricSpecification": st.fixed_dictionaries(
            {}, optional={"PredefinedMetricType": st.sampled_from(["ECSServiceAverageCPUUtilization", "x"]) | VALUES}
        )
        | VALUES,
        "TargetValue": VALUES,
    },
)
ACTION = st.fixed_dictionaries(
    {},
    optional={
        "Schedule": st.sampled_from(["cron(0 8 ? * MON-FRI *)", "cron(0 25 * * ? *)", "at(x)"]) | VALUES,
        "ScalableTargetAction": st.fixed_dictionaries({}, optional={"MinCapacity": VALUES, "MaxCapacity": VALUES})
        | VALUES,
        "ScheduledActionName": VALUES,
    },
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(["TargetTrackingScaling", "StepScaling"]),
    step=STEP,
    tracking=TRACKING,
    actions=st.lists(ACTION, max_size=3) | VALUES,
    alarm=st.fixed_dictionaries({}, optional={k: VALUES for k in ("Threshold", "Period", "ComparisonOperator")}),
)
def test_policies_alarms_and_scheduled_actions_never_raise_anything_but_an_import_problem(
    kind, step, tracking, actions, alarm
):
    policy = {
        "PolicyType": kind,
        "ScalingTargetId": {"Ref": "Target"},
        "StepScalingPolicyConfiguration": step,
        "TargetTrackingScalingPolicyConfiguration": tracking,
    }
    target = {"MinCapacity": 1, "MaxCapacity": 4, "ResourceId": "service/c/Web", "ScheduledActions": actions}
    text = json.loads(cloudformation(target, policy, {}, {}))
    text["Resources"]["Alarm"]["Properties"].update(alarm)
    with suppress(ImportProblem):
        import_workload(json.dumps(text, default=str))
