"""A scenario's report: its result and charts as a PDF (WeasyPrint), CSV or JSON."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from compute_advisor.charts.svg import SERVICE_CHART, svgs_for
from compute_advisor.comparison.result_cache import result_key
from compute_advisor.comparison.service import Comparison, comparison_get
from compute_advisor.engine import Result, Scenario, parse_scenario
from compute_advisor.estimates.formats import result_csv
from compute_advisor.estimates.page_cache import rendering_digest
from compute_advisor.estimates.presentation import priced_for, rows, service_sections
from compute_advisor.lib.cache_or_compute import cache_or_compute
from compute_advisor.lib.limits import render_slot
from pricing.models import PriceSnapshot

PAPER = {"a4": "A4", "letter": "Letter"}
CHART_SCHEME = "chart:"


@dataclass
class Report:
    scenario_data: dict[str, Any]
    comparison: Comparison
    title: str
    recommendation: Any = None

    @property
    def scenario(self) -> Scenario:
        return self.comparison.scenario

    @property
    def result(self) -> Result:
        return self.comparison.result

    @property
    def snapshot(self) -> PriceSnapshot:
        return self.comparison.snapshot


def report_for(
    *, scenario_data: dict[str, Any], snapshot: PriceSnapshot, title: str = "", recommendation: Any = None
) -> Report:
    scenario = parse_scenario(scenario_data)
    return Report(
        scenario_data=scenario_data,
        comparison=comparison_get(scenario=scenario, snapshot=snapshot),
        title=title or scenario.name or "Container cost comparison",
        recommendation=recommendation,
    )


def report_json(report: Report) -> str:
    """Exactly the contract's result, with the scenario it answers."""
    return json.dumps({**report.result.to_json(), "scenario": report.scenario_data}, indent=2)


def report_csv(report: Report) -> str:
    return result_csv(report.result, report.scenario)


def report_pdf(report: Report, *, paper: str = "a4", client: str | None = None) -> bytes:
    """The PDF, from the cache when the same report was made before (same scenario, prices, title, paper,
    wizard answers and code): rendering takes most of a second, serving a cached one a millisecond. A render
    holds one of the process's few render slots, and counts against `client`'s share (see lib.limits)."""

    def render() -> bytes:
        with render_slot(client):
            return _render_pdf(report, paper)

    return cache_or_compute(pdf_key(report, paper), render, seconds=settings.RESULT_CACHE_SECONDS, kind=bytes)


def pdf_key(report: Report, paper: str) -> str:
    names = f"{report.title}\0{report.scenario.name or ''}"
    if report.recommendation is not None:  # the wizard's report also says what it was told and recommends
        names += "\0" + json.dumps(report.recommendation.to_json(), sort_keys=True, default=str)
    digest = hashlib.sha256(names.encode()).hexdigest()[:16]
    return f"pdf:{rendering_digest()}:{result_key(report.scenario, report.snapshot)}:{PAPER.get(paper, 'A4')}:{digest}"


def _render_pdf(report: Report, paper: str) -> bytes:
    from weasyprint import HTML

    charts = svgs_for(report.comparison)
    crossings = [c.sentence for c in report.comparison.crossings]
    sources = list(report.snapshot.sources.filter(prices__region=report.scenario.region).distinct().order_by("ref"))
    html = render_to_string(
        "reports/report.html",
        {
            "report": report,
            "result": report.result,
            "scenario": report.scenario,
            "rows": rows(report.result),
            "priced_for": priced_for(report.result),
            # The page links each chart by name and WeasyPrint fetches its SVG below, through a fetcher that
            # serves nothing else: no base64 round trip, and no way for report text to reach a file or the net.
            "charts": {name: f"{CHART_SCHEME}{name}" for name in charts},
            # A section per service of an application, each with its chart when it has one.
            "services": [
                (
                    section,
                    f"{CHART_SCHEME}{SERVICE_CHART}{section.name}"
                    if f"{SERVICE_CHART}{section.name}" in charts
                    else "",
                )
                for section in service_sections(report.result, report.scenario)
            ],
            "crossings": crossings,
            "sources": sources,
            "paper": PAPER.get(paper, "A4"),
            "generated": datetime.now(UTC),
        },
    )
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_charts_only(charts))
    pdf: bytes = document.write_pdf()
    return pdf


def _charts_only(charts: dict[str, bytes]) -> Any:
    """WeasyPrint's fetcher for a report: its own charts, and nothing else, ever (no file, no network), so no
    text in a report can make the server read or request anything."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartsOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            name = url.removeprefix(CHART_SCHEME)
            if url.startswith(CHART_SCHEME) and name in charts:
                return URLFetcherResponse(url, body=charts[name], headers={"Content-Type": "image/svg+xml"})
            raise ValueError(f"a report fetches only its charts, not {url[:80]}")

    return ChartsOnly()
