"""`make bench`: figures for the foundation's hot paths, printed, never asserted.

Runs against a throw-away SQLite database (or DATABASE_URL when set) so that it never touches the
developer's data.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compute_advisor.settings_test")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='bench-')}/bench.sqlite3"


def timed(label: str, action: Callable[[], object], repeat: int = 5) -> float:
    """Print and return the median milliseconds of `repeat` runs."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    median = statistics.median(samples)
    print(f"{label:<58} median {median:8.1f} ms   min {min(samples):8.1f} ms   n={repeat}")
    return median


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from compute_advisor.engine import reference
    from pricing.models import PriceSnapshot
    from pricing.seedfile import read_seed_file
    from pricing.services import price_snapshot_load_seed

    call_command("migrate", verbosity=0)
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")

    timed("read and check the seed file", lambda: read_seed_file(settings.SEED_PRICES_FILE))

    def fresh_load() -> None:
        PriceSnapshot.objects.all().delete()
        price_snapshot_load_seed(path=settings.SEED_PRICES_FILE)

    timed("load the seed snapshot into an empty database", fresh_load)
    timed(
        "load the seed again (recognised, nothing written)",
        lambda: price_snapshot_load_seed(path=settings.SEED_PRICES_FILE),
    )

    def parse_reference() -> None:
        for reader in (reference.instance_types, reference.fargate_task_sizes, reference.services):
            reader.cache_clear()
            reader()

    timed("parse the engine's reference files", parse_reference)

    engine_figures()

    from bench import offer_ingest

    offer_ingest.main()

    client = Client(HTTP_HOST="127.0.0.1")
    compare = (
        "/compare/?submitted=1&region=us-east-1&vcpu=1&memory_gib=2&architecture=x86_64&os=linux"
        "&ephemeral_storage_gib=20&disk_gib=30&usage_kind=hourly&preset=weekday_peak&replicas=8&hours_per_month=730"
        "&data_transfer_out_gib=500&requests_per_second=40&avg_response_kib=16&load_balancer=auto&public_ipv4=on"
        "&purchase=on_demand" + "".join(f"&options={o}" for o in reference.SERVICE_CODES)
    )
    for url in ("/", "/catalog/", "/catalog/fargate/", "/catalog/ec2-instance-types/?priced_only=on", compare):
        status = client.get(url).status_code
        if status != 200:
            raise SystemExit(f"GET {url} answered {status}")
        label = "GET /compare/ (168-hour profile, all options, charts)" if url.startswith("/compare/") else f"GET {url}"
        timed(label + (", cached" if url == compare else ""), partial(client.get, url), repeat=10)
    # Uncached: a cache key nobody has asked for yet, each time (the replica count of the profile's peak).
    fresh = iter(range(100, 10_000))
    timed(
        "GET /compare/ (the same, never asked before: engine, charts, render)",
        lambda: client.get(compare.replace("&replicas=8", f"&replicas={next(fresh)}")),
        repeat=10,
    )


def ten_autoscaling_services() -> list[dict[str, object]]:
    """An application of 10 services of different sizes, each autoscaling on CPU over a week's demand."""
    services = []
    for index in range(10):
        vcpu = ["0.25", "0.5", "1", "2"][index % 4]
        demand = [str((1 + index % 3) * (1 + (h % 24 >= 8) * 3 - (h // 24 >= 5) * 1)) for h in range(168)]
        services.append(
            {
                "name": f"service-{index}",
                "workload": {"vcpu": vcpu, "memory_gib": str(2 * float(vcpu))},
                "usage": {
                    "kind": "autoscaling",
                    "min_replicas": 1,
                    "max_replicas": 40,
                    "demand_by_hour": demand,
                    "policy": {"type": "target_tracking", "metric": "cpu", "target": 60},
                },
                "load_balanced": index < 5,
            }
        )
    return services


def engine_figures() -> None:
    from django.test import Client

    from compute_advisor.engine import estimate, parse_scenario
    from compute_advisor.engine.breakeven import sweep
    from pricing.selectors import price_snapshot_active
    from pricing.snapshot_book import snapshot_price_book

    snapshot = price_snapshot_active()
    assert snapshot is not None
    timed("load the us-east-1 price book from the database", lambda: snapshot_price_book(snapshot, "us-east-1"))
    book = snapshot_price_book(snapshot, "us-east-1")
    instance_types = len(list(book.keys("AmazonEC2", "BoxUsage:")))
    base = {"region": "us-east-1", "workload": {"vcpu": "1", "memory_gib": "2"}}
    always_on = parse_scenario({**base, "usage": {"kind": "always_on", "replicas": 12}})
    week = [2 + (h % 24 >= 8) * 6 + (h % 24 >= 18) * -4 for h in range(168)]
    weekly = parse_scenario({**base, "usage": {"kind": "hourly", "replicas_by_hour": week}})
    estimate(always_on, book)  # the first call also builds the book's packing candidates
    print(f"(packing over {instance_types} priced instance types in us-east-1)")
    one = timed("compare all options, always on (12 replicas)", lambda: estimate(always_on, book), repeat=50)
    timed("compare all options, 168-hour profile", lambda: estimate(weekly, book), repeat=50)
    swept = timed("break-even sweep over replicas (all options)", lambda: sweep(always_on, book), repeat=5)
    # The ratios time what a request does, parse and compare, so that nothing worked out for one parsed
    # scenario (its simulation) is counted for free in a later run.
    ten_data = {"region": "us-east-1", "services": ten_autoscaling_services()}
    one_data = {**base, "usage": {"kind": "always_on", "replicas": 12}}
    estimate(parse_scenario(ten_data), book)
    ten = timed(
        "parse + compare, 10 services autoscaling over 168 hours", lambda: estimate(parse_scenario(ten_data), book), 10
    )
    one_parsed = timed(
        "parse + compare, one service always on", lambda: estimate(parse_scenario(one_data), book), repeat=50
    )
    client = Client(HTTP_HOST="127.0.0.1")
    view = timed("trivial Django view through the test client", lambda: client.get("/healthz"), repeat=50)
    # Side by side in one run (the machine's noise cancels out): the targets are 10, 0.5 and 5.
    ratio = ten / one_parsed
    print(f"ratio: 10-service autoscaling application / one always-on comparison   {ratio:6.2f}  (target <= 10)")
    print(f"ratio: one comparison / trivial Django view                           {one / view:6.2f}  (target <= 0.5)")
    print(f"ratio: break-even sweep / one comparison                              {swept / one:6.2f}  (target <= 5)")

    from compute_advisor.reports.builder import report_csv, report_for, report_pdf

    report = report_for(
        scenario_data={**base, "usage": {"kind": "hourly", "replicas_by_hour": week[:24]}}, snapshot=snapshot
    )
    import gc

    from compute_advisor.reports.builder import _render_pdf

    _render_pdf(report, "a4")  # the first one loads fonts and matplotlib
    # As a production worker does (compute_advisor/gunicorn_conf.py): long-lived objects out of the collector's way.
    gc.collect()
    gc.freeze()
    timed("PDF report of one scenario, rendered (13 pages, 3 SVG charts)", lambda: _render_pdf(report, "a4"), repeat=5)
    report_pdf(report)
    timed("PDF report of one scenario, made before (from the cache)", lambda: report_pdf(report), repeat=20)
    timed("CSV export of one scenario", lambda: report_csv(report), repeat=20)
    application_figures(ten_data)


def application_figures(ten_data: Mapping[str, Any]) -> None:
    """The 10-service application's page (its result cached, as a second visit finds it), the chart data of
    its services alone, and its PDF with a section and an SVG chart per service."""
    import json
    from urllib.parse import urlencode

    from django.test import Client

    from compute_advisor.charts.figures import service_charts
    from compute_advisor.charts.svg import service_svgs
    from compute_advisor.comparison.service import comparison_from_data
    from compute_advisor.reports.builder import _render_pdf, report_for
    from pricing.selectors import price_snapshot_active

    comparison = comparison_from_data(scenario_data=ten_data)
    charts = comparison.charts
    timed("the 10 services' demand-against-replicas figures (plotly)", lambda: service_charts(charts), repeat=20)
    timed("the 10 services' charts as SVG (matplotlib, for the PDF)", lambda: service_svgs(charts), repeat=3)
    url = "/compare/application/?" + urlencode({"scenario": json.dumps(ten_data)})
    client = Client(HTTP_HOST="127.0.0.1")
    if client.get(url).status_code != 200:
        raise SystemExit(f"GET {url[:60]}... did not answer 200")
    timed("GET /compare/application/ (10 autoscaling services, charts)", partial(client.get, url), repeat=10)
    snapshot = price_snapshot_active()
    assert snapshot is not None
    report = report_for(scenario_data=dict(ten_data), snapshot=snapshot)
    timed("PDF report of the 10-service application, rendered", lambda: _render_pdf(report, "a4"), repeat=3)


if __name__ == "__main__":
    main()
