"""The report's charts as vector SVG, drawn with matplotlib: a PDF needs no browser to show them."""

from __future__ import annotations

import io
import math
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")  # no display: draw to files only
import matplotlib.pyplot as plt

from compute_advisor.charts.figures import HOURLY_TITLE
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
from compute_advisor.comparison.service import ChartData, Comparison, profile_hour_labels
from compute_advisor.engine.breakeven import Sweep
from compute_advisor.engine.result import ServiceUsage

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 8,
        "svg.fonttype": "none",
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)


# Every chart has the same frame, in inches: the axes keep one size and the figure grows below them to fit
# the tick labels and the legend. Laid out by arithmetic rather than by matplotlib's "tight" bounding box,
# which draws each figure twice (measured: half the time of the charts).
WIDTH, LEFT, RIGHT, TOP, AXES_HEIGHT = 7.0, 0.8, 0.15, 0.35, 2.2
TEXT_LINE = 0.16  # one line of 8 pt text
LEGEND_ROW = 0.19


def _framed(*, tick_lines: int, xlabel: bool, legend_rows: int, right: float = RIGHT) -> tuple[plt.Figure, plt.Axes]:
    bottom = 0.12 + tick_lines * TEXT_LINE + (0.22 if xlabel else 0) + 0.1 + legend_rows * LEGEND_ROW
    height = TOP + AXES_HEIGHT + bottom
    figure, axes = plt.subplots(figsize=(WIDTH, height))
    figure.subplots_adjust(left=LEFT / WIDTH, right=1 - right / WIDTH, top=1 - TOP / height, bottom=bottom / height)
    return figure, axes


def _legend_below(figure: plt.Figure, axes: plt.Axes, ncols: int) -> None:
    figure.legend(
        *axes.get_legend_handles_labels(), ncols=ncols, frameon=False, loc="lower left", bbox_to_anchor=(0.07, 0.01)
    )


def _rows(entries: int, ncols: int) -> int:
    return -(-entries // ncols)


def _svg(figure: plt.Figure) -> bytes:
    out = io.StringIO()
    figure.savefig(out, format="svg")
    plt.close(figure)
    return out.getvalue().encode("utf-8")


def cost_by_option(charts: ChartData) -> bytes:
    ranked = charts.priced
    labels = [two_lines(o.label).replace("<br>", "\n") for o in ranked]
    shown = {c: [float(charts.by_category[o.option].get(c, Decimal(0))) for o in ranked] for c in charts.categories}
    figure, axes = _framed(
        tick_lines=max((label.count("\n") + 1 for label in labels), default=1),
        xlabel=False,
        legend_rows=_rows(len(shown), 3),
    )
    bottom = [0.0] * len(ranked)
    for category, values in shown.items():
        axes.bar(labels, values, bottom=bottom, label=CATEGORY_LABELS[category], color=COLORS[category])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_ylabel("USD a month")
    axes.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("${x:,.0f}"))
    if any(bottom):
        axes.set_ylim(0, max(bottom) * 1.08)  # headroom: the tallest bar does not touch the title
    _legend_below(figure, axes, 3)
    axes.set_title("Monthly cost by option")
    return _svg(figure)


def breakeven(sweep: Sweep) -> bytes:
    figure, axes = _framed(tick_lines=1, xlabel=True, legend_rows=_rows(len(sweep.costs), 2))
    xs = [float(x) for x in sweep.xs]
    for code, costs in sweep.costs.items():
        axes.plot(
            xs,
            [math.nan if c is None else float(c) for c in costs],
            marker="o",
            markersize=2.5,
            label=sweep.labels[code],
        )
    axes.set_xlabel("Replicas" if sweep.axis == "replicas" else "Active hours a day")
    axes.set_ylabel("USD a month")
    axes.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("${x:,.0f}"))
    _legend_below(figure, axes, 2)
    axes.set_title("Monthly cost as the replicas grow")
    axes.grid(alpha=0.3)
    return _svg(figure)


def hourly(charts: ChartData) -> bytes:
    """The engine's cost of each profile hour, as the web chart draws it (they add up to the table)."""
    labels = charts.hour_labels
    figure, axes = _framed(tick_lines=1, xlabel=False, legend_rows=_rows(len(charts.priced), 2))
    for option in charts.priced:
        series = charts.by_profile_hour[option.option]
        axes.step(range(len(series)), [float(c) for c in series], where="post", label=option.label)
    step = 24 if len(labels) == 168 else 3
    axes.set_xticks(range(0, len(labels), step), [labels[i] for i in range(0, len(labels), step)])
    axes.set_ylabel("USD a month, this hour")
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("${x:,.2f}"))
    _legend_below(figure, axes, 2)
    axes.set_title(HOURLY_TITLE)
    axes.grid(alpha=0.3)
    return _svg(figure)


def _steps(values: list[float]) -> tuple[list[int], list[float]]:
    """Hour edges and values for a step drawn over whole hours: the last hour gets its width too."""
    return list(range(len(values) + 1)), values + values[-1:]


def _hour_ticks(axes: plt.Axes, length: int) -> None:
    labels = profile_hour_labels(length)
    step = 24 if length == 168 else 3
    axes.set_xticks(range(0, length, step), [labels[i] for i in range(0, length, step)])
    axes.set_xlim(0, length)


def service_hours(usage: ServiceUsage) -> bytes:
    """One service's hours as the page draws them (figures.service_hours): for an autoscaling service the
    simulation's demand (shaded, right axis) against the replicas (the line, left axis), the axes lined up so
    that the line reads on the right as the capacity at the target; for an hourly profile, its replicas."""
    run = usage.scaling
    if run is None:
        replicas = [float(r) for r in usage.replicas_by_hour or ()]
        figure, axes = _framed(tick_lines=1, xlabel=False, legend_rows=0)
        axes.step(*_steps(replicas), where="post", color=REPLICAS_COLOR, linewidth=1.6)
        _hour_ticks(axes, len(replicas))
        top = max(max(replicas, default=0.0), 1.0) * 1.12
        axes.set_ylim(0, top)
        axes.yaxis.set_major_locator(matplotlib.ticker.MultipleLocator(replica_step(top)))
        axes.set_ylabel("Replicas")
        axes.set_title(f"{usage.name}: replicas each hour (its profile)")
        axes.grid(alpha=0.3)
        return _svg(figure)
    frame = scaling_frame(run)
    unit = usage.demand_unit or ""
    legend_entries = 2 + frame.show_min + frame.show_max
    # One entry a row: the replicas' entry is long (what the line means on each axis).
    figure, axes = _framed(tick_lines=1, xlabel=False, legend_rows=legend_entries, right=0.8)
    demand_axes = axes.twinx()
    demand_axes.spines["right"].set_visible(True)
    edges, demand = _steps([float(d) for d in run.demand_by_hour])
    demand_axes.fill_between(edges, demand, step="post", color=DEMAND_COLOR, alpha=0.25, linewidth=0)
    demand_axes.step(edges, demand, where="post", color=DEMAND_COLOR, linewidth=0.8, label=f"Demand ({unit}, right)")
    replicas_label = "Replicas (left)"
    if frame.per_replica > 0:
        replicas_label += f"; on the right, the {capacity_label(usage)}"
    axes.step(
        *_steps([float(r) for r in run.replicas_by_hour]),
        where="post",
        color=REPLICAS_COLOR,
        linewidth=1.6,
        label=replicas_label,
    )
    for shown, name, values in (
        (frame.show_min, "Min in force", run.min_by_hour),
        (frame.show_max, "Max in force", run.max_by_hour),
    ):
        if shown:
            axes.step(
                *_steps([float(v) for v in values]),
                where="post",
                color=BOUND_COLOR,
                linewidth=0.7,
                linestyle=":",
                label=name,
            )
    _hour_ticks(axes, len(run.replicas_by_hour))
    axes.set_ylim(0, frame.replicas_top)
    axes.yaxis.set_major_locator(matplotlib.ticker.MultipleLocator(replica_step(frame.replicas_top)))
    axes.set_ylabel("Replicas")
    if frame.per_replica > 0:
        demand_axes.set_ylim(0, frame.demand_top)
    else:
        demand_axes.set_ylim(bottom=0)
    demand_axes.set_ylabel(f"Demand ({unit})")
    # The replicas' line is drawn above the demand's shading (twinx puts the second axes on top).
    axes.set_zorder(demand_axes.get_zorder() + 1)
    axes.patch.set_visible(False)
    handles, labels = axes.get_legend_handles_labels()
    more_handles, more_labels = demand_axes.get_legend_handles_labels()
    figure.legend(
        more_handles + handles,
        more_labels + labels,
        ncols=1,
        frameon=False,
        loc="lower left",
        bbox_to_anchor=(0.07, 0.01),
    )
    axes.set_title(f"{usage.name}: demand and replicas, {policy_words(usage)}")
    axes.grid(alpha=0.3)
    return _svg(figure)


def service_svgs(charts: ChartData) -> dict[str, bytes]:
    """Each charted service's SVG, by the service's name."""
    return {usage.name: service_hours(usage) for usage in charts.services}


def svgs_for(comparison: Comparison) -> dict[str, bytes]:
    """The report's charts, by name: the same data the page draws."""
    charts = comparison.charts
    drawn: dict[str, bytes] = {}
    if charts.priced:
        drawn["cost"] = cost_by_option(charts)
    if charts.sweep is not None:
        drawn["breakeven"] = breakeven(charts.sweep)
    if charts.hour_labels and charts.priced:
        drawn["hourly"] = hourly(charts)
    drawn.update({f"{SERVICE_CHART}{name}": svg for name, svg in service_svgs(charts).items()})
    return drawn


# The name a service's chart goes by among the report's charts (a service name has no ":" or "/").
SERVICE_CHART = "service:"
