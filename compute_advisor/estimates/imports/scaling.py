"""Service Auto Scaling as templates and Terraform declare it, turned into the scenario's `autoscaling` usage:
the policy's metric and target, the scheduled actions' hours, and the demand a file cannot say.

A file gives the policy but never the load it answers, so each service imported with a policy gets a flat
demand profile at what its desired count carries at the policy's level, and a note that the user must replace
it (from CloudWatch metrics: `imports.metrics`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from compute_advisor.engine.money import plain
from compute_advisor.engine.scaling import DAYS, WEEKDAYS, WEEKENDS

# Application Auto Scaling's predefined metrics for an ECS service, and the CloudWatch metrics (AWS/ECS,
# AWS/ApplicationELB) a step policy's alarm may watch, as the scenario's metrics.
PREDEFINED_METRICS = {
    "ECSServiceAverageCPUUtilization": "cpu",
    "ECSServiceAverageMemoryUtilization": "memory",
    "ALBRequestCountPerTarget": "requests_per_target",
}
ALARM_METRICS = {"CPUUtilization": "cpu", "MemoryUtilization": "memory", "RequestCountPerTarget": "requests_per_target"}
HUNDRED = Decimal(100)
# AWS cron numbers the days 1 (SUN) to 7 (SAT) (Application Auto Scaling User Guide, "Scheduled scaling",
# cron expressions as EventBridge reads them).
_CRON_DAYS = {"SUN": "sunday", "MON": "monday", "TUE": "tuesday", "WED": "wednesday", "THU": "thursday"}
_CRON_DAYS |= {"FRI": "friday", "SAT": "saturday"}
_CRON_NUMBERS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
_CRON = re.compile(r"^cron\(\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(\S+))?\s*\)$", re.IGNORECASE)


def placeholder_demand(policy: dict[str, Any], *, replicas: int, workload: dict[str, Any]) -> list[str]:
    """24 equal hours of the demand `replicas` carry at the policy's level: the target for target tracking, or
    midway between the scale-in threshold and the lowest scale-out one for step scaling."""
    metric = policy["metric"]
    if policy["type"] == "target_tracking":
        level = Decimal(policy["target"])
    else:
        lowest = min(Decimal(step["above"]) for step in policy["steps"])
        below = policy.get("below")
        level = (Decimal(below) + lowest) / 2 if below is not None else lowest / 2
    if metric == "requests_per_target":
        demand = replicas * level / 60  # the target is requests per target per minute; demand is per second
    else:
        capacity = Decimal(workload["vcpu"] if metric == "cpu" else workload["memory_gib"])
        demand = replicas * capacity * level / HUNDRED
    # Rounded down, so that the placeholder never asks for one replica more than `replicas`.
    return [plain(demand.quantize(Decimal("0.0001"), rounding=ROUND_DOWN))] * 24


@dataclass(frozen=True)
class Action:
    """A scheduled action as a file declares it."""

    name: str
    schedule: str
    min_replicas: int | None
    max_replicas: int | None
    timezone: str | None = None


def _days(field: str, day_of_month: str) -> frozenset[str] | None:
    field = field.upper()
    if field in ("*", "?"):
        return frozenset(DAYS) if day_of_month in ("*", "?") else None
    if day_of_month not in ("*", "?"):
        return None
    days: set[str] = set()
    for part in field.split(","):
        ends = part.split("-")
        if len(ends) > 2:
            return None
        try:
            indexes = [_CRON_NUMBERS.index(_CRON_DAYS[e]) if e in _CRON_DAYS else int(e) - 1 for e in ends]
        except (KeyError, ValueError):
            return None
        if not all(0 <= i < 7 for i in indexes):
            return None
        first, last = indexes[0], indexes[-1]
        span = range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)]
        days |= {_CRON_NUMBERS[i] for i in span}
    return frozenset(days)


def _hour(minutes: str, hours: str) -> tuple[int, bool] | None:
    """The hour a cron expression fires at, and whether its minutes were rounded away; None when it fires at
    more than one hour."""
    if not (minutes.isdigit() and hours.isdigit()):
        return None
    hour, minute = int(hours), int(minutes)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return hour, minute != 0


def _days_field(days: frozenset[str]) -> str | list[str]:
    if days == frozenset(DAYS):
        return "all"
    if days == WEEKDAYS:
        return "weekdays"
    if days == WEEKENDS:
        return "weekends"
    return [day for day in DAYS if day in days]


def _when(action: Action) -> tuple[int, bool, frozenset[str]] | None:
    """The hour an action fires at, whether its minutes were rounded away, and its days; None for what fires at
    other times than once a day at one hour on named days of every month."""
    match = _CRON.match(action.schedule.strip())
    if not match:
        return None
    minutes, hours, day_of_month, month, day_of_week, year = match.groups()
    hour = _hour(minutes, hours)
    days = _days(day_of_week, day_of_month)
    if hour is None or not days or month not in ("*", "?") or (year or "*") not in ("*", "?"):
        return None
    return hour[0], hour[1], days


def schedule_from_actions(actions: list[Action], *, where: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The scenario's schedule entries for actions that fire once a day at one hour on named days, and a note
    for each action that could not be mapped.

    An action's min and max stay in force until the next action runs (AWS's rule), so the actions on the same
    days make windows: each from its hour to the next one's, the last one's from its hour to midnight and from
    midnight to the first one's hour."""
    notes: list[str] = []
    groups: dict[frozenset[str], dict[int, Action]] = {}
    for action in actions:
        when = _when(action)
        if when is None:
            notes.append(
                f"{where}: the scheduled action {action.name!r} ({action.schedule[:60]}) is not mapped: only "
                "cron expressions at one hour on named days of every month are (at() and rate() are not)."
            )
            continue
        hour, rounded, days = when
        if rounded:
            notes.append(f"{where}: {action.name!r} runs at {hour:02d}:00 here, an hour being the model's least time.")
        if action.timezone and action.timezone.upper() not in ("UTC", "ETC/UTC"):
            notes.append(f"{where}: {action.name!r} is in {action.timezone}; its hours are read as UTC.")
        groups.setdefault(days, {})[hour] = action
    entries: list[dict[str, Any]] = []
    for days, by_hour in groups.items():
        entries += _windows(days, by_hour)
        if days != frozenset(DAYS):
            notes.append(
                f"{where}: on the days its actions do not name, the target's own min and max apply (AWS would keep "
                "the last action's values until the next one runs)."
            )
    if len(groups) > 1:
        notes.append(f"{where}: actions on different days are mapped one group of days at a time.")
    if any(entry.get("max_replicas") == 0 for entry in entries):
        notes.append(f"{where}: a max of 0 is priced as a max of 1 (the model keeps at least one replica possible).")
        for entry in entries:
            if entry.get("max_replicas") == 0:
                entry["max_replicas"] = 1
    return entries, notes


def _windows(days: frozenset[str], by_hour: dict[int, Action]) -> list[dict[str, Any]]:
    hours = sorted(by_hour)
    ends = [*hours[1:], 24]
    windows = [_entry(days, start, end, by_hour[start]) for start, end in zip(hours, ends, strict=True)]
    if hours[0] > 0:  # the last action of the day is still in force after midnight
        windows.append(_entry(days, 0, hours[0], by_hour[hours[-1]]))
    return windows


def _entry(days: frozenset[str], start: int, end: int, action: Action) -> dict[str, Any]:
    entry: dict[str, Any] = {"days": _days_field(days), "from_hour": start, "to_hour": end}
    if action.min_replicas is not None:
        entry["min_replicas"] = action.min_replicas
    if action.max_replicas is not None:
        entry["max_replicas"] = action.max_replicas
    return entry


def demand_note(where: str, policy: dict[str, Any], replicas: int) -> str:
    unit = {"cpu": "vCPU in use", "memory": "GiB in use", "requests_per_target": "requests a second"}[policy["metric"]]
    return (
        f"{where}: the template gives no demand, so demand_by_hour is a placeholder: flat at what {replicas} "
        f"replica{'s' if replicas != 1 else ''} carry at the policy's level ({unit}). Replace it with your own, or "
        "import CloudWatch metrics for this service."
    )


def scaling_usage(
    where: str,
    *,
    low: int,
    high: int,
    desired: int | None,
    policy: dict[str, Any] | None,
    actions: list[Action],
    workload: dict[str, Any],
) -> tuple[dict[str, Any], list[str]]:
    """The usage of a service with a scalable target: autoscaling with the policy the model follows (and a
    placeholder demand), its scheduled actions as windows; and what the user should know about it."""
    schedule, notes = schedule_from_actions(actions, where=where)
    start = min(max(desired if desired is not None else low, low, 1), high)
    if policy is None:
        if not schedule:
            notes.append(f"{where}: no scaling policy the model can follow; it is priced always on at {start}.")
            return {"kind": "always_on", "replicas": start}, notes
        # Scheduled scaling alone: no demand, so each hour runs the min in force, as the scheduled actions set it.
        notes.append(f"{where}: no scaling policy: each hour it runs the min its scheduled actions put in force.")
        policy = {"type": "target_tracking", "metric": "cpu", "target": "100"}
        demand = ["0"] * 24
    else:
        demand = placeholder_demand(policy, replicas=start, workload=workload)
        notes.append(demand_note(where, policy, start))
    usage = {
        "kind": "autoscaling",
        "min_replicas": low,
        "max_replicas": high,
        "demand_by_hour": demand,
        "policy": policy,
        "schedule": schedule[:50],
    }
    return usage, notes
