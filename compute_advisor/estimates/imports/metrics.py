"""Demand from real metrics: a CloudWatch export of CPUUtilization or MemoryUtilization (AWS/ECS, percent, per
service) or RequestCountPerTarget (AWS/ApplicationELB, a Sum per period) becomes a service's `demand_by_hour`,
averaged per hour of the week (168 values, Monday 00:00 UTC first) in the engine's units:

- cpu: vCPU kept busy in all = utilisation % / 100 x task vCPU x running tasks;
- memory: GiB in use = utilisation % / 100 x task GiB x running tasks;
- requests_per_target: requests a second arriving = the Sum per target in a period x targets / the period's
  seconds.

The export is `aws cloudwatch get-metric-data` output (MetricDataResults[] with Id, Label, Timestamps, Values),
`get-metric-statistics` output (Datapoints[]), or CSV rows of timestamp,value[,running tasks]. A
RunningTaskCount series (ECS/ContainerInsights) in the same export gives the running tasks at each timestamp;
otherwise the user says how many ran. An hour of the week with no data is filled from the same hour of the
other days, and the notes say how many were.
"""

from __future__ import annotations

import csv
import io
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from compute_advisor.engine.money import plain
from compute_advisor.estimates.imports.common import Imported, ImportProblem, service_name, services_imported
from compute_advisor.lib.bounded_input import TooDeep, load_json

MAX_METRICS_BYTES = 2 * 1024 * 1024
MAX_POINTS = 100_800  # what one GetMetricData call returns at most
HOURS = 168
_KINDS = {  # what a series' Label or Id says it measures
    "cpu": ("cpuutilization", "cpu"),
    "memory": ("memoryutilization", "memory", "mem"),
    "requests_per_target": ("requestcountpertarget", "request"),
    "tasks": ("runningtaskcount", "runningtasks", "tasks"),
}
METRIC_LABELS = {"cpu": "CPUUtilization", "memory": "MemoryUtilization", "requests_per_target": "RequestCountPerTarget"}

Point = tuple[datetime, Decimal]


@dataclass(frozen=True)
class MetricsOptions:
    """What the user adds to an export: which metric it is (when its labels do not say), how many tasks ran
    (when it has no RunningTaskCount), the period of a request count, and, without a template, the task size
    and the policy."""

    metric: str | None = None
    service: str | None = None
    replicas: int | None = None
    period_seconds: int | None = None
    vcpu: Decimal | None = None
    memory_gib: Decimal | None = None
    target: Decimal | None = None
    min_replicas: int | None = None
    max_replicas: int | None = None
    name: str = "service"


@dataclass
class Demand:
    metric: str
    by_hour: list[str]
    notes: list[str] = field(default_factory=list)


def _timestamp(raw: Any) -> datetime:
    text = str(raw).strip()
    try:
        if text.replace(".", "", 1).isdigit():
            seconds = Decimal(text)
            if seconds > 10**11:  # milliseconds, as JavaScript and some exports write them
                seconds /= 1000
            return datetime.fromtimestamp(int(seconds), tz=UTC)
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError, InvalidOperation):
        raise ImportProblem(f"The timestamp {text[:40]!r} is neither ISO 8601 nor seconds since 1970.") from None
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def _number(raw: Any) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ImportProblem(f"The value {str(raw)[:40]!r} is not a number.") from None
    if not value.is_finite() or value < 0 or value.adjusted() > 12:
        raise ImportProblem(f"The value {str(raw)[:40]!r} is not a metric's value.")
    return value


def _kind(*names: Any) -> str | None:
    text = " ".join(str(n).lower() for n in names if n)
    for kind, words in _KINDS.items():
        if any(word in text for word in words[:1]):
            return kind
    for kind, words in _KINDS.items():
        if any(word in text for word in words[1:]):
            return kind
    return None


def read_series(text: str) -> tuple[dict[str | None, list[Point]], str | None]:
    """The export's series by what they measure (None for a series whose labels do not say), and the statistic
    of a `get-metric-statistics` output (None for the other forms, which do not say)."""
    if len(text.encode("utf-8")) > MAX_METRICS_BYTES:
        raise ImportProblem(f"The metrics export is more than {MAX_METRICS_BYTES // (1024 * 1024)} MB.")
    if not text.strip():
        raise ImportProblem("The metrics export is empty.")
    statistic: str | None = None
    try:
        data = load_json(text)
    except TooDeep as exc:
        raise ImportProblem(f"The metrics export {exc}: a CloudWatch export does not.") from None
    except ValueError:
        series = _csv(text)
    else:
        if isinstance(data, dict) and isinstance(data.get("MetricDataResults"), list):
            series = _metric_data(data["MetricDataResults"])
        elif isinstance(data, dict) and isinstance(data.get("Datapoints"), list):
            series, statistic = _statistics(data)
        else:
            raise ImportProblem(
                "This is not a CloudWatch export: get-metric-data output (MetricDataResults), get-metric-statistics "
                "output (Datapoints) or CSV rows of timestamp,value."
            )
    if sum(len(points) for points in series.values()) > MAX_POINTS:
        raise ImportProblem(f"The export holds more than {MAX_POINTS:,} data points.")
    if not any(series.values()):
        raise ImportProblem("The metrics export holds no data points.")
    return series, statistic


def _metric_data(results: list[Any]) -> dict[str | None, list[Point]]:
    """`get-metric-data` output: each result's Timestamps and Values, one for one."""
    series: dict[str | None, list[Point]] = {}
    for result in results:
        if not isinstance(result, dict):
            continue
        stamps, values = result.get("Timestamps") or [], result.get("Values") or []
        if not isinstance(stamps, list) or not isinstance(values, list) or len(stamps) != len(values):
            raise ImportProblem(f"The series {str(result.get('Id'))[:40]!r} has not one value per timestamp.")
        if len(stamps) > MAX_POINTS:
            raise ImportProblem(f"The export holds more than {MAX_POINTS:,} data points.")
        kind = _kind(result.get("Label"), result.get("Id"))
        series.setdefault(kind, []).extend((_timestamp(s), _number(v)) for s, v in zip(stamps, values, strict=True))
    return series


STATISTICS = ("Average", "Sum", "Maximum", "Minimum")


def _statistics(data: dict[str, Any]) -> tuple[dict[str | None, list[Point]], str | None]:
    """`get-metric-statistics` output: one statistic a datapoint (Average, Sum, Maximum or Minimum)."""
    points: list[Point] = []
    named: str | None = None
    for point in data["Datapoints"][: MAX_POINTS + 1]:
        if isinstance(point, dict):
            name = next((k for k in STATISTICS if k in point), None)
            if name is not None:
                named = named or name
                points.append((_timestamp(point.get("Timestamp")), _number(point[name])))
    return {_kind(data.get("Label")): points}, named


def _csv(text: str) -> dict[str | None, list[Point]]:
    rows = [row for row in csv.reader(io.StringIO(text)) if row and any(cell.strip() for cell in row)]
    if len(rows) > MAX_POINTS + 1:
        raise ImportProblem(f"The export holds more than {MAX_POINTS:,} data points.")
    header = rows[0] if rows and not _is_stamp(rows[0][0]) else None
    kind = _kind(*(header[1:2] if header else []))
    series: dict[str | None, list[Point]] = {kind: [], "tasks": []}
    for number, row in enumerate(rows[1:] if header else rows, start=2 if header else 1):
        if len(row) < 2:
            raise ImportProblem(f"Line {number} of the CSV is not timestamp,value.")
        stamp = _timestamp(row[0])
        series[kind].append((stamp, _number(row[1])))
        if len(row) > 2 and row[2].strip():
            series["tasks"].append((stamp, _number(row[2])))
    if not series[kind]:
        raise ImportProblem("The CSV has no rows of timestamp,value.")
    return {k: v for k, v in series.items() if v}


def _is_stamp(cell: str) -> bool:
    try:
        _timestamp(cell)
    except ImportProblem:
        return False
    return True


def _period(points: list[Point]) -> int:
    """The most common gap between consecutive timestamps, in seconds: the export's period."""
    stamps = sorted({stamp for stamp, _ in points})
    gaps = [int((b - a).total_seconds()) for a, b in pairwise(stamps)]
    if not gaps:
        raise ImportProblem("One data point does not tell the period of a request count: give the period.")
    return max(set(gaps), key=gaps.count)


def _which(series: dict[str | None, list[Point]], metric: str | None) -> tuple[str, list[Point]]:
    """The metric to read and its points: the one asked for, or the one series whose labels say what it is."""
    known = [k for k in series if k is not None]
    if metric is None:
        if len(known) != 1:
            raise ImportProblem(
                "Say which metric the export holds (cpu, memory or requests_per_target): its labels do not."
                if not known
                else f"The export holds {', '.join(sorted(known))}: say which one to use."
            )
        metric = known[0]
    points = series.get(metric) or (series.get(None) if not known else None)
    if not points:
        raise ImportProblem(f"The export has no {METRIC_LABELS.get(metric, metric)} series.")
    return metric, points


def hourly_demand(
    text: str, *, metric: str | None, vcpu: Decimal, memory_gib: Decimal, replicas: int | None, period: int | None
) -> Demand:
    """The export's demand in the engine's units, averaged per hour of the week."""
    series, statistic = read_series(text)
    tasks = sorted(dict(series.pop("tasks", [])).items())
    metric, points = _which(series, metric)
    first, last = min(points)[0], max(points)[0]
    span = f"{first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC"
    notes = [f"Read {len(points):,} {METRIC_LABELS[metric]} data points from {span}."]
    if statistic in ("Maximum", "Minimum"):
        # Demand is the load a service keeps: a period's extreme is not it.
        way = "overstates" if statistic == "Maximum" else "understates"
        notes.append(
            f"The export's statistic is the {statistic}, read as each period's demand: it {way} the load the "
            "service keeps on average (export the Average for that)."
        )
    others = sorted(METRIC_LABELS.get(k or "", "unlabelled") for k in series if k != metric and series[k])
    if others:
        notes.append(f"Not read from the export: its {', '.join(others)} series.")
    if tasks:
        notes.append(
            "The running tasks at each time come from the export's RunningTaskCount series (its last value at or "
            "before that time)."
        )
    elif replicas is None:
        raise ImportProblem("The export has no RunningTaskCount series: say how many tasks were running (replicas).")
    else:
        notes.append(f"{replicas} running task{'s' if replicas != 1 else ''} assumed at every time.")
    seconds = period or (_period(points) if metric == "requests_per_target" else 60)
    if metric == "requests_per_target":
        notes.append(f"Each RequestCountPerTarget value is read as a Sum over {seconds} seconds.")
    # What one running task holds of the metric: the utilisation metrics are a percent of the task's own size.
    per_task = {"cpu": vcpu / 100, "memory": memory_gib / 100, "requests_per_target": Decimal(1) / seconds}[metric]
    buckets: dict[int, list[Decimal]] = defaultdict(list)
    stamps = [stamp for stamp, _ in tasks]
    constant = Decimal(replicas or 0)
    for stamp, value in points:
        # The task count in force at `stamp`: its last value at or before it (the first one, before it starts).
        running = tasks[max(bisect_right(stamps, stamp) - 1, 0)][1] if tasks else constant
        buckets[stamp.weekday() * 24 + stamp.hour].append(value * per_task * running)
    return Demand(metric=metric, by_hour=_week(buckets, notes), notes=notes)


def _week(buckets: dict[int, list[Decimal]], notes: list[str]) -> list[str]:
    means = {hour: sum(values, Decimal(0)) / len(values) for hour, values in buckets.items()}
    overall = sum(means.values(), Decimal(0)) / len(means)
    week: list[Decimal] = []
    filled = 0
    unknown: set[int] = set()  # hours of the day with no data on any day
    for hour in range(HOURS):
        if hour in means:
            week.append(means[hour])
            continue
        same_hour = [means[h] for h in range(hour % 24, HOURS, 24) if h in means]
        if same_hour:
            filled += 1
            week.append(sum(same_hour, Decimal(0)) / len(same_hour))
        else:
            unknown.add(hour % 24)
            week.append(overall)
    if filled:
        notes.append(f"{filled} of the week's 168 hours had no data: filled from the same hour of the other days.")
    if unknown:
        noun = "hour of the day has" if len(unknown) == 1 else "hours of the day have"
        notes.append(f"{len(unknown)} {noun} no data on any day: filled with the average of all hours.")
    return [plain(value.quantize(Decimal("0.0001"))) for value in week]


def with_metrics(imported: Imported | None, text: str, options: MetricsOptions) -> Imported:
    """`imported` (a template's services, or None) with one service's demand taken from a metrics export. The
    per-replica size is the service's own; without a template it comes from `options`."""
    if imported is None:
        return _lone_service(text, options)
    scenario = dict(imported.scenario)
    services = (
        [dict(s) for s in scenario["services"]]
        if "services" in scenario
        else [
            {
                "name": service_name(str(scenario.get("name") or options.name)),
                "workload": scenario["workload"],
                "usage": scenario.get("usage") or {"kind": "always_on", "replicas": 1},
            }
        ]
    )
    chosen = _chosen(services, options.service)
    usage = dict(chosen["usage"])
    workload = chosen["workload"]
    demand = hourly_demand(
        text,
        metric=options.metric or (usage["policy"]["metric"] if usage["kind"] == "autoscaling" else None),
        vcpu=Decimal(str(workload["vcpu"])),
        memory_gib=Decimal(str(workload["memory_gib"])),
        replicas=options.replicas,
        period=options.period_seconds,
    )
    if usage["kind"] == "autoscaling":
        if usage["policy"]["metric"] != demand.metric:
            raise ImportProblem(
                f"The metrics measure {demand.metric} but {chosen['name']}'s policy follows "
                f"{usage['policy']['metric']}: export {METRIC_LABELS[usage['policy']['metric']]} instead."
            )
        usage["demand_by_hour"] = demand.by_hour
    else:
        usage = _policy_usage(demand, options, f"{chosen['name']} has no scaling policy in the file")
    chosen["usage"] = usage
    notes = [n for n in imported.notes if "demand_by_hour is a placeholder" not in n or chosen["name"] not in n]
    return services_imported(services, notes + [f"{chosen['name']}: {note}" for note in demand.notes])


def _chosen(services: list[dict[str, Any]], wanted: str | None) -> dict[str, Any]:
    if wanted:
        for service in services:
            if service["name"] == wanted:
                return service
        raise ImportProblem(
            f"No service is named {wanted[:63]!r}; the file's are {', '.join(s['name'] for s in services)}."
        )
    scaling = [s for s in services if s["usage"]["kind"] == "autoscaling"]
    if len(services) == 1 or len(scaling) == 1:
        return services[0] if len(services) == 1 else scaling[0]
    raise ImportProblem(f"Say which service the metrics are of: {', '.join(s['name'] for s in services)}.")


def _policy_usage(demand: Demand, options: MetricsOptions, why: str) -> dict[str, Any]:
    if options.target is None or options.max_replicas is None:
        raise ImportProblem(f"{why}: give a target and the max replicas to scale the demand with.")
    low = options.min_replicas if options.min_replicas is not None else 1
    if low > options.max_replicas:
        raise ImportProblem("The min replicas must be at most the max replicas.")
    return {
        "kind": "autoscaling",
        "min_replicas": low,
        "max_replicas": options.max_replicas,
        "demand_by_hour": demand.by_hour,
        "policy": {"type": "target_tracking", "metric": demand.metric, "target": plain(options.target)},
    }


def _lone_service(text: str, options: MetricsOptions) -> Imported:
    if options.vcpu is None or options.memory_gib is None:
        raise ImportProblem("Without a task definition or template, give the task's vCPU and memory (GiB).")
    demand = hourly_demand(
        text,
        metric=options.metric,
        vcpu=options.vcpu,
        memory_gib=options.memory_gib,
        replicas=options.replicas,
        period=options.period_seconds,
    )
    usage = _policy_usage(demand, options, "Without a template")
    service = {
        "name": service_name(options.name),
        "workload": {"vcpu": plain(options.vcpu), "memory_gib": plain(options.memory_gib)},
        "usage": usage,
    }
    return services_imported([service], demand.notes)
