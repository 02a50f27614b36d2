"""A result as CSV (one row per line item) or as a plain-text table for a terminal, both in the order pages
list the options: the ranked ones cheapest first, then the priced but unranked ones, then the unavailable."""

from __future__ import annotations

import csv
import io

from compute_advisor.engine import Result, Scenario
from compute_advisor.engine.money import cents, plain
from compute_advisor.estimates.presentation import configuration_summary, priced_for

CSV_COLUMNS = [
    "option",
    "label",
    "available",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "cost",
    "category",
    "option_monthly_cost",
    "ranked",  # true/false: a priced option may be left out of the ranking (App Runner for a new account)
    "region",
    "vcpu",
    "memory_gib",
    "architecture",
    "os",
    "usage",
    "price_snapshot",
    "service",  # an application's service the line is for; empty for shared lines and one-service scenarios
]


def result_csv(result: Result, scenario: Scenario) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    # An application's services each have their own size and usage: the line's service column names it.
    one = scenario.workload if scenario.services is None else None
    common = [
        result.region,
        plain(one.vcpu) if one else "",
        plain(one.memory_gib) if one else "",
        one.architecture if one else "",
        one.os if one else "",
        scenario.usage.kind if scenario.usage else "application",
        f"{result.snapshot.id} ({result.snapshot.source}, {result.snapshot.as_of})",
    ]
    for option in result.listing:
        ranked = "true" if option.ranked else "false"
        if not option.available:
            writer.writerow(
                [option.option, option.label, "no", option.reason, "", "", "", "", "", "", ranked, *common, ""]
            )
            continue
        for line in option.line_items:
            writer.writerow(
                [
                    option.option,
                    option.label,
                    "yes",
                    line.description,
                    plain(line.quantity, places=6),
                    line.unit,
                    plain(line.unit_price, places=10),
                    str(cents(line.cost)),
                    line.category,
                    str(option.monthly_cost),
                    ranked,
                    *common,
                    line.service or "",
                ]
            )
    return out.getvalue()


def result_table(result: Result) -> str:
    lines = [
        f"Region {result.region}, a month of {plain(result.hours_per_month)} hours, prices from snapshot "
        f"{result.snapshot.id} ({result.snapshot.source}, as of {result.snapshot.as_of})",
        # What the figures rest on, as the pages and the PDF restate it.
        *(f"{label}: {text}" for label, text in priced_for(result)),
        "",
        f"{'#':>2}  {'option':<36} {'USD / month':>12} {'USD / year':>12}  configuration",
    ]
    for option in result.listing:
        if option.available:
            config = configuration_summary(option)
            rank = result.rank(option.option)
            lines.append(
                f"{rank or '-':>2}  {option.label:<36} {option.monthly_cost:>12} "
                f"{option.yearly_cost:>12}  {config}" + ("" if rank else "  (not ranked)")
            )
        else:
            lines.append(f"{'-':>2}  {option.label:<36} {'unavailable':>12} {'':>12}  {option.reason}")
    if result.ranking:
        best = result.option(result.ranking[0])
        lines += ["", f"Cheapest: {best.label} at {best.monthly_cost} USD a month ({best.yearly_cost} a year)."]
        if len(result.ranking) > 1:
            worst = result.option(result.ranking[-1])
            lines.append(
                f"The dearest option, {worst.label}, costs {cents(worst.total - best.total)} USD a month more."
            )
    return "\n".join(lines) + "\n"
