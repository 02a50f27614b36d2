"""What both kinds of chart share: the categories' names and colours, and option names broken in two."""

from __future__ import annotations

from dataclasses import dataclass

from compute_advisor.engine.money import plain
from compute_advisor.engine.result import ServiceUsage
from compute_advisor.engine.scaling import ScalingRun

CATEGORY_LABELS = {
    "compute": "Compute",
    "storage": "Storage",
    "load_balancer": "Load balancer",
    "transfer": "Data transfer",
    "other": "Other (IPs, fees)",
}
COLORS = {
    "compute": "#0b5fff",
    "storage": "#7a5af8",
    "load_balancer": "#f79009",
    "transfer": "#12b76a",
    "other": "#98a2b3",
}


def two_lines(label: str) -> str:
    """Break a long option name near its middle so that bar labels need not be tilted."""
    words = label.split()
    if len(words) < 3:
        return label
    half = len(label) / 2
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - half))
    return " ".join(words[:best]) + "<br>" + " ".join(words[best:])


REPLICAS_COLOR = "#0b5fff"
DEMAND_COLOR = "#12b76a"
BOUND_COLOR = "#667085"
METRIC_WORDS = {"cpu": "CPU", "memory": "memory", "requests_per_target": "requests per target a minute"}


@dataclass(frozen=True)
class ScalingFrame:
    """How a demand-against-replicas chart is framed, alike on the page and in the PDF. The demand axis is the
    replicas axis times what one replica serves at the policy's target, so the replicas' step line also reads,
    against the demand axis, as the capacity they give at the target: where demand runs under it, scaling
    follows; above it, the max holds scaling back; far below it, the min keeps replicas idle."""

    replicas_top: float  # the top of the replicas axis
    per_replica: float  # demand one replica serves at the target (0 when there is no such figure)
    show_min: bool  # the min or max in force changes over the hours (scheduled actions): draw it
    show_max: bool

    @property
    def demand_top(self) -> float:
        return self.replicas_top * self.per_replica


def scaling_frame(run: ScalingRun) -> ScalingFrame:
    per_replica = float(run.served_per_replica)
    show_min, show_max = len(set(run.min_by_hour)) > 1, len(set(run.max_by_hour)) > 1
    tops = [float(max(run.replicas_by_hour)), 1.0]
    tops += [float(max(run.min_by_hour))] if show_min else []
    tops += [float(max(run.max_by_hour))] if show_max else []
    if per_replica > 0:
        tops.append(float(max(run.demand_by_hour)) / per_replica)
    return ScalingFrame(replicas_top=max(tops) * 1.12, per_replica=per_replica, show_min=show_min, show_max=show_max)


def replica_step(top: float) -> int:
    """A whole-replica tick interval giving about five ticks up to `top`."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 6:
            return step
    return 2000


def policy_words(usage: ServiceUsage) -> str:
    """`target tracking at 60 % CPU`, `step scaling on memory`: how the replicas were chosen."""
    run = usage.scaling
    assert run is not None
    metric = METRIC_WORDS[run.metric]
    if usage.policy == "step":
        unit = "" if run.metric == "requests_per_target" else " %"
        return f"step scaling on {metric} (top step above {plain(run.level, places=2)}{unit})"
    if run.metric == "requests_per_target":
        return f"target tracking at {plain(run.level, places=2)} requests per target a minute"
    return f"target tracking at {plain(run.level, places=2)} % {metric}"


def capacity_label(usage: ServiceUsage) -> str:
    """What the replicas' line means against the demand axis."""
    run = usage.scaling
    assert run is not None
    at = "the top step" if usage.policy == "step" else "the target"
    return f"capacity at {at} ({plain(run.served_per_replica, places=4)} {usage.demand_unit} a replica)"
