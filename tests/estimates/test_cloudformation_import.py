"""CloudFormation and CDK templates with Service Auto Scaling, read from real public templates
(tests/estimates/import_files/README.md) and from templates written to the CloudFormation User Guide's syntax."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from compute_advisor.engine import parse_scenario
from compute_advisor.estimates.imports import ImportProblem, import_workload
from compute_advisor.estimates.imports.scaling import Action, schedule_from_actions

FILES = Path(__file__).parent / "import_files"
CDK_SERVICE = "awsecspatternsqueuecustomcpuscalingQueueProcessingFargateService88A0B9F9"


def imported(name: str):
    return import_workload((FILES / name).read_text())


def priced(scenario):
    """The imported scenario as the engine reads it: it must be valid as it stands."""
    return parse_scenario({"region": "us-east-1", **scenario})


def test_it_reads_the_step_policies_of_the_ecs_reference_architecture_through_their_alarms():
    result = imported("ecs-refarch-website-service.yaml")
    (service,) = result.scenario["services"]
    assert service["name"] == "Service"
    # No cpu anywhere in the task definition; 128 MiB on its one container.
    assert service["workload"] == {"vcpu": "0.25", "memory_gib": "0.125", "os": "linux", "architecture": "x86_64"}
    usage = service["usage"]
    # MinCapacity: !Ref DesiredCount (Default 2), MaxCapacity: !Ref MaxCount (Default 3).
    assert (usage["kind"], usage["min_replicas"], usage["max_replicas"]) == ("autoscaling", 2, 3)
    # CPUScaleOutAlarm: CPUUtilization > 90 runs the +1 step from 0; CPUScaleInAlarm: < 70 runs the -1 step to 0.
    assert usage["policy"] == {
        "type": "step",
        "metric": "cpu",
        "steps": [{"above": "90", "add": 1}],
        "below": "70",
        "remove": 1,
    }
    # Placeholder: 2 replicas x 0.25 vCPU at 80 % (midway between 70 and 90) = 0.4 vCPU every hour.
    assert usage["demand_by_hour"] == ["0.4"] * 24
    assert usage["schedule"] == []
    assert "Parameters read at their Default: DesiredCount=2, MaxCount=3." in result.notes
    assert any("demand_by_hour is a placeholder" in note and "2 replicas" in note for note in result.notes)
    assert any("priced at 256 CPU units (0.25 vCPU)" in note for note in result.notes)
    assert result.notes[-1] == (
        "Not priced from the template: AWS::ElasticLoadBalancingV2::ListenerRule, "
        "AWS::ElasticLoadBalancingV2::TargetGroup, AWS::IAM::Role, AWS::Logs::LogGroup."
    )
    run = priced(result.scenario).services[0].usage.simulated(priced(result.scenario).services[0].workload)
    assert set(run.replicas_by_hour) == {2}  # 80 % at 2 replicas: neither step fires


def test_it_reads_the_cpu_target_of_a_cdk_synthesis_and_says_what_it_cannot_follow():
    result = imported("cdk-queue-processing-custom-cpu-scaling.template.json")
    (service,) = result.scenario["services"]
    assert service["name"] == CDK_SERVICE[:63]
    assert service["workload"]["vcpu"] == "0.25"
    assert service["workload"]["memory_gib"] == "0.5"
    usage = service["usage"]
    # The CDK leaves DesiredCount out when it scales a service: the placeholder starts from MinCapacity.
    assert (usage["min_replicas"], usage["max_replicas"]) == (1, 2)
    assert usage["policy"] == {"type": "target_tracking", "metric": "cpu", "target": "50"}
    assert usage["demand_by_hour"] == ["0.125"] * 24  # 1 replica x 0.25 vCPU x 50 %
    sqs = [note for note in result.notes if "ApproximateNumberOfMessagesVisible" in note]
    assert len(sqs) == 2  # the queue's upper and lower step policies
    assert any(note.startswith("Not priced from the template:") and "AWS::SQS::Queue" in note for note in result.notes)
    priced(result.scenario)


SERVICE_AND_TASK = {
    "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Cpu": "1024", "Memory": "2048"}},
    "Web": {
        "Type": "AWS::ECS::Service",
        "Properties": {"ServiceName": "web", "TaskDefinition": {"Ref": "Task"}, "DesiredCount": 4},
    },
}


def template(target: dict, *policies: dict) -> str:
    resources = {
        **SERVICE_AND_TASK,
        "Target": {"Type": "AWS::ApplicationAutoScaling::ScalableTarget", "Properties": target},
    }
    for index, policy in enumerate(policies):
        resources[f"Policy{index}"] = {"Type": "AWS::ApplicationAutoScaling::ScalingPolicy", "Properties": policy}
    return json.dumps({"Resources": resources})


def tracking(metric: str, value) -> dict:
    return {
        "PolicyType": "TargetTrackingScaling",
        "ScalingTargetId": {"Ref": "Target"},
        "TargetTrackingScalingPolicyConfiguration": {
            "PredefinedMetricSpecification": {"PredefinedMetricType": metric},
            "TargetValue": value,
        },
    }


@pytest.mark.parametrize(
    ("resource_id", "metric", "target", "policy", "demand"),
    [
        # The ResourceId forms of the User Guide's examples: a literal, Fn::Join with Ref and Fn::GetAtt, Fn::Sub.
        ("service/prod/web", "ECSServiceAverageCPUUtilization", 60, ("cpu", "60"), "2.4"),  # 4 x 1 vCPU x 60 %
        (
            {"Fn::Join": ["/", ["service", {"Ref": "Cluster"}, {"Fn::GetAtt": ["Web", "Name"]}]]},
            "ECSServiceAverageMemoryUtilization",
            75.5,
            ("memory", "75.5"),
            "6.04",  # 4 x 2 GiB x 75.5 %
        ),
        (
            {"Fn::Sub": "service/${Cluster}/${Web.Name}"},
            "ALBRequestCountPerTarget",
            1000,
            ("requests_per_target", "1000"),
            "66.6666",  # 4 targets x 1,000 requests a minute / 60
        ),
    ],
)
def test_a_target_tracking_policy_becomes_the_service_policy(resource_id, metric, target, policy, demand):
    text = template({"MinCapacity": 2, "MaxCapacity": "12", "ResourceId": resource_id}, tracking(metric, target))
    (service,) = import_workload(text).scenario["services"]
    assert service["name"] == "web"
    usage = service["usage"]
    assert (usage["min_replicas"], usage["max_replicas"]) == (2, 12)
    assert (usage["policy"]["metric"], usage["policy"]["target"]) == policy
    assert usage["demand_by_hour"] == [demand] * 24
    scenario = priced(import_workload(text).scenario)
    run = scenario.services[0].usage.simulated(scenario.services[0].workload)
    assert set(run.replicas_by_hour) == {4}  # the placeholder keeps the desired count at the target


def test_scheduled_actions_make_windows_and_say_what_they_cannot_map():
    # The User Guide's scheduled scaling pattern: scale out on weekday mornings, back in each evening.
    target = {
        "MinCapacity": 1,
        "MaxCapacity": 10,
        "ResourceId": "service/prod/web",
        "ScheduledActions": [
            {
                "ScheduledActionName": "out",
                "Schedule": "cron(0 8 ? * MON-FRI *)",
                "ScalableTargetAction": {"MinCapacity": 4, "MaxCapacity": 10},
            },
            {
                "ScheduledActionName": "in",
                "Schedule": "cron(0 20 ? * MON-FRI *)",
                "ScalableTargetAction": {"MinCapacity": 1, "MaxCapacity": 3},
            },
            {
                "ScheduledActionName": "launch",
                "Schedule": "at(2026-12-24T09:00:00)",
                "ScalableTargetAction": {"MinCapacity": 8},
            },
        ],
    }
    result = import_workload(template(target, tracking("ECSServiceAverageCPUUtilization", 50)))
    usage = result.scenario["services"][0]["usage"]
    assert usage["schedule"] == [
        {"days": "weekdays", "from_hour": 8, "to_hour": 20, "min_replicas": 4, "max_replicas": 10},
        {"days": "weekdays", "from_hour": 20, "to_hour": 24, "min_replicas": 1, "max_replicas": 3},
        {"days": "weekdays", "from_hour": 0, "to_hour": 8, "min_replicas": 1, "max_replicas": 3},
    ]
    assert any("'launch' (at(2026-12-24T09:00:00)) is not mapped" in note for note in result.notes)
    scenario = priced(result.scenario)
    run = scenario.services[0].usage.simulated(scenario.services[0].workload)
    monday, saturday = run.min_by_hour[:24], run.min_by_hour[5 * 24 : 6 * 24]
    assert monday == (1,) * 8 + (4,) * 12 + (1,) * 4
    assert saturday == (1,) * 24  # the target's own MinCapacity on days no action names


@pytest.mark.parametrize(
    ("schedule", "windows"),
    [
        ("cron(0 9 * * ? *)", [("all", 9, 24), ("all", 0, 9)]),  # once a day, kept until it runs again
        ("cron(0 6 ? * SAT,SUN *)", [("weekends", 6, 24), ("weekends", 0, 6)]),
        ("cron(0 0 ? * 1,7 *)", [("weekends", 0, 24)]),  # AWS numbers the days 1 (SUN) to 7 (SAT)
        ("cron(0 12 ? * MON,WED *)", [(["monday", "wednesday"], 12, 24), (["monday", "wednesday"], 0, 12)]),
        (
            "cron(30 7 ? * FRI-MON *)",
            [(["monday", "friday", "saturday", "sunday"], 7, 24), (["monday", "friday", "saturday", "sunday"], 0, 7)],
        ),
        ("cron(0 8 1 * ? *)", []),  # a day of the month
        ("cron(0 8-18 ? * MON-FRI *)", []),  # every hour of a range
        ("rate(1 day)", []),
    ],
)
def test_cron_expressions_that_name_an_hour_and_days_map(schedule, windows):
    entries, notes = schedule_from_actions([Action("a", schedule, 3, None)], where="web")
    assert [(e["days"], e["from_hour"], e["to_hour"]) for e in entries] == windows
    assert all(e["min_replicas"] == 3 and "max_replicas" not in e for e in entries)
    assert any("is not mapped" in note for note in notes) == (not windows)


def test_a_max_of_zero_is_priced_as_one_and_said():
    entries, notes = schedule_from_actions(
        [Action("night", "cron(0 22 * * ? *)", 0, 0), Action("day", "cron(0 6 * * ? *)", 2, 6)], where="web"
    )
    assert entries == [
        {"days": "all", "from_hour": 6, "to_hour": 22, "min_replicas": 2, "max_replicas": 6},
        {"days": "all", "from_hour": 22, "to_hour": 24, "min_replicas": 0, "max_replicas": 1},
        {"days": "all", "from_hour": 0, "to_hour": 6, "min_replicas": 0, "max_replicas": 1},
    ]
    assert "web: a max of 0 is priced as a max of 1" in notes[-1]


def test_scheduled_actions_alone_run_the_min_in_force():
    target = {
        "MinCapacity": 1,
        "MaxCapacity": 6,
        "ResourceId": "service/prod/web",
        "ScheduledActions": [
            {"ScheduledActionName": "up", "Schedule": "cron(0 9 * * ? *)", "ScalableTargetAction": {"MinCapacity": 5}},
            {
                "ScheduledActionName": "down",
                "Schedule": "cron(0 17 * * ? *)",
                "ScalableTargetAction": {"MinCapacity": 1},
            },
        ],
    }
    result = import_workload(template(target))
    scenario = priced(result.scenario)
    run = scenario.services[0].usage.simulated(scenario.services[0].workload)
    assert run.replicas_by_hour == (1,) * 9 + (5,) * 8 + (1,) * 7
    assert any("no scaling policy: each hour it runs the min" in note for note in result.notes)


def test_two_policies_follow_the_first_and_say_so():
    text = template(
        {"MinCapacity": 1, "MaxCapacity": 5, "ResourceId": "service/prod/web"},
        tracking("ECSServiceAverageCPUUtilization", 70),
        tracking("ECSServiceAverageMemoryUtilization", 80),
    )
    result = import_workload(text)
    assert result.scenario["services"][0]["usage"]["policy"]["metric"] == "cpu"
    assert any("AWS scales to the highest of its policies" in note for note in result.notes)


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        (tracking("ECSServiceAverageCPUUtilization", "lots"), "Policy0 TargetValue 'lots' is not a number."),
        (tracking("ECSServiceAverageCPUUtilization", 150), None),  # the engine refuses a percent above 100
    ],
)
def test_bad_policy_values_get_a_clear_message(policy, message):
    text = template({"MinCapacity": 1, "MaxCapacity": 5, "ResourceId": "service/prod/web"}, policy)
    if message:
        with pytest.raises(ImportProblem, match=message):
            import_workload(text)
    else:
        with pytest.raises(Exception, match="at most 100"):
            priced(import_workload(text).scenario)


def test_bounds_that_are_not_values_leave_the_service_always_on():
    text = template({"MinCapacity": {"Fn::ImportValue": "min"}, "MaxCapacity": 4, "ResourceId": "service/prod/web"})
    result = import_workload(text)
    assert result.scenario["usage"] == {"kind": "always_on", "replicas": 4}
    assert "Target: its MinCapacity is not a value or a parameter's Default." in result.notes


def test_yaml_short_forms_are_only_read():
    text = """
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties: {Cpu: 512, Memory: 1024}
  Web:
    Type: AWS::ECS::Service
    Properties: {TaskDefinition: !Ref Task, DesiredCount: 2}
  Target:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      MinCapacity: 2
      MaxCapacity: 6
      ResourceId: !Join [/, [service, !ImportValue cluster, !GetAtt Web.Name]]
  Cpu:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref Target
      TargetTrackingScalingPolicyConfiguration:
        PredefinedMetricSpecification: {PredefinedMetricType: ECSServiceAverageCPUUtilization}
        TargetValue: !Sub "70"
"""
    result = import_workload(text)
    assert "Cpu: its TargetValue is not a value; it is not mapped." in result.notes
    assert result.scenario["usage"] == {"kind": "always_on", "replicas": 2}
    assert any("no scaling policy the model can follow" in note for note in result.notes)
    assert Decimal(result.scenario["workload"]["vcpu"]) == Decimal("0.5")
