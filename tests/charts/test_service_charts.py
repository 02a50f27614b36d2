"""A service's hours as the page (plotly) and the PDF (matplotlib) draw them: the simulation's own figures."""

from decimal import Decimal

import pytest

from compute_advisor.charts import figures, svg
from compute_advisor.comparison.service import charted
from compute_advisor.engine import estimate, parse_scenario
from tests.engine.conftest import book

WEEK = 168


def autoscaling(demand, *, schedule=(), policy=None, low=2, high=12):
    return {
        "kind": "autoscaling",
        "min_replicas": low,
        "max_replicas": high,
        "demand_by_hour": demand,
        "policy": policy or {"type": "target_tracking", "metric": "cpu", "target": 60},
        "schedule": list(schedule),
    }


def usages(*services):
    scenario = parse_scenario(
        {
            "region": "us-east-1",
            "options": ["fargate"],
            "services": [
                {"name": name, "workload": {"vcpu": 1, "memory_gib": 2}, "usage": usage} for name, usage in services
            ],
        }
    )
    return {u.name: u for u in estimate(scenario, book()).service_usage}


WEEKDAY_MORNINGS = [{"days": "weekdays", "from_hour": 8, "to_hour": 18, "min_replicas": 4}]
DEMAND = [str(Decimal("0.5") + (h % 24 >= 8) * 3 + (h // 24 == 4) * 5) for h in range(WEEK)]


@pytest.fixture
def web():
    return usages(("web", autoscaling(DEMAND, schedule=WEEKDAY_MORNINGS)))["web"]


def trace(figure, name):
    return next(t for t in figure["data"] if t["name"].startswith(name))


def hours(line):
    """A step line's value of each hour: the last point only closes the last hour, at its value."""
    assert line["y"][-1] == line["y"][-2]
    return line["y"][:-1]


def test_the_figure_draws_the_simulations_demand_replicas_capacity_and_the_min_the_schedule_changes(web):
    run = web.scaling
    figure = figures.service_hours(web)
    assert hours(trace(figure, "Demand (vCPU)")) == [float(d) for d in run.demand_by_hour]
    assert trace(figure, "Demand")["yaxis"] == "y2"
    assert hours(trace(figure, "Replicas")) == list(run.replicas_by_hour)
    assert trace(figure, "Replicas")["line"]["shape"] == "hv"  # a step line: replicas change on the hour
    assert hours(trace(figure, "Capacity at the target")) == [float(c) for c in run.capacity_at_level_by_hour]
    assert hours(trace(figure, "Min in force")) == list(run.min_by_hour)
    assert not [t for t in figure["data"] if t["name"] == "Max in force"]  # the schedule leaves the max alone
    assert trace(figure, "Replicas")["x"][WEEK - 1 :] == ["Sun 23:00", "Sun 24:00"]


def test_the_axes_line_up_so_the_replicas_line_reads_as_the_capacity_at_the_target(web):
    layout = figures.service_hours(web)["layout"]
    replicas_top, demand_top = layout["yaxis"]["range"][1], layout["yaxis2"]["range"][1]
    assert demand_top == pytest.approx(replicas_top * 0.6)  # 1 vCPU x 60 %
    # Both the busiest hour's demand and the most replicas are inside the frame.
    assert demand_top >= max(float(d) for d in web.scaling.demand_by_hour)
    assert replicas_top >= max(web.scaling.replicas_by_hour)
    assert layout["yaxis2"]["title"]["text"] == "Demand (vCPU)"
    assert layout["title"]["subtitle"]["text"] == "target tracking at 60 % CPU"


def test_memory_and_requests_demand_are_in_their_own_units():
    memory = {"type": "target_tracking", "metric": "memory", "target": 80}
    requests = {"type": "target_tracking", "metric": "requests_per_target", "target": 600}
    drawn = usages(
        ("cache", autoscaling(["3"] * 24, policy=memory)), ("api", autoscaling(["25"] * 24, policy=requests))
    )
    cache, api = figures.service_hours(drawn["cache"]), figures.service_hours(drawn["api"])
    assert cache["layout"]["yaxis2"]["title"]["text"] == "Demand (GiB)"
    assert api["layout"]["yaxis2"]["title"]["text"] == "Demand (requests/s)"
    # 600 requests per target a minute are 10 a second: 25 a second want 3 replicas, serving 30.
    assert hours(trace(api, "Replicas")) == [3] * 24
    assert hours(trace(api, "Capacity at the target")) == [30.0] * 24


def test_only_services_whose_replicas_change_are_charted():
    drawn = usages(
        ("web", autoscaling(["1"] * 24)),
        ("flat", {"kind": "always_on", "replicas": 2}),
        ("same", {"kind": "hourly", "replicas_by_hour": [3] * 24}),
        ("peaks", {"kind": "hourly", "replicas_by_hour": [1] * 12 + [4] * 12}),
        ("runs", {"kind": "scheduled", "replicas": 1, "runs_per_day": 2, "minutes_per_run": 10}),
    )
    assert [name for name, usage in drawn.items() if charted(usage)] == ["web", "peaks"]
    peaks = figures.service_hours(drawn["peaks"])
    assert [hours(t) for t in peaks["data"]] == [[1] * 12 + [4] * 12]
    assert peaks["data"][0]["x"][-2:] == ["23:00", "24:00"]


def test_the_pdfs_svg_draws_the_same_service(web):
    drawing = svg.service_hours(web).decode()
    assert drawing.startswith("<?xml")
    assert "web: demand and replicas, target tracking at 60 % CPU" in drawing
    assert "Demand (vCPU, right)" in drawing
    assert "Min in force" in drawing
    assert "Max in force" not in drawing
