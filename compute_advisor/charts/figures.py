"""Plotly figures (as plain dicts, drawn in the browser by the locally served plotly.js).

Chart values are floats of amounts already computed in Decimal: a chart only draws, it never adds up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from compute_advisor.engine import Result
from compute_advisor.engine.breakeven import Sweep
from compute_advisor.engine.money import cents
from compute_advisor.engine.result import CATEGORIES

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


def fine(value: Decimal) -> float:
    """An hourly amount: cents would flatten it."""
    return float(value.quantize(Decimal("0.0001")))


def two_lines(label: str) -> str:
    """Break a long option name near its middle so that bar labels need not be tilted."""
    words = label.split()
    if len(words) < 3:
        return label
    half = len(label) / 2
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - half))
    return " ".join(words[:best]) + "<br>" + " ".join(words[best:])


def cost_by_option(result: Result) -> dict[str, Any]:
    ranked = [result.option(code) for code in result.ranking]
    labels = [two_lines(o.label) for o in ranked]
    data = []
    for category in CATEGORIES:
        values = [money(o.cost_by_category().get(category, Decimal(0))) for o in ranked]
        if any(values):
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


def hourly(costs: dict[str, list[Decimal]], labels: dict[str, str], hours: list[str]) -> dict[str, Any]:
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "line": {"shape": "hv"},
            "name": labels[code],
            "x": hours,
            "y": [fine(c) for c in series],
        }
        for code, series in costs.items()
    ]
    return {
        "data": data,
        "layout": {
            **LAYOUT,
            "title": {"text": "Cost of each hour of the profile"},
            "xaxis": {"nticks": 14, "automargin": True},
            "yaxis": {**LAYOUT["yaxis"], "title": {"text": "USD an hour"}},
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


def regions(rows: list[tuple[str, dict[str, Decimal | None]]], labels: dict[str, str]) -> dict[str, Any]:
    names = [region for region, _ in rows]
    codes = list(labels)
    data = [
        {
            "type": "bar",
            "name": labels[code],
            "x": names,
            "y": [None if costs.get(code) is None else money(costs[code]) for _, costs in rows],
        }  # type: ignore[arg-type]
        for code in codes
    ]
    return {
        "data": data,
        "layout": {
            **LAYOUT,
            "barmode": "group",
            "title": {"text": "Monthly cost by region"},
            "xaxis": {"automargin": True},
        },
    }
