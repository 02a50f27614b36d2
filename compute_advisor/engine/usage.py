"""A scenario's usage turned into what billing needs: replicas over hours, or runs of a given length."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, Rounded, localcontext
from functools import cached_property

from compute_advisor.engine.money import ZERO
from compute_advisor.engine.scenario import (
    AlwaysOn,
    Autoscaling,
    Hourly,
    Scenario,
    Scheduled,
    TargetTracking,
)


@dataclass(frozen=True)
class Segment:
    """`replicas` running continuously for `hours` hours of the month."""

    replicas: int
    hours: Decimal


@dataclass(frozen=True)
class Runs:
    """Short runs: each of `count` runs a month starts `replicas` tasks for `seconds` seconds."""

    replicas: int
    count: Decimal
    seconds: Decimal
    days: Decimal = Decimal(30)  # the days a month with runs (count / days a day)

    @property
    def hours_active(self) -> Decimal:
        return self.count * self.seconds / 3600


@dataclass(frozen=True)
class UsagePlan:
    hours_per_month: Decimal
    segments: tuple[Segment, ...] = ()
    runs: Runs | None = None
    hourly_profile: tuple[int, ...] = ()
    # How many hours of the month each hour of the profile stands for (they add up to hours_per_month).
    profile_weights: tuple[Decimal, ...] = ()

    @property
    def peak_replicas(self) -> int:
        if self.runs is not None:
            return self.runs.replicas
        return max((s.replicas for s in self.segments), default=0)

    @property
    def replica_hours(self) -> Decimal:
        if self.runs is not None:
            return self.runs.replicas * self.runs.hours_active
        if self.hourly_profile:
            return self.hours_per_month * sum(self.hourly_profile) / len(self.hourly_profile)
        return sum((s.replicas * s.hours for s in self.segments), ZERO)

    @property
    def active_hours(self) -> Decimal:
        """Hours in the month with at least one replica running."""
        if self.runs is not None:
            return self.runs.hours_active
        return sum((s.hours for s in self.segments if s.replicas), ZERO)

    @cached_property
    def hour_counts(self) -> Counter[int]:
        """How many hours of the profile need each replica count (every option bills the same profile)."""
        return Counter(self.hourly_profile)

    @property
    def is_always_on(self) -> bool:
        return self.runs is None and len(self.segments) == 1 and self.segments[0].hours == self.hours_per_month


@dataclass(frozen=True)
class HourShares:
    """How a charge splits over the hours of a profile: in proportion to the units running at each hour's
    replica count times the hours of the month that profile hour stands for. Only the proportions matter, so
    nothing is multiplied out until a chart asks (`values`): the break-even sweep's many estimates do no
    per-hour work."""

    profile: tuple[int, ...]
    weights: tuple[Decimal, ...]
    running: Mapping[int, Decimal]  # units running (tasks, instances) for each replica count in the profile

    def values(self) -> list[Decimal]:
        return [self.running[r] * w for r, w in zip(self.profile, self.weights, strict=True)]


@dataclass(frozen=True)
class BilledHours:
    """Hours of something billed in a month (instance-hours, task-hours), and for an hourly profile how they
    fall over the profile's hours."""

    total: Decimal
    shares: HourShares | None = None

    def times(self, factor: Decimal) -> BilledHours:
        return BilledHours(self.total * factor, self.shares)


def billed_hours(plan: UsagePlan, running: Callable[[int], Decimal | int]) -> BilledHours:
    """The hours billed in a month when `running(replicas)` units (tasks, instances) run while the usage needs
    `replicas`: the one place continuous usage becomes billed hours, hour by hour of a profile.

    Scheduled runs are billed per run by each option (their minimums differ), not here.
    """
    assert plan.runs is None, "scheduled runs are billed per run"
    counted = {s.replicas: running(s.replicas) for s in plan.segments}
    units = {r: Decimal(n) for r, n in counted.items()}
    profile = plan.hourly_profile
    if not profile:
        return BilledHours(sum((units[s.replicas] * s.hours for s in plan.segments), ZERO))
    for r in set(profile) - set(units):
        counted[r] = running(r)
        units[r] = Decimal(counted[r])
    # One division, last: 1, 4 and 1 replicas for 8 hours each over 730 hours bill exactly 1,460 hours.
    if all(type(n) is int for n in counted.values()):
        # Whole units (tasks, instances): their sum over the profile's hours is the same whole number in any
        # order, so each count is added once per hour it stands for.
        running_hours = Decimal(sum(counted[r] * n for r, n in plan.hour_counts.items()))
    else:
        running_hours = profile_sum(units, plan)
    total = plan.hours_per_month * running_hours / len(profile)
    return BilledHours(total, HourShares(profile, plan.profile_weights, units))


def profile_sum(units: Mapping[int, Decimal], plan: UsagePlan) -> Decimal:
    """The sum of `units[r]` over the profile's hours, added hour by hour in order: the same Decimal as one
    multiplication per replica count whenever that is exact (no digit rounded away), which the context's
    flag tells. Why: with no negative term, every partial sum in any order lies between zero and the total
    and has at least the total's exponent, so when the total fits the context's precision at that exponent
    no partial sum rounds either, and both orders give the total at the smallest exponent of the terms."""
    values = [units[r] for r in plan.hour_counts]
    if all(value >= 0 for value in values):
        with localcontext() as context:
            context.flags[Rounded] = False
            total = sum((units[r] * n for r, n in plan.hour_counts.items()), ZERO)
            if not context.flags[Rounded]:
                return total
    return sum((units[r] for r in plan.hourly_profile), ZERO)


def hour_weights(length: int, hours_per_month: Decimal) -> list[Decimal]:
    """How many hours of the month each hour of a repeating profile stands for: `hours_per_month / length`
    each, so every hour of a day (or day of a week) weighs the same.

    A month is not a whole number of days or weeks: filling it with whole repeats and then the profile's
    first hours once more would weigh Monday to Wednesday of a weekly profile more than the rest, and bill
    a day of 1, 4 and 1 replicas (8 hours each) over 730 hours 1,456 task-hours instead of 1,460.
    """
    weight = hours_per_month / length
    return [weight] * length


def usage_plan(scenario: Scenario) -> UsagePlan:
    usage, hours = scenario.usage, scenario.hours_per_month
    if isinstance(usage, AlwaysOn):
        return UsagePlan(hours_per_month=hours, segments=(Segment(usage.replicas, hours),))
    if isinstance(usage, Scheduled):
        runs = Runs(
            replicas=usage.replicas,
            count=usage.runs_per_day * usage.days_per_month,
            seconds=usage.minutes_per_run * 60,
            days=usage.days_per_month,
        )
        return UsagePlan(hours_per_month=hours, runs=runs)
    assert isinstance(usage, Hourly)
    profile = usage.replicas_by_hour
    weights = hour_weights(len(profile), hours)
    # Each replica count's share of the month in one division, so a profile's hours add up to the month.
    counts = Counter(profile)
    segments = tuple(Segment(r, hours * n / len(profile)) for r, n in sorted(counts.items()))
    return UsagePlan(
        hours_per_month=hours, segments=segments, hourly_profile=tuple(profile), profile_weights=tuple(weights)
    )


def _count(value: Decimal | int, one: str, many: str | None = None) -> str:
    number = Decimal(value)
    text = f"{number.quantize(Decimal('0.01')).normalize():,f}"
    return f"{text} {one if number == 1 else (many or one + 's')}"


def usage_summary(scenario: Scenario, plan: UsagePlan) -> str:
    """The usage in words and numbers, as results and reports restate it (scheduled runs say their tasks)."""
    return usage_words(scenario.usage, plan)


def usage_words(usage: object, plan: UsagePlan) -> str:
    hours = plan.hours_per_month
    if isinstance(usage, Autoscaling):
        policy = usage.policy
        metric = {"cpu": "CPU", "memory": "memory", "requests_per_target": "requests per target"}[policy.metric]
        if isinstance(policy, TargetTracking):
            unit = "" if policy.metric == "requests_per_target" else "%"
            how = f"target tracking at {plain_number(policy.target)}{unit} {metric}"
        else:
            how = f"step scaling on {metric}"
        scheduled = (
            f", {len(usage.schedule)} scheduled action{'s' if len(usage.schedule) != 1 else ''}"
            if usage.schedule
            else ""
        )
        return (
            f"Service Auto Scaling between {usage.min_replicas} and {usage.max_replicas} replicas, {how}{scheduled}: "
            f"{_count(plan.replica_hours, 'replica-hour')} a month."
        )
    if isinstance(usage, Scheduled):
        task_hours = plan.replica_hours
        return (
            f"Scheduled runs: {_count(usage.runs_per_day, 'run')} a day of {_count(usage.minutes_per_run, 'minute')}, "
            f"{_count(usage.replicas, 'task')} a run, on {_count(usage.days_per_month, 'day')} a month: "
            f"{_count(task_hours, 'task-hour')} a month."
        )
    if isinstance(usage, Hourly):
        profile = usage.replicas_by_hour
        span = "a day" if len(profile) == 24 else "a week"
        return (
            f"Hourly profile over {span} ({min(profile)} to {max(profile)} replicas), each hour weighing "
            f"{_count(hours / len(profile), 'hour')} of the month's {_count(hours, 'hour')}: "
            f"{_count(plan.replica_hours, 'replica-hour')} a month."
        )
    assert isinstance(usage, AlwaysOn)
    return (
        f"Always on: {_count(usage.replicas, 'replica')} for {_count(hours, 'hour')} a month: "
        f"{_count(plan.replica_hours, 'replica-hour')} a month."
    )


def plain_number(value: Decimal) -> str:
    return format(value.normalize(), "f")
