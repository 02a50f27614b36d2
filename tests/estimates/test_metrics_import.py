"""Demand from CloudWatch exports. The AWS CLI's published `get-metric-statistics` example is read as it is; no public
repository commits a real multi-day `get-metric-data` export of an ECS service (see import_files/README.md), so the
other exports here follow the documented shape of its output
(MetricDataResult in the CloudWatch API Reference: Id, Label, Timestamps, Values, StatusCode; the AWS CLI prints
the timestamps in ISO 8601), with values chosen so that each expected figure can be worked out by hand."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from compute_advisor.engine import parse_scenario
from compute_advisor.estimates.imports import ImportProblem, MetricsOptions, import_workload, with_metrics
from compute_advisor.estimates.imports.metrics import MAX_METRICS_BYTES, hourly_demand

MONDAY = datetime(2024, 5, 6, tzinfo=UTC)  # a Monday, 00:00 UTC
FILES = Path(__file__).parent / "import_files"


def result(label: str, points: list[tuple[datetime, float | int]], ident: str = "m1") -> dict:
    return {
        "Id": ident,
        "Label": label,
        "Timestamps": [stamp.isoformat() for stamp, _ in points],
        "Values": [value for _, value in points],
        "StatusCode": "Complete",
    }


def export(*results: dict) -> str:
    return json.dumps({"MetricDataResults": list(results), "Messages": []})


def hours(count: int, start: datetime = MONDAY, step: timedelta = timedelta(hours=1)):
    return [start + step * i for i in range(count)]


def demand(text: str, **options) -> list[Decimal]:
    settings = {"metric": None, "vcpu": Decimal("0.5"), "memory_gib": Decimal(2), "replicas": None, "period": None}
    return [Decimal(v) for v in hourly_demand(text, **{**settings, **options}).by_hour]


def test_two_weeks_of_cpu_average_into_each_hour_of_the_week_and_fill_a_missing_hour():
    # Week 1 at 10 + hour + weekday percent, week 2 at 30 + hour + weekday: each hour of the week averages 20 + h + d.
    points = [(t, (10 if t < MONDAY + timedelta(days=7) else 30) + t.hour + t.weekday()) for t in hours(336)]
    points = [(t, v) for t, v in points if not (t.weekday() == 0 and t.hour == 3)]  # no Monday 03:00 in either week
    text = export(result("CPUUtilization", points))
    week = demand(text, replicas=4)
    assert len(week) == 168
    # cpu demand = % / 100 x 0.5 vCPU x 4 tasks = (20 + h + d) / 50
    expected = [Decimal(20 + h + d) / 50 for d in range(7) for h in range(24)]
    # Monday 03:00 comes from the other days' 03:00: (23 + (1 + ... + 6) / 6) / 50 = 26.5 / 50.
    expected[3] = Decimal("0.53")
    assert week == expected
    notes = hourly_demand(text, metric=None, vcpu=Decimal("0.5"), memory_gib=Decimal(2), replicas=4, period=None).notes
    assert notes == [
        "Read 334 CPUUtilization data points from 2024-05-06 00:00 to 2024-05-19 23:00 UTC.",
        "4 running tasks assumed at every time.",
        "1 of the week's 168 hours had no data: filled from the same hour of the other days.",
    ]


def test_the_running_task_count_in_the_export_gives_the_tasks_at_each_time():
    stamps = hours(168)
    cpu = result("CPUUtilization", [(t, 50) for t in stamps])
    tasks = result("RunningTaskCount", [(t, 2 if t.hour < 12 else 6) for t in stamps], ident="tasks")
    week = demand(export(cpu, tasks), vcpu=Decimal(1))
    # 50 % of 1 vCPU on 2 tasks before noon, on 6 after.
    assert week == ([Decimal(1)] * 12 + [Decimal(3)] * 12) * 7


def test_a_coarser_running_task_count_is_read_at_or_before_each_time():
    # CPU every minute, the task count every 5 minutes (Container Insights' own period may differ).
    cpu = result("CPUUtilization", [(t, 10) for t in hours(60 * 24, step=timedelta(minutes=1))])
    counts = [(t, 1 + (t.minute // 5) % 2) for t in hours(12 * 24, step=timedelta(minutes=5))]  # 1, 2, 1, 2 ...
    week = demand(export(cpu, result("RunningTaskCount", counts, ident="tasks")), vcpu=Decimal(1))
    # Each hour: 30 minutes at 1 task and 30 at 2, at 10 % of 1 vCPU: (0.1 x 30 + 0.2 x 30) / 60 = 0.15.
    assert week == [Decimal("0.15")] * 168


def test_request_counts_per_target_become_requests_a_second_arriving_at_the_service():
    stamps = hours(7 * 24 * 12, step=timedelta(minutes=5))
    requests = result("RequestCountPerTarget", [(t, 600) for t in stamps])
    text = export(requests)
    # 600 requests per target in 300 seconds, 3 targets: 6 requests a second.
    assert demand(text, replicas=3) == [Decimal(6)] * 168
    notes = hourly_demand(text, metric=None, vcpu=Decimal(1), memory_gib=Decimal(1), replicas=3, period=None).notes
    assert "Each RequestCountPerTarget value is read as a Sum over 300 seconds." in notes
    assert demand(text, replicas=3, period=60) == [Decimal(30)] * 168  # when the user says the Sum is per minute


def test_a_csv_of_one_day_fills_the_other_days_from_it():
    rows = "\n".join(f"{int(t.timestamp())},{40}" for t in hours(24, start=MONDAY + timedelta(days=1)))
    text = "Timestamp,MemoryUtilization\n" + rows + "\n"
    hourly = hourly_demand(text, metric=None, vcpu=Decimal(1), memory_gib=Decimal(2), replicas=5, period=None)
    assert hourly.metric == "memory"
    assert [Decimal(v) for v in hourly.by_hour] == [Decimal(4)] * 168  # 40 % of 2 GiB on 5 tasks
    assert "144 of the week's 168 hours had no data: filled from the same hour of the other days." in hourly.notes


def test_get_metric_statistics_output_is_read_too():
    text = json.dumps(
        {
            "Label": "CPUUtilization",
            "Datapoints": [{"Timestamp": t.isoformat(), "Average": 25.0, "Unit": "Percent"} for t in hours(24)],
        }
    )
    assert demand(text, replicas=2) == [Decimal("0.25")] * 168  # 25 % x 0.5 vCPU x 2


def test_a_templates_service_takes_its_demand_from_the_export():
    template = import_workload((FILES / "cdk-queue-processing-custom-cpu-scaling.template.json").read_text())
    stamps = hours(168)
    text = export(
        result("CPUUtilization", [(t, 40) for t in stamps]),
        result("RunningTaskCount", [(t, 2) for t in stamps], ident="tasks"),
    )
    merged = with_metrics(template, text, MetricsOptions())
    (service,) = merged.scenario["services"]
    assert service["usage"]["demand_by_hour"] == ["0.2"] * 168  # 40 % of the task's 0.25 vCPU on 2 tasks
    assert not any("placeholder" in note for note in merged.notes)
    assert any("RunningTaskCount series" in note for note in merged.notes)
    scenario = parse_scenario({"region": "us-east-1", **merged.scenario})
    run = scenario.services[0].usage.simulated(scenario.services[0].workload)
    assert set(run.replicas_by_hour) == {2}  # 0.2 vCPU at a 50 % target of 0.25 vCPU: ceil(1.6)


def test_an_export_alone_makes_a_service_of_the_size_and_policy_given():
    text = export(result("CPUUtilization", [(t, 60) for t in hours(168)]))
    options = MetricsOptions(replicas=3, vcpu=Decimal(1), memory_gib=Decimal(2), target=Decimal(50), max_replicas=10)
    (service,) = with_metrics(None, text, options).scenario["services"]
    assert service["workload"] == {"vcpu": "1", "memory_gib": "2"}
    assert service["usage"]["policy"] == {"type": "target_tracking", "metric": "cpu", "target": "50"}
    assert (service["usage"]["min_replicas"], service["usage"]["max_replicas"]) == (1, 10)
    assert service["usage"]["demand_by_hour"] == ["1.8"] * 168


SIZED = MetricsOptions(replicas=1, vcpu=Decimal(1), memory_gib=Decimal(1), target=Decimal(50), max_replicas=4)


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        ("", SIZED, "The metrics export is empty."),
        ('{"Metrics": []}', SIZED, "This is not a CloudWatch export"),
        (export(result("CPUUtilization", [])), SIZED, "holds no data points"),
        (
            json.dumps({"MetricDataResults": [{"Id": "m1", "Timestamps": ["2024-05-06T00:00:00Z"], "Values": []}]}),
            SIZED,
            "has not one value per timestamp",
        ),
        ("yesterday,12\n", SIZED, "The CSV has no rows of timestamp,value."),
        ("2024-05-06T00:00:00Z,lots\n", SIZED, "The value 'lots' is not a number."),
        ("2024-05-06T00:00:00Z,12\n", MetricsOptions(vcpu=Decimal(1), memory_gib=Decimal(1)), "Say which metric"),
        (
            export(result("CPUUtilization", [(MONDAY, 10)])),
            MetricsOptions(vcpu=Decimal(1), memory_gib=Decimal(1), target=Decimal(50), max_replicas=4),
            "no RunningTaskCount series: say how many tasks were running",
        ),
        (export(result("CPUUtilization", [(MONDAY, 10)])), MetricsOptions(replicas=1), "give the task's vCPU"),
        (
            export(result("CPUUtilization", [(MONDAY, 10)])),
            MetricsOptions(replicas=1, vcpu=Decimal(1), memory_gib=Decimal(1)),
            "give a target and the max replicas",
        ),
        ("x" * (MAX_METRICS_BYTES + 1), SIZED, "more than 2 MB"),
        ("[" * 100, SIZED, "nests more than 32 levels deep"),
    ],
)
def test_bad_exports_get_a_clear_message(text, options, message):
    with pytest.raises(ImportProblem, match=message):
        with_metrics(None, text, options)


def test_an_export_of_another_metric_than_the_policy_is_refused():
    template = import_workload((FILES / "cdk-queue-processing-custom-cpu-scaling.template.json").read_text())
    text = export(result("MemoryUtilization", [(MONDAY, 10)]))
    with pytest.raises(ImportProblem, match=r"The metrics measure memory but .* policy follows cpu"):
        with_metrics(template, text, MetricsOptions(replicas=1, metric="memory"))


def test_aws_clis_own_get_metric_statistics_example_becomes_a_week_of_demand():
    # The AWS CLI's published example output: the Maximum CPUUtilization of an EC2 instance, hourly, from Tuesday
    # 2014-02-18 23:18 to Wednesday 19:18 UTC (21 points; 20:00-22:00 have none). At 2 tasks of 1 vCPU the
    # demand is percent / 100 x 1 x 2.
    text = (FILES / "aws-cli-get-metric-statistics-cpu.json").read_text(encoding="utf-8")
    found = hourly_demand(text, metric=None, vcpu=Decimal(1), memory_gib=Decimal(2), replicas=2, period=None)
    week = [Decimal(v) for v in found.by_hour]
    wednesday, tuesday = 2 * 24, 24

    def at(percent: str) -> Decimal:  # the demand of a reading, to the importer's 4 decimals
        return (Decimal(percent) / 50).quantize(Decimal("0.0001"))

    assert week[wednesday + 0] == at("0.33000000000000002") == Decimal("0.0066")
    assert week[wednesday + 3] == at("99.670000000000002") == Decimal("1.9934")
    assert week[tuesday + 23] == at("0.67000000000000004") == Decimal("0.0134")
    # Monday has no data: each of its hours comes from the same hour on the days that have it.
    assert week[3] == week[wednesday + 3]
    assert week[23] == week[tuesday + 23]
    # 20:00 to 22:00 have no data on any day: the average of the 21 hours read.
    percents = ["0.33000000000000002", "0.34000000000000002", "0.34000000000000002", "99.670000000000002", "2.0"]
    percents += ["0.33000000000000002", "0.34000000000000002", "0.34000000000000002", "0.68000000000000005"]
    percents += ["0.34000000000000002"] * 3 + ["0.34000000000000002", "0.33000000000000002"]
    percents += ["0.34000000000000002"] * 3 + ["3.3900000000000001", "6.6699999999999999", "8.0"]
    percents += ["0.67000000000000004"]
    mean = sum((Decimal(p) / 50 for p in percents), Decimal(0)) / 21
    assert week[wednesday + 21] == mean.quantize(Decimal("0.0001"))
    assert found.notes == [
        "Read 21 CPUUtilization data points from 2014-02-18 23:18 to 2014-02-19 19:18 UTC.",
        "The export's statistic is the Maximum, read as each period's demand: it overstates the load the service "
        "keeps on average (export the Average for that).",
        "2 running tasks assumed at every time.",
        "126 of the week's 168 hours had no data: filled from the same hour of the other days.",
        "3 hours of the day have no data on any day: filled with the average of all hours.",
    ]
