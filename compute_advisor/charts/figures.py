"""Plotly figures (as plain dicts, drawn in the browser by the locally served plotly.js).

Chart values are floats of amounts already computed in Decimal: a chart only draws, it never adds up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from compute_advisor.charts.style import CATEGORY_LABELS, COLORS, two_lines
from compute_advisor.comparison.service import ChartData, Comparison, RegionRow
from compute_advisor.engine.breakeven import Sweep
from compute_advisor.engine.money import cents

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
    return figures
