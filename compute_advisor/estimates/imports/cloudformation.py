"""CloudFormation templates, JSON or YAML, and what the CDK synthesises (the same format): each AWS::ECS::Service
becomes a service of its task definition's size, with an `autoscaling` usage when an
AWS::ApplicationAutoScaling::ScalableTarget names it.

Intrinsic functions are not evaluated; they are only followed where a value can be found without deploying:
`Ref` to a parameter reads its Default (and says so), and a ScalableTarget's ResourceId built with Fn::Join,
Fn::Sub, Fn::GetAtt or Ref is matched to the service it names.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from compute_advisor.engine.money import plain
from compute_advisor.estimates.imports.common import (
    Imported,
    ImportProblem,
    camel_keys,
    decimal,
    items,
    listed,
    mapping,
    service_name,
    services_imported,
    whole,
)
from compute_advisor.estimates.imports.scaling import (
    ALARM_METRICS,
    PREDEFINED_METRICS,
    Action,
    scaling_usage,
)
from compute_advisor.estimates.imports.task_definitions import task_definition

SERVICE = "AWS::ECS::Service"
TASK_DEFINITION = "AWS::ECS::TaskDefinition"
TARGET = "AWS::ApplicationAutoScaling::ScalableTarget"
POLICY = "AWS::ApplicationAutoScaling::ScalingPolicy"
ALARM = "AWS::CloudWatch::Alarm"
_UNKNOWN = object()


class _Template:
    """A template's resources and parameters, and what reading them found to say."""

    def __init__(self, template: dict[str, Any]) -> None:
        resources: dict[str, Any] = template.get("Resources") or {}
        self.resources = {k: v for k, v in resources.items() if isinstance(v, dict)}
        parameters: dict[str, Any] = template["Parameters"] if isinstance(template.get("Parameters"), dict) else {}
        self.defaults = {k: v.get("Default") for k, v in parameters.items() if isinstance(v, dict)}
        self.read_defaults: dict[str, Any] = {}
        self.notes: list[str] = []
        self.used: set[str] = set()  # logical ids priced or read for pricing

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {k: mapping(v.get("Properties")) for k, v in self.resources.items() if v.get("Type") == kind}

    def value(self, raw: Any) -> Any:
        """A literal, or a parameter's Default through Ref; _UNKNOWN for what only a deployment knows."""
        if isinstance(raw, dict):
            ref = raw.get("Ref")
            if len(raw) == 1 and isinstance(ref, str) and ref in self.defaults and self.defaults[ref] is not None:
                self.read_defaults[ref] = self.defaults[ref]
                return self.defaults[ref]
            return _UNKNOWN
        return raw

    def service_named(self, raw: Any, services: dict[str, dict[str, Any]]) -> str | None:
        """The logical id of the service a ResourceId ("service/<cluster>/<service name>") names."""
        for reference in _references(raw):
            if reference in services:
                return reference
        text = self.value(raw)
        if isinstance(text, str) and text.startswith("service/"):
            name = text.rsplit("/", 1)[-1]
            for logical, properties in services.items():
                if name in (logical, self.value(properties.get("ServiceName"))):
                    return logical
        return None


def _references(raw: Any) -> list[str]:
    """The logical ids a value refers to through Ref, Fn::GetAtt or ${...} in Fn::Sub, in order."""
    found: list[str] = []
    if isinstance(raw, dict):
        for key, inner in raw.items():
            if key == "Ref" and isinstance(inner, str):
                found.append(inner)
            elif key == "Fn::GetAtt":
                target = inner[0] if isinstance(inner, list) and inner else inner
                if isinstance(target, str):
                    found.append(target.split(".", 1)[0])
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) and inner else inner
                if isinstance(text, str):
                    found += [m.split(".", 1)[0] for m in re.findall(r"\$\{([^}!]+)\}", text)]
            else:
                found += _references(inner)
    elif isinstance(raw, list):
        for item in raw:
            found += _references(item)
    return found


def cloudformation(template: dict[str, Any]) -> Imported:
    """Each AWS::ECS::Service becomes a service of its task definition's size, scaling as its ScalableTarget
    and policies say; without any service, each task definition alone."""
    doc = _Template(template)
    definitions = doc.of_type(TASK_DEFINITION)
    if not definitions:
        raise ImportProblem("The template has no AWS::ECS::TaskDefinition resource to size from.")
    ecs_services = doc.of_type(SERVICE)
    services: list[dict[str, Any]] = []
    for name, properties in ecs_services.items():
        ref = properties.get("TaskDefinition")
        target = ref.get("Ref") if isinstance(ref, dict) else ref
        if target not in definitions:
            doc.notes.append(f"{name}: its task definition is not a resource of this template; it is left out.")
            continue
        doc.used |= {name, str(target)}
        sized = task_definition(camel_keys(definitions[str(target)]), of_a_service=True)
        doc.notes += [f"{name}: {note}" for note in sized.notes]
        workload = sized.scenario["workload"]
        desired_raw = doc.value(properties.get("DesiredCount", _UNKNOWN))
        desired = None if desired_raw is _UNKNOWN else whole(desired_raw, f"{name} DesiredCount")
        label = doc.value(properties.get("ServiceName"))
        service = {
            "name": service_name(str(label) if isinstance(label, str | int) else name),
            "workload": workload,
            "usage": _usage(doc, name, ecs_services, desired=desired, workload=workload),
        }
        services.append(service)
    if not services:
        for name, properties in definitions.items():
            sized = task_definition(camel_keys(properties), of_a_service=True)
            doc.notes += [f"{name}: {note}" for note in sized.notes]
            usage = {"kind": "always_on", "replicas": 1}
            services.append({"name": service_name(name), "workload": sized.scenario["workload"], "usage": usage})
            doc.used.add(name)
    for name, properties in doc.of_type(TARGET).items():
        if name not in doc.used:
            dimension = doc.value(properties.get("ScalableDimension"))
            doc.notes.append(
                f"{name}: it scales {dimension if isinstance(dimension, str) else 'something'} that "
                "is not an ECS service of this template; it is not read."
            )
            doc.used.add(name)
    if doc.read_defaults:
        read = ", ".join(f"{k}={v}" for k, v in doc.read_defaults.items())
        doc.notes.append(f"Parameters read at their Default: {read}.")
    ignored = {str(r.get("Type")) for k, r in doc.resources.items() if k not in doc.used} - {SERVICE, TASK_DEFINITION}
    if ignored:
        doc.notes.append(f"Not priced from the template: {listed(ignored)}.")
    return services_imported(services, doc.notes)


def _capacity(doc: _Template, properties: dict[str, Any], key: str, where: str) -> int | None:
    raw = doc.value(properties.get(key, _UNKNOWN))
    if raw is _UNKNOWN:
        doc.notes.append(f"{where}: its {key} is not a value or a parameter's Default.")
        return None
    return whole(raw, f"{where} {key}")


def _usage(
    doc: _Template, name: str, ecs_services: dict[str, dict[str, Any]], *, desired: int | None, workload: dict[str, Any]
) -> dict[str, Any]:
    """Always on at DesiredCount, or autoscaling as the service's ScalableTarget and policies say."""
    always_on = {"kind": "always_on", "replicas": max(desired if desired is not None else 1, 1)}
    targets = {
        k: p for k, p in doc.of_type(TARGET).items() if doc.service_named(p.get("ResourceId"), ecs_services) == name
    }
    if not targets:
        return always_on
    target_name, target = next(iter(targets.items()))
    doc.used |= set(targets)
    if len(targets) > 1:
        doc.notes.append(f"{name}: it has {len(targets)} scalable targets; only {target_name} is read.")
    low = _capacity(doc, target, "MinCapacity", target_name)
    high = _capacity(doc, target, "MaxCapacity", target_name)
    if low is None or high is None or high < 1 or low > high:
        doc.notes.append(f"{name}: its scaling bounds cannot be read; it is priced always on at its desired count.")
        return always_on
    policy = _policy(doc, name, target_name, ecs_services)
    actions = [_action(doc, a) for a in items(target.get("ScheduledActions")) if isinstance(a, dict)]
    usage, notes = scaling_usage(
        name, low=low, high=high, desired=desired, policy=policy, actions=actions, workload=workload
    )
    doc.notes += notes
    return usage


def _action(doc: _Template, raw: dict[str, Any]) -> Action:
    bounds = mapping(raw.get("ScalableTargetAction"))
    low, high = doc.value(bounds.get("MinCapacity")), doc.value(bounds.get("MaxCapacity"))
    where = f"scheduled action {str(raw.get('ScheduledActionName'))[:60]}"
    return Action(
        name=str(doc.value(raw.get("ScheduledActionName")))[:60],
        schedule=str(doc.value(raw.get("Schedule")))[:200],
        min_replicas=None if low in (None, _UNKNOWN) else whole(low, f"{where} MinCapacity"),
        max_replicas=None if high in (None, _UNKNOWN) else whole(high, f"{where} MaxCapacity"),
        timezone=str(doc.value(raw.get("Timezone"))) if raw.get("Timezone") else None,
    )


def _policy(
    doc: _Template, name: str, target_name: str, ecs_services: dict[str, dict[str, Any]]
) -> dict[str, Any] | None:
    """The one policy the model follows: the first target tracking one it can read, else the service's step
    policies (scale out and scale in) joined into one."""
    policies = {
        k: p
        for k, p in doc.of_type(POLICY).items()
        if target_name in _references(p.get("ScalingTargetId"))
        or doc.service_named(p.get("ResourceId"), ecs_services) == name
    }
    doc.used |= set(policies)
    tracking: list[tuple[str, dict[str, Any]]] = []
    out_steps: list[dict[str, Any]] = []
    scale_in: dict[str, Any] | None = None
    step_metric: str | None = None
    for policy_name, properties in policies.items():
        kind = doc.value(properties.get("PolicyType"))
        if kind == "TargetTrackingScaling":
            read = _target_tracking(
                doc, policy_name, mapping(properties.get("TargetTrackingScalingPolicyConfiguration"))
            )
            if read:
                tracking.append((policy_name, read))
        elif kind in ("StepScaling", _UNKNOWN, None) and properties.get("StepScalingPolicyConfiguration"):
            for metric, steps, inward in _step(doc, policy_name, mapping(properties["StepScalingPolicyConfiguration"])):
                if step_metric not in (None, metric):
                    doc.notes.append(f"{policy_name}: it watches another metric than {name}'s other step policy.")
                    continue
                step_metric = metric
                out_steps += steps
                scale_in = inward or scale_in
        else:
            doc.notes.append(f"{policy_name}: a {kind} policy is not mapped.")
    if tracking:
        chosen_name, chosen = tracking[0]
        if len(tracking) > 1 or out_steps:
            doc.notes.append(
                f"{name}: AWS scales to the highest of its policies; the model follows one, {chosen_name} "
                f"({chosen['metric']} at {chosen['target']})."
            )
        return chosen
    if not out_steps or step_metric is None:
        return None
    by_threshold = {step["above"]: step for step in out_steps}  # one step per threshold
    policy: dict[str, Any] = {"type": "step", "metric": step_metric, "steps": list(by_threshold.values())[:20]}
    if scale_in and Decimal(scale_in["below"]) < min(Decimal(a) for a in by_threshold):
        policy |= scale_in
    return policy


def _target_tracking(doc: _Template, name: str, config: dict[str, Any]) -> dict[str, Any] | None:
    kind = doc.value(mapping(config.get("PredefinedMetricSpecification")).get("PredefinedMetricType"))
    metric = PREDEFINED_METRICS.get(kind) if isinstance(kind, str) else None
    if metric is None:
        shown = kind if isinstance(kind, str) else "a customized metric"
        doc.notes.append(f"{name}: it tracks {shown}, which the model cannot follow; it is not mapped.")
        return None
    target = doc.value(config.get("TargetValue"))
    if target is _UNKNOWN or target is None:
        doc.notes.append(f"{name}: its TargetValue is not a value; it is not mapped.")
        return None
    return {"type": "target_tracking", "metric": metric, "target": plain(decimal(target, f"{name} TargetValue"))}


def _step(
    doc: _Template, name: str, config: dict[str, Any]
) -> list[tuple[str, list[dict[str, Any]], dict[str, Any] | None]]:
    """A step policy read through the alarms that run it: the thresholds are the alarm's Threshold plus each
    step's interval bound."""
    if doc.value(config.get("AdjustmentType")) not in ("ChangeInCapacity", None):
        doc.notes.append(f"{name}: only ChangeInCapacity steps are mapped, not {config.get('AdjustmentType')}.")
        return []
    alarms = {k: p for k, p in doc.of_type(ALARM).items() if name in _references(p.get("AlarmActions"))}
    if not alarms:
        doc.notes.append(f"{name}: no alarm of this template runs it; it is not mapped.")
        return []
    read = []
    for alarm_name, alarm in alarms.items():
        metric_name = doc.value(alarm.get("MetricName"))
        metric = ALARM_METRICS.get(metric_name) if isinstance(metric_name, str) else None
        threshold = doc.value(alarm.get("Threshold"))
        if metric is None or threshold in (_UNKNOWN, None):
            shown = metric_name if isinstance(metric_name, str) else "a metric math expression"
            doc.notes.append(f"{name}: its alarm {alarm_name} watches {shown}, which the model cannot follow.")
            continue
        doc.used.add(alarm_name)
        level = _bound(doc, threshold, f"{alarm_name} Threshold")
        if metric == "requests_per_target":
            # The alarm sums requests over its Period; the model's threshold is requests per target per minute.
            period = decimal(doc.value(alarm.get("Period")) or 60, f"{alarm_name} Period")
            level = level * 60 / period
        upward = "Greater" in str(doc.value(alarm.get("ComparisonOperator")))
        steps: list[dict[str, Any]] = []
        inward: dict[str, Any] | None = None
        for adjustment in items(config.get("StepAdjustments")):
            if not isinstance(adjustment, dict):
                continue
            raw_change = doc.value(adjustment.get("ScalingAdjustment"))
            try:
                change = int(str(raw_change))
            except ValueError:
                raise ImportProblem(
                    f"{name}: ScalingAdjustment {str(raw_change)[:40]!r} is not a whole number."
                ) from None
            lower = adjustment.get("MetricIntervalLowerBound")
            upper = adjustment.get("MetricIntervalUpperBound")
            if upward and change > 0:
                steps.append(
                    {
                        "above": plain(level + _bound(doc, lower, f"{name} MetricIntervalLowerBound")),
                        "add": min(change, 5000),
                    }
                )
            elif not upward and change < 0 and inward is None:
                inward = {
                    "below": plain(max(level + _bound(doc, upper, f"{name} MetricIntervalUpperBound"), Decimal(0))),
                    "remove": -change,
                }
        read.append((metric, steps, inward))
    return read


def _bound(doc: _Template, raw: Any, what: str) -> Decimal:
    """A threshold or a step's interval bound (0 when absent): any finite number, negative ones too."""
    value = doc.value(raw)
    if value is None:
        return Decimal(0)
    try:
        number = Decimal(str(value).strip()[:40])
    except InvalidOperation:
        raise ImportProblem(f"{what} {str(value)[:40]!r} is not a number.") from None
    if not number.is_finite() or abs(number.adjusted()) > 12:
        raise ImportProblem(f"{what} {str(value)[:40]!r} is not a threshold a metric can have.")
    return number
