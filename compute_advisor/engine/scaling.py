"""Service Auto Scaling, simulated hour by hour: the replicas a policy keeps for a demand, within the min and
max that scheduled actions put in force.

The model (docs/CONTRACT.md, "usage kind autoscaling"):
- Target tracking: desired = ceil(demand / (per-replica capacity x target / 100)), the capacity being a
  task's vCPU (cpu) or GiB (memory); for requests_per_target the target is requests per target per minute
  (ALBRequestCountPerTarget), so desired = ceil(requests a second x 60 / target).
- Step scaling: each hour starts from the previous hour's replicas (the first from the min in force). The
  metric at those replicas (percent of their vCPU or memory, or requests per target per minute) above a
  step's threshold adds the replicas of the largest such step; below `below` removes `remove`. With
  percent_change_in_capacity those are percents of the replicas running, rounded toward zero (a change
  between 0 and 1 is 1), and at least min_adjustment_magnitude. An hour is this model's smallest time: a
  cooldown shorter than an hour has no effect on it.
- Then the min and max in force that hour clamp the result. Scheduled actions set the min and/or max for
  the hours they cover, in UTC, from_hour included and to_hour excluded; a later action overrides an
  earlier one, and a min set above the max raises the max with it.
- A 24-hour demand repeats every day; a 168-hour one starts on Monday 00:00. A 24-hour demand with an action
  on some days only is simulated over the week it implies.

This module reads the scenario's declared objects through their attributes only, so the declaration can
check a usage with it without an import running back up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Protocol, cast

from compute_advisor.engine.money import ZERO, ceil_int

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS = frozenset(DAYS[:5])
WEEKENDS = frozenset(DAYS[5:])
HUNDRED = Decimal(100)


class StepLike(Protocol):
    @property
    def above(self) -> Decimal: ...
    @property
    def add(self) -> int: ...


class TargetPolicyLike(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def metric(self) -> str: ...
    @property
    def target(self) -> Decimal: ...


class StepPolicyLike(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def metric(self) -> str: ...
    @property
    def steps(self) -> Sequence[StepLike]: ...
    @property
    def below(self) -> Decimal | None: ...
    @property
    def remove(self) -> int: ...
    @property
    def adjustment(self) -> str: ...
    @property
    def min_adjustment_magnitude(self) -> int | None: ...


class ActionLike(Protocol):
    @property
    def days(self) -> str | Sequence[str]: ...
    @property
    def from_hour(self) -> int: ...
    @property
    def to_hour(self) -> int: ...
    @property
    def min_replicas(self) -> int | None: ...
    @property
    def max_replicas(self) -> int | None: ...


class AutoscalingLike(Protocol):
    """The declared autoscaling usage (engine.scenario.Autoscaling), as this module reads it."""

    @property
    def min_replicas(self) -> int: ...
    @property
    def max_replicas(self) -> int: ...
    @property
    def demand_by_hour(self) -> Sequence[Decimal]: ...
    @property
    def policy(self) -> TargetPolicyLike | StepPolicyLike: ...
    @property
    def schedule(self) -> Sequence[ActionLike]: ...


class WorkloadLike(Protocol):
    @property
    def vcpu(self) -> Decimal: ...
    @property
    def memory_gib(self) -> Decimal: ...


@dataclass(frozen=True)
class ScalingRun:
    """What the simulation found, one value per hour of the simulated profile (24 or 168 hours)."""

    demand_by_hour: tuple[Decimal, ...]
    replicas_by_hour: tuple[int, ...]
    min_by_hour: tuple[int, ...]
    max_by_hour: tuple[int, ...]
    metric: str
    # Hours whose demand the max in force cannot keep at the policy's level (the target, or the top step).
    hours_at_max_over_target: int
    # The average share of the replicas' vCPU the demand keeps busy (cpu metric only; None otherwise).
    cpu_utilization_percent: Decimal | None
    # What the policy held the metric to: the target (target tracking) or the top step's threshold (step), in
    # percent of the capacity, or requests per target per minute. The over-target hours are counted against it.
    level: Decimal = ZERO
    # One replica's capacity in the demand's unit (vCPU or GiB); None for requests, which have no such capacity.
    capacity_per_replica: Decimal | None = None

    @cached_property
    def utilization_percent_by_hour(self) -> tuple[Decimal | None, ...] | None:
        """Each hour, the share of the replicas' vCPU (cpu) or memory (memory) the demand keeps busy, by the
        rule the average CPU use is worked out by: demand beyond what they hold is not work they do, so at most
        100. None in an hour without replicas; None as a whole for requests per target (no capacity to fill).
        Worked out when asked (a chart, the JSON), not when a scenario is checked."""
        size = self.capacity_per_replica
        if size is None:
            return None
        return tuple(
            busy(d, r, size) * HUNDRED / (r * size) if r else None
            for d, r in zip(self.demand_by_hour, self.replicas_by_hour, strict=True)
        )

    @cached_property
    def capacity_at_level_by_hour(self) -> tuple[Decimal, ...]:
        """Each hour, the demand the replicas can serve with the metric at `level`, in the demand's unit:
        replicas x per-replica capacity x level / 100 (vCPU or GiB), or replicas x level / 60 (requests a
        second, the level being per minute). Demand above it is where the max in force holds scaling back;
        far below it, where the min does."""
        # The replicas multiply before anything divides: 3 x 1,000 / 60 is exactly 50 requests a second.
        size = self.capacity_per_replica
        if size is None:
            return tuple(r * self.level / 60 for r in self.replicas_by_hour)
        return tuple(r * size * self.level / HUNDRED for r in self.replicas_by_hour)

    @property
    def served_per_replica(self) -> Decimal:
        """The demand one replica serves with the metric at `level`, in the demand's unit."""
        if self.capacity_per_replica is None:
            return self.level / 60
        return self.capacity_per_replica * self.level / HUNDRED


def days_of(action: ActionLike) -> frozenset[str]:
    days = action.days
    if isinstance(days, str):
        return {"all": frozenset(DAYS), "weekdays": WEEKDAYS, "weekends": WEEKENDS}[days]
    return frozenset(days)


def profile_length(usage: AutoscalingLike) -> int:
    """24 when every hour of the day is alike each day; else the week."""
    if len(usage.demand_by_hour) == 168:
        return 168
    return 24 if all(days_of(action) == frozenset(DAYS) for action in usage.schedule) else 168


def bounds(usage: AutoscalingLike, hour: int, length: int) -> tuple[int, int]:
    """The min and max in force in `hour` of a profile of `length` hours."""
    low, high = usage.min_replicas, usage.max_replicas
    day = DAYS[hour // 24] if length == 168 else None
    for action in usage.schedule:
        covers_day = day is None or day in days_of(action)
        if covers_day and action.from_hour <= hour % 24 < action.to_hour:
            if action.min_replicas is not None:
                low = action.min_replicas
            if action.max_replicas is not None:
                high = action.max_replicas
    return low, max(high, low)


def capacity(metric: str, workload: WorkloadLike) -> Decimal:
    """One replica's capacity in the demand's unit: vCPU, GiB (requests have no such capacity)."""
    return workload.vcpu if metric == "cpu" else workload.memory_gib


def target_replicas(demand: Decimal, *, metric: str, target: Decimal, workload: WorkloadLike) -> int:
    if metric == "requests_per_target":
        return ceil_int(demand * 60 / target)
    return ceil_int(demand / (capacity(metric, workload) * target / HUNDRED))


def metric_at(demand: Decimal, replicas: int, *, metric: str, workload: WorkloadLike) -> Decimal | None:
    """The policy's metric with `replicas` serving `demand`: percent of their capacity, or requests per target
    per minute. None when no replica runs while there is demand (above every threshold)."""
    if replicas == 0:
        return None if demand > 0 else ZERO
    if metric == "requests_per_target":
        return demand * 60 / replicas
    return demand * HUNDRED / (replicas * capacity(metric, workload))


def adjustment_of(previous: int, amount: int, policy: StepPolicyLike) -> int:
    """The replicas a step adds or removes: `amount` itself, or `amount` percent of those running, rounded as
    Application Auto Scaling rounds a percent change (toward zero, but a change between 0 and 1 is 1), and at
    least the policy's minimum adjustment magnitude."""
    if policy.adjustment != "percent_change_in_capacity":
        return amount
    exact = Decimal(previous * amount) / HUNDRED
    change = 1 if 0 < exact < 1 else int(exact)
    return max(change, policy.min_adjustment_magnitude or 0)


def step_replicas(
    previous: int,
    demand: Decimal,
    *,
    policy: StepPolicyLike,
    workload: WorkloadLike,
) -> int:
    value = metric_at(demand, previous, metric=policy.metric, workload=workload)
    matching = [step for step in policy.steps if value is None or value > step.above]
    if matching:
        return previous + adjustment_of(previous, max(matching, key=lambda step: step.above).add, policy)
    if policy.below is not None and value is not None and value < policy.below:
        return max(previous - adjustment_of(previous, policy.remove, policy), 0)
    return previous


def simulate(usage: AutoscalingLike, workload: WorkloadLike) -> ScalingRun:
    length = profile_length(usage)
    demand = list(usage.demand_by_hour) * (length // len(usage.demand_by_hour))
    policy = usage.policy
    if usage.schedule:
        windows = [bounds(usage, h, length) for h in range(length)]
        lows, highs = tuple([low for low, _ in windows]), tuple([high for _, high in windows])
    else:
        windows = [(usage.min_replicas, usage.max_replicas)] * length
        lows, highs = (usage.min_replicas,) * length, (usage.max_replicas,) * length
    if policy.type == "target_tracking":
        tracking = cast(TargetPolicyLike, policy)
        replicas, over = _tracked(demand, windows, tracking, workload)
        level = tracking.target
    else:
        stepping = cast(StepPolicyLike, policy)
        level = max(step.above for step in stepping.steps)
        replicas, over = _stepped(demand, windows, stepping, workload, level=level)
    return ScalingRun(
        demand_by_hour=tuple(demand),
        replicas_by_hour=tuple(replicas),
        min_by_hour=lows,
        max_by_hour=highs,
        metric=policy.metric,
        hours_at_max_over_target=over,
        cpu_utilization_percent=_cpu_use(demand, replicas, workload) if policy.metric == "cpu" else None,
        level=level,
        capacity_per_replica=None if policy.metric == "requests_per_target" else capacity(policy.metric, workload),
    )


def _at_max_over(need: Decimal, count: int, high: int, *, level: Decimal, metric: str, workload: WorkloadLike) -> bool:
    """Whether an hour runs at the max in force with the metric above the policy's level."""
    if count != high:
        return False
    at = metric_at(need, count, metric=metric, workload=workload)
    return at is None or at > level


def _tracked(
    demand: list[Decimal], windows: list[tuple[int, int]], policy: TargetPolicyLike, workload: WorkloadLike
) -> tuple[list[int], int]:
    """Target tracking: an hour's replicas depend on its demand and the min and max in force alone, so each
    such hour is worked out once (a week's profile repeats its values)."""
    metric, target = policy.metric, policy.target

    def outcome(need: Decimal, low: int, high: int) -> tuple[int, bool]:
        count = min(max(target_replicas(need, metric=metric, target=target, workload=workload), low), high)
        return count, _at_max_over(need, count, high, level=target, metric=metric, workload=workload)

    if len(set(windows)) == 1:  # no scheduled action: the demand alone tells each hour
        low, high = windows[0]
        by_need = {need: outcome(need, low, high) for need in dict.fromkeys(demand)}
        by_hour = [by_need[need] for need in demand]
    else:
        hours = list(zip(demand, windows, strict=True))
        by_window = {hour: outcome(hour[0], *hour[1]) for hour in dict.fromkeys(hours)}
        by_hour = [by_window[hour] for hour in hours]
    return [count for count, _ in by_hour], sum(1 for _, over in by_hour if over)


def _stepped(
    demand: list[Decimal],
    windows: list[tuple[int, int]],
    policy: StepPolicyLike,
    workload: WorkloadLike,
    *,
    level: Decimal,
) -> tuple[list[int], int]:
    """Step scaling: each hour starts from the previous hour's replicas (the first from the min in force);
    `level` is the top step's threshold, which the over-target hours are counted against."""
    replicas: list[int] = []
    over = 0
    previous: int | None = None
    for need, (low, high) in zip(demand, windows, strict=True):
        wanted = step_replicas(low if previous is None else previous, need, policy=policy, workload=workload)
        count = min(max(wanted, low), high)
        over += _at_max_over(need, count, high, level=level, metric=policy.metric, workload=workload)
        replicas.append(count)
        previous = count
    return replicas, over


def _cpu_use(demand: Sequence[Decimal], replicas: Sequence[int], workload: WorkloadLike) -> Decimal | None:
    """The replicas' average CPU use over the profile, weighted by the vCPU they hold each hour (demand beyond
    what they hold is not work they do)."""
    vcpu = workload.vcpu
    holding = {r: r * vcpu for r in set(replicas)}  # each hour's sum in the same order, each product once
    held_by_hour = [holding[r] for r in replicas]
    held = sum(held_by_hour, ZERO)
    if not held:
        return None
    work = sum(map(min, demand, held_by_hour), ZERO)  # each hour's busy(): all the demand, or all they hold
    return work * HUNDRED / held


def busy(demand: Decimal, replicas: int, size: Decimal) -> Decimal:
    """What `replicas` of `size` each do of `demand`: all of it, or all they hold."""
    return min(demand, replicas * size)
