"""Plotly figures (as plain dicts, drawn in the browser by the locally served plotly.js).

Chart values are floats of amounts already computed in Decimal: a chart only draws, it never adds up.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from compute_advisor.charts.style import (
    BOUND_COLOR,
    CATEGORY_LABELS,
    COLORS,
    DEMAND_COLOR,
    REPLICAS_COLOR,
    capacity_label,
    policy_words,
    replica_step,
    scaling_frame,
    two_lines,
)
from compute_advisor.comparison.service import ChartData, Comparison, RegionRow, profile_hour_labels
from compute_advisor.engine.breakeven import Sweep
from compute_advisor.engine.money import cents
from compute_advisor.engine.result import ServiceUsage

LAYOUT: dict[str, Any] = {
    "margin": {"l": 60, "r": 20, "t": 40, "b": 20},
    "paper_bgcolor": "#ffffff",
    "plot_bgcolor": "#ffffff",
    "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13},
    # At the bottom of the whole chart, below the axis labels however tall they are (two-line, tilted names).
    "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
    "yaxis": {"title": {"text": "USD a month"}, "gridcolor": "#e5e9f2", "tickprefix": "$"},
}


def money(value: Decimal) -> float:
    return float(cents(value))


def cost_by_option(charts: ChartData) -> dict[str, Any]:
    labels = [two_lines(o.label) for o in charts.priced]
    data = []
    for category in charts.categories:
        values = [money(charts.by_category[o.option].get(category, Decimal(0))) for o in charts.priced]
        data.append(
            {
                "type": "bar",
                "name": CATEGORY_LABELS[category],
                "x": labels,
                "y": values,
                "marker": {"color": COLORS[category]},
                "hovertemplate": "%{x}<br>" + CATEGORY_LABELS[category] + ": $%{y:,.2f}<extra></extra>",
            }
        )
    return {
        "data": data,
        "layout": {
            **LAYOUT,
            "barmode": "stack",
            "title": {"text": "Monthly cost by option"},
            "xaxis": {"automargin": True, "tickangle": -20},
        },
    }


HOURLY_TITLE = "What each hour of the profile costs in a month"


def hourly(charts: ChartData) -> dict[str, Any]:
    """The engine's cost of each profile hour (they add up to each option's monthly cost in the table)."""
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "line": {"shape": "hv"},
            "name": option.label,
            "x": charts.hour_labels,
            "y": [money(c) for c in charts.by_profile_hour[option.option]],
            "hovertemplate": "%{x}: $%{y:,.2f} a month<extra>" + option.label + "</extra>",
        }
        for option in charts.priced
    ]
    return {
        "data": data,
        "layout": {
            **LAYOUT,
            "title": {"text": HOURLY_TITLE},
            "xaxis": {"nticks": 14, "automargin": True},
            "yaxis": {**LAYOUT["yaxis"], "title": {"text": "USD a month, this hour"}, "rangemode": "tozero"},
        },
    }


def _closed(labels: list[str]) -> list[str]:
    """The hours' labels and the end of the last hour ("24:00", "Sun 24:00"): a step line drawn through the
    points gives the last hour its width only with a point where it ends (which repeats its value)."""
    return [*labels, f"{labels[-1][:-5]}24:00"]


def _ended(values: Sequence[Any]) -> list[Any]:
    return [*values, values[-1]]


def _hours_axis(length: int) -> dict[str, Any]:
    # A week's 168 labels shown every half day; a day's every two hours.
    return {"nticks": 15 if length == 168 else 13, "automargin": True, "tickangle": -45 if length == 168 else 0}


def _replicas_axis(top: float) -> dict[str, Any]:
    return {
        "title": {"text": "Replicas"},
        "range": [0, top],
        "dtick": replica_step(top),
        "gridcolor": "#e5e9f2",
        "zeroline": False,
    }


def service_hours(usage: ServiceUsage) -> dict[str, Any]:
    """One service's hours: for an autoscaling service, the simulation's demand against the replicas it
    keeps (style.ScalingFrame says how the two axes line up); for an hourly profile, its replicas."""
    run = usage.scaling
    if run is None:
        return _profile_replicas(usage)
    labels = _closed(profile_hour_labels(len(run.replicas_by_hour)))
    frame = scaling_frame(run)
    at = "top step" if usage.policy == "step" else "target"
    unit = usage.demand_unit or ""
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": f"Demand ({unit})",
            "x": labels,
            "y": _ended([float(d) for d in run.demand_by_hour]),
            "yaxis": "y2",
            "line": {"shape": "hv", "width": 1, "color": DEMAND_COLOR},
            "fill": "tozeroy",
            "fillcolor": "rgba(18, 183, 106, 0.22)",
            "hovertemplate": "Demand %{y:,.2f} " + unit + "<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "Replicas" + (f" (right axis: capacity at {at})" if frame.per_replica > 0 else ""),
            "x": labels,
            "y": _ended(run.replicas_by_hour),
            "line": {"shape": "hv", "width": 2.5, "color": REPLICAS_COLOR},
            "hovertemplate": "%{y} replicas<extra></extra>",
        },
    ]
    if frame.per_replica > 0:
        # Drawn under the replicas' own line (the axes line up), listed for its figures in the hover.
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": "C" + capacity_label(usage)[1:],
                "x": labels,
                "y": _ended([float(c) for c in run.capacity_at_level_by_hour]),
                "yaxis": "y2",
                "line": {"shape": "hv", "width": 0, "color": REPLICAS_COLOR},
                "showlegend": False,
                "hovertemplate": f"Capacity at {at} " + "%{y:,.2f} " + unit + "<extra></extra>",
            }
        )
    for shown, name, values in (
        (frame.show_min, "Min in force", run.min_by_hour),
        (frame.show_max, "Max in force", run.max_by_hour),
    ):
        if shown:
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": name,
                    "x": labels,
                    "y": _ended(values),
                    "line": {"shape": "hv", "width": 1, "dash": "dot", "color": BOUND_COLOR},
                    "hovertemplate": name + " %{y}<extra></extra>",
                }
            )
    demand_axis: dict[str, Any] = {
        "title": {"text": f"Demand ({unit})"},
        "overlaying": "y",
        "side": "right",
        "showgrid": False,
        "zeroline": False,
    }
    if frame.per_replica > 0:
        demand_axis["range"] = [0, frame.demand_top]
    else:
        demand_axis["rangemode"] = "tozero"
    return {
        "data": data,
        "layout": {
            **LAYOUT,
            "margin": {**LAYOUT["margin"], "r": 60, "t": 64},
            "title": {"text": f"{usage.name}: demand and replicas", "subtitle": {"text": policy_words(usage)}},
            "hovermode": "x unified",
            "xaxis": _hours_axis(len(run.replicas_by_hour)),
            "yaxis": _replicas_axis(frame.replicas_top),
            "yaxis2": demand_axis,
        },
    }


def _profile_replicas(usage: ServiceUsage) -> dict[str, Any]:
    replicas = usage.replicas_by_hour or (0,)
    labels = _closed(profile_hour_labels(len(replicas)))
    top = max(max(replicas, default=0), 1) * 1.12
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "name": "Replicas",
                "x": labels,
                "y": _ended(replicas),
                "line": {"shape": "hv", "width": 2.5, "color": REPLICAS_COLOR},
                "hovertemplate": "%{x}: %{y} replicas<extra></extra>",
            }
        ],
        "layout": {
            **LAYOUT,
            "title": {"text": f"{usage.name}: replicas each hour (its profile)"},
            "showlegend": False,
            "xaxis": _hours_axis(len(replicas)),
            "yaxis": _replicas_axis(top),
        },
    }


def service_charts(charts: ChartData) -> list[dict[str, Any]]:
    """Each charted service's figure, the id its JSON goes under, and what it shows in words."""
    drawn = []
    for index, usage in enumerate(charts.services):
        what = (
            f"Demand against replicas for {usage.name}, each hour"
            if usage.scaling is not None
            else f"Replicas of {usage.name} each hour"
        )
        drawn.append(
            {"id": f"chart-service-{index}", "figure": service_hours(usage), "label": what, "summary": usage.summary}
        )
    return drawn


def breakeven(sweep: Sweep) -> dict[str, Any]:
    unit = "Replicas" if sweep.axis == "replicas" else "Active hours a day"
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": sweep.labels[code],
            "x": [float(x) for x in sweep.xs],
            "y": [None if c is None else money(c) for c in costs],
            "connectgaps": False,
        }
        for code, costs in sweep.costs.items()
    ]
    return {
        "data": data,
        "layout": {
            **LAYOUT,
            "title": {"text": f"Monthly cost as the {unit.lower()} grow"},
            "xaxis": {"title": {"text": unit}, "gridcolor": "#e5e9f2", "automargin": True},
        },
    }


def regions(rows: list[RegionRow], labels: dict[str, str]) -> dict[str, Any]:
    names = [row.region for row in rows]
    data = []
    for code, label in labels.items():
        values = [row.costs.get(code) for row in rows]
        data.append({"type": "bar", "name": label, "x": names, "y": [None if v is None else money(v) for v in values]})
    return {
        "data": data,
        "layout": {
            **LAYOUT,
            "barmode": "group",
            "title": {"text": "Monthly cost by region"},
            "xaxis": {"automargin": True},
        },
    }


def figures_for(comparison: Comparison) -> dict[str, Any]:
    """The comparison page's charts, and the break-even crossings in words."""
    charts = comparison.charts
    figures: dict[str, Any] = {"cost": cost_by_option(charts)}
    if charts.sweep is not None:
        figures["breakeven"] = breakeven(charts.sweep)
        figures["crossings"] = [c.sentence for c in charts.sweep.crossings]
    if charts.hour_labels and charts.priced:
        figures["hourly"] = hourly(charts)
    if charts.services:
        figures["services"] = service_charts(charts)
    return figures
