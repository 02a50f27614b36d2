"""What a machine can really sustain: CPU over time on burstable capacity, memory left for containers, and
the spread of a service over Availability Zones.

Sustained CPU. A replica keeps `workload.cpu_utilization_percent` of its vCPU busy on average (50 unless the
scenario says otherwise), so a machine's use is the sum over its tasks of vCPU x utilisation. A burstable
machine sustains its baseline: AWS's published baseline per vCPU times its vCPUs (EC2 User Guide, "Key
concepts for burstable performance instances", for T2, T3, T3a and T4g; Lightsail's per bundle).
- Standard mode (T2's default) and Lightsail cannot buy more: a configuration whose use is above its baseline
  does not fit.
- Unlimited mode (the default of T3, T3a and T4g) runs above the baseline, and AWS charges the surplus per
  vCPU-hour when the instance's average over 24 hours is above it: credits earned in quiet hours pay for
  busy ones. The engine follows that rule a day at a time. Over each day (a 24-hour profile is one day, a
  168-hour profile seven; always-on usage is the same every hour), each instance's use above its baseline,
  less what it stayed below the baseline in the hours it ran that day, is the surplus billed. The hour's
  tasks are spread evenly over the hour's instances, as ECS spreads a service's tasks.

Availability Zones. A service of two or more replicas runs on at least min(`resilience.min_zones`,
replicas) instances, each in its own zone, where the option runs instances (ECS on EC2, a load-balanced
Beanstalk environment, Lightsail instances). Scheduled runs are tasks, not a service, and are not spread.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from compute_advisor.engine.money import ZERO
from compute_advisor.engine.reference import BurstableSpec, InstanceType
from compute_advisor.engine.result import OptionResult
from compute_advisor.engine.scenario import MAX_REPLICAS, Scenario, Workload
from compute_advisor.engine.usage import BilledHours, HourShares, UsagePlan

HUNDRED = Decimal(100)
DAY = 24


@dataclass(frozen=True)
class Burst:
    """How much CPU a burstable machine sustains, and whether it can run above that for a charge."""

    baseline_vcpu: Decimal
    unlimited: bool
    family: str = ""  # the EC2 family whose surplus credit price applies (unlimited mode)
    baseline_percent: Decimal = ZERO  # per vCPU, as AWS publishes it

    def sustains(self, use: Decimal) -> bool:
        return self.unlimited or use <= self.baseline_vcpu


def replica_use(workload: Workload) -> Decimal:
    """The vCPU one replica keeps busy on average."""
    return workload.vcpu * workload.cpu_utilization_percent / HUNDRED


def instance_burst(instance: InstanceType, specs: dict[str, BurstableSpec]) -> Burst | None:
    """The burst rules of a T-family instance type, None for a type that sustains all its vCPUs."""
    spec = specs.get(instance.name)
    if spec is None:
        return None
    return Burst(
        baseline_vcpu=spec.baseline_percent_per_vcpu * spec.vcpu / HUNDRED,
        unlimited=spec.default_mode == "unlimited",
        family=spec.family,
        baseline_percent=spec.baseline_percent_per_vcpu,
    )


def count_within(capacity: Decimal, need: Decimal, *, most: int = MAX_REPLICAS) -> int:
    """How many `need`s fit in `capacity`, never more than `most` (no machine holds more replicas than a
    scenario can ask for), so a tiny need cannot make a count of a thousand digits."""
    if need <= 0 or capacity >= need * most:
        return most
    return int((capacity / need).to_integral_value(rounding=ROUND_FLOOR))


def tasks_within_baseline(burst: Burst | None, use: Decimal) -> int | None:
    """How many tasks a machine that cannot run above its baseline sustains; None when there is no such bound."""
    if burst is None or burst.unlimited or use <= 0:
        return None
    return count_within(burst.baseline_vcpu, use)


def zones_for(scenario: Scenario, replicas: int, *, spreads: bool = True) -> int:
    """The fewest machines `replicas` of a service must run on to span the zones asked for."""
    if not spreads or replicas < 2:
        return 1
    return min(scenario.resilience.min_zones, replicas)


def machines_for(tasks: int, per_machine: int, *, zones: int = 1) -> int:
    """Machines for `tasks` at most `per_machine` each, on at least `zones` machines (when there are tasks)."""
    if tasks <= 0:
        return 0
    return max(-(-tasks // per_machine), min(zones, tasks))


def even_split(tasks: int, machines: int) -> list[int]:
    """The tasks on each machine when `tasks` are spread evenly over `machines`, fullest first."""
    if machines <= 0:
        return []
    each, extra = divmod(tasks, machines)
    return [each + 1] * extra + [each] * (machines - extra)


def _above(tasks: int, machines: int, use: Decimal, baseline: Decimal) -> Decimal:
    """vCPU an hour above the baseline, summed over `machines` sharing `tasks` evenly (see even_split)."""
    if machines <= 0:
        return ZERO
    each, extra = divmod(tasks, machines)
    fuller = max((each + 1) * use - baseline, ZERO) * extra
    return fuller + max(each * use - baseline, ZERO) * (machines - extra)


def surplus_vcpu_hours(
    plan: UsagePlan, *, machines: Callable[[int], int], use: Decimal, burst: Burst, run_hours: Decimal | None = None
) -> BilledHours:
    """The surplus vCPU-hours a month of unlimited-mode instances running the plan's tasks (see the module).

    `machines(replicas)`: instances running for that many replicas. For scheduled runs, `run_hours` is how
    long each instance of a run lives (it stops after the run, and a stopped instance settles its surplus).
    """
    baseline = burst.baseline_vcpu
    if plan.runs is not None:
        assert run_hours is not None
        runs = plan.runs
        return BilledHours(runs.count * run_hours * _above(runs.replicas, machines(runs.replicas), use, baseline))
    profile = plan.hourly_profile
    if not profile:
        return BilledHours(
            sum(
                (s.hours * _above(s.replicas, machines(s.replicas), use, baseline) for s in plan.segments),
                ZERO,
            )
        )
    # Each hour's split, as (machines, tasks on each, how many machines hold one more).
    split = {r: (n := machines(r), *divmod(r, n)) if r else (0, 0, 0) for r in set(profile)}
    net = ZERO
    for start in range(0, len(profile), DAY):
        day = profile[start : start + DAY]
        # Instances k and k + 1 have the same day unless an hour's machine count or its split falls between
        # them: one instance of each run of alike ones stands for the run.
        edges = sorted({0} | {split[r][0] for r in day} | {split[r][2] for r in day})
        for first, end in itertools.pairwise(edges):
            balance = ZERO  # instance `first`'s day: its use against its baseline in the hours it runs
            for r in day:
                count, each, extra = split[r]
                if first < count:
                    balance += (each + (first < extra)) * use - baseline
            net += max(balance, ZERO) * (end - first)
    total = plan.hours_per_month * net / len(profile)
    gross = {r: _above(r, split[r][0], use, baseline) for r in set(profile)}
    return BilledHours(total, HourShares(profile, plan.profile_weights, gross) if any(gross.values()) else None)


def zone_spread(
    result: OptionResult, scenario: Scenario, *, replicas: int, machines: int, spreads: bool = True, noun: str
) -> None:
    """Say in the configuration how many zones the service spans, and warn when one machine runs it all."""
    zones = scenario.resilience.min_zones
    result.configuration["availability_zones"] = min(machines, zones) if spreads else 1
    if zones >= 2 and machines == 1:
        result.warnings.append(
            f"One {noun} runs {'the service' if spreads else 'each run'} in one Availability Zone: no zone "
            f"redundancy (resilience.min_zones is {zones}; it applies from 2 replicas)."
        )
