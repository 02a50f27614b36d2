"""The EC2 Spot Instance Advisor's feed as a refresh part: its rows, malformed entries, the size limit,
carry-over, and the engine using a snapshot's own figures. The feed is served from a local server (never
AWS): a cut-down of the real one (tests/pricing/offer_files/README.md says where it comes from)."""

import json
import threading
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from compute_advisor.comparison.service import comparison_from_data
from pricing.fetchers import fetch_part
from pricing.models import PriceRefresh
from pricing.normalize import Tally
from pricing.refresh import SERVICES, RefreshRefused, refresh_finish, refresh_part_run, refresh_start
from pricing.selectors import price_snapshot_active, snapshot_diff
from pricing.sources.bulk_api import SourceUnavailable
from pricing.sources.spot_advisor import (
    MAX_FEED_BYTES,
    SERVICE_CODE,
    SpotAdvisorFeedError,
    read_feed,
    rows_from_feed,
)
from pricing.tasks import launch_refresh
from tests.factories import scenario_data
from tests.pricing.offers import ecs_offer
from tests.pricing.test_refresh import QuietHandler

FEED = Path(__file__).parent / "offer_files" / "spot-advisor-data-us-east-1-eu-west-1-ca-central-1.json"


def feed() -> dict:
    return json.loads(FEED.read_bytes())


@pytest.fixture
def serve(tmp_path, settings):
    """Serve a feed (the fixture unless a test gives another body) at PRICING_SPOT_ADVISOR_URL."""
    servers = []

    def start(body: bytes | None = None, *, handler=None) -> str:
        root = tmp_path / f"feed{len(servers)}"
        root.mkdir()
        (root / "spot-advisor-data.json").write_bytes(FEED.read_bytes() if body is None else body)
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler or partial(QuietHandler, directory=str(root)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        settings.PRICING_SPOT_ADVISOR_URL = f"http://127.0.0.1:{server.server_address[1]}/spot-advisor-data.json"
        return settings.PRICING_SPOT_ADVISOR_URL

    yield start
    for server in servers:
        server.shutdown()


def run_part(region: str = "us-east-1"):
    refresh = refresh_start(source="bulk", regions=[region], services=[SERVICE_CODE])
    return refresh, refresh_part_run(part=refresh.parts.get(), fetch=fetch_part)


def test_a_refresh_reads_each_linux_types_saving_and_band_from_the_feed(seeded, serve):
    url = serve()
    refresh, outcome = run_part("us-east-1")
    assert (outcome.rows, outcome.rejected) == (894, 0)  # every us-east-1 Linux entry of the real feed
    assert refresh_finish(refresh=refresh).status == "succeeded", refresh.error
    active = price_snapshot_active()
    today = datetime.now(UTC).date()
    # The real feed's figures: m5.large {"s": 66, "r": 3}, m6i.large {"s": 63, "r": 2}; range 3 is "15-20%".
    m5 = active.prices.get(service_code="EC2-SpotAdvisor", region="us-east-1", key="SpotSaving:m5.large")
    assert (m5.usd, m5.unit) == (Decimal(66), "Percent")
    assert m5.attributes == {"interruption_band": "15-20%", "interruption_range": 3, "read_on": today.isoformat()}
    m6i = active.prices.get(service_code="EC2-SpotAdvisor", region="us-east-1", key="SpotSaving:m6i.large")
    assert (m6i.usd, m6i.attributes["interruption_band"]) == (Decimal(63), "10-15%")
    assert (m5.source.ref, m5.source.url, m5.source.data_date) == (f"spot-advisor-us-east-1-{today}", url, today)
    assert (
        m5.source.title == f"EC2 Spot Instance Advisor feed (spot-advisor-data.json), Linux in us-east-1, read {today}"
    )
    assert "Fresh from the EC2 Spot Instance Advisor's feed: EC2-SpotAdvisor us-east-1." in active.notes
    assert not active.prices.filter(service_code="EC2-SpotAdvisor").exclude(region="us-east-1").exists()


def test_the_real_feeds_one_negative_saving_is_counted_as_malformed_and_the_region_still_refreshes(seeded, serve):
    serve()
    refresh, outcome = run_part("ca-central-1")
    # ca-central-1 p5.48xlarge is {"s": -62, "r": 0}: a Spot rate above On-Demand, which AWS never charges.
    assert (outcome.rows, outcome.rejected) == (529, 1)
    assert outcome.reasons == {"saving is not between 0 and 100 percent": 1}
    assert refresh_finish(refresh=refresh).status == "succeeded"
    prices = price_snapshot_active().prices.filter(service_code="EC2-SpotAdvisor", region="ca-central-1")
    assert not prices.filter(key="SpotSaving:p5.48xlarge").exists()


MALFORMED = [
    {"s": "NaN", "r": 0},
    {"s": None, "r": 1},
    {"s": 150, "r": 2},
    {"s": True, "r": 3},
    {"s": 40, "r": 9},
    {"s": 40},
    [40, 1],
    {"s": 100, "r": 4},
    {"s": float("nan"), "r": 4},
]


@pytest.mark.parametrize(("spoiled", "refused"), [(8, False), (9, True)])
def test_a_part_is_refused_when_more_than_one_percent_of_its_entries_are_malformed(seeded, serve, spoiled, refused):
    data = feed()
    linux = data["spot_advisor"]["us-east-1"]["Linux"]
    for instance_type, bad in zip(list(linux)[:spoiled], MALFORMED, strict=False):
        linux[instance_type] = bad
    serve(json.dumps(data).encode())
    if not refused:  # 8 of 894: 0.9 %
        _, outcome = run_part()
        assert (outcome.rows, outcome.rejected) == (894 - 8, 8)
        assert sum(outcome.reasons.values()) == 8
        return
    with pytest.raises(RefreshRefused, match=r"9 of the 894 prices the source gave were malformed .*more than the 1%"):
        run_part()  # 9 of 894: 1.01 %


def test_the_feeds_shape_is_checked_before_any_entry(serve):
    tally = Tally()
    for body, message in [
        (b"<html>503</html>", "cannot be read as JSON"),
        (b'{"ranges": []}', "no spot_advisor object"),
        (json.dumps({**feed(), "ranges": [{"index": 0}]}).encode(), "interruption ranges are missing or malformed"),
    ]:
        with pytest.raises(SpotAdvisorFeedError, match=message):
            rows_from_feed(body, region="us-east-1", url="u", read_on=datetime.now(UTC).date(), tally=tally)
    with pytest.raises(SpotAdvisorFeedError, match="has no Linux figures for eu-north-1"):
        rows_from_feed(FEED.read_bytes(), region="eu-north-1", url="u", read_on=datetime.now(UTC).date(), tally=tally)


class Unannounced(BaseHTTPRequestHandler):
    """An answer with no Content-Length, larger than the limit: only counting the bytes received stops it."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        chunk = b" " * (1 << 20)
        try:
            for _ in range(MAX_FEED_BYTES // len(chunk) + 2):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as it should

    def log_message(self, *args):
        pass


def test_a_body_larger_than_the_limit_is_refused_announced_or_not(serve):
    url = serve(b" " * (MAX_FEED_BYTES + 1))  # announced: its Content-Length is too large, nothing is read
    with pytest.raises(SpotAdvisorFeedError, match=r"it is 20,971,521 bytes, more than the 20 MB a Spot Advisor feed"):
        read_feed(url)
    url = serve(handler=Unannounced)
    with pytest.raises(SpotAdvisorFeedError, match=r"more than 20,971,520 bytes came, more than the 20 MB"):
        read_feed(url)
    assert len(read_feed(serve())) == FEED.stat().st_size  # the real feed is far below it


def test_a_too_large_or_unreachable_feed_fails_the_refresh_and_the_active_snapshot_stays(
    seeded, serve, settings, django_capture_on_commit_callbacks
):
    serve(b" " * (MAX_FEED_BYTES + 1))
    refresh = refresh_start(source="bulk", regions=["us-east-1"], services=[SERVICE_CODE])
    with django_capture_on_commit_callbacks(execute=True):
        launch_refresh(refresh)
    refresh.refresh_from_db()
    part = refresh.parts.get()
    assert (refresh.status, refresh.failure, part.failure) == ("failed", "parts", "bad_source")
    assert "more than the 20 MB" in part.error
    assert price_snapshot_active().pk == seeded.pk
    settings.PRICING_SPOT_ADVISOR_URL = "http://127.0.0.1:9/spot-advisor-data.json"  # nothing listens there
    with pytest.raises(SourceUnavailable):
        read_feed(settings.PRICING_SPOT_ADVISOR_URL)


def test_a_later_refresh_that_does_not_read_the_feed_carries_its_figures_over_unflagged(seeded, serve, tmp_path):
    serve()
    refresh, _ = run_part("us-east-1")
    refresh_finish(refresh=refresh)
    first = price_snapshot_active()
    call_command("refresh_prices", "--offer-file", str(ecs_offer(tmp_path)), "--region", "us-east-1")
    later = price_snapshot_active()
    assert later.pk != first.pk
    carried = later.prices.get(service_code="EC2-SpotAdvisor", region="us-east-1", key="SpotSaving:m5.large")
    assert (carried.usd, carried.attributes["interruption_band"]) == (Decimal(66), "15-20%")
    assert "carried_over_from" not in carried.attributes
    assert carried.source.ref == first.prices.get(key="SpotSaving:m5.large").source.ref  # still the day it was read
    assert later.prices.filter(service_code="EC2-SpotAdvisor").count() == 894


def test_a_type_the_next_feed_leaves_out_is_carried_over_flagged(seeded, serve):
    serve()
    refresh, _ = run_part("us-east-1")
    refresh_finish(refresh=refresh)
    first = price_snapshot_active()
    data = feed()
    del data["spot_advisor"]["us-east-1"]["Linux"]["m5.large"]
    serve(json.dumps(data).encode())
    refresh, outcome = run_part("us-east-1")
    assert outcome.rows == 893
    assert refresh_finish(refresh=refresh).status == "succeeded"
    carried = price_snapshot_active().prices.get(service_code="EC2-SpotAdvisor", key="SpotSaving:m5.large")
    assert carried.attributes["carried_over_from"] == first.pk
    assert refresh.parts.get().carried_over == 1


def test_the_command_and_the_default_refresh_include_the_feed(seeded, serve, capsys):
    assert SERVICES[-1] == SERVICE_CODE
    assert {p.service_code for p in refresh_start(source="bulk", regions=["eu-west-1"]).parts.all()} == set(SERVICES)
    PriceRefresh.objects.all().delete()
    serve()
    call_command("refresh_prices", "--region", "eu-west-1", "--service", SERVICE_CODE)
    assert "is active" in capsys.readouterr().out
    m5 = price_snapshot_active().prices.get(
        service_code="EC2-SpotAdvisor", region="eu-west-1", key="SpotSaving:m5.large"
    )
    assert (m5.usd, m5.attributes["interruption_band"]) == (Decimal(57), "5-10%")  # the real {"s": 57, "r": 1}


def test_a_spot_comparison_names_the_snapshots_copy_of_the_feed(seeded, serve):
    serve()
    refresh, _ = run_part("us-east-1")
    refresh_finish(refresh=refresh)
    today = datetime.now(UTC).date()
    data = scenario_data(usage={"replicas": 3}, options=["ecs_ec2"], purchase="spot", public_ipv4=False)
    result = comparison_from_data(scenario_data=data).result.option("ecs_ec2")
    assert result.available, result.unavailable_reason
    where = f"the price snapshot's copy of {today}, source spot-advisor-us-east-1-{today}"
    (instances,) = [
        line for line in result.line_items if line.description.startswith("EC2 ") and "Spot" in line.description
    ]
    assert f"(from {where})" in instances.description
    assert result.configuration["spot_advisor"] == where


def test_the_diff_shows_an_advisor_figure_as_a_percentage_not_dollars(seeded, serve):
    serve()
    refresh, _ = run_part("us-east-1")
    refresh_finish(refresh=refresh)
    first = price_snapshot_active()
    data = feed()
    data["spot_advisor"]["us-east-1"]["Linux"]["m5.large"] = {"s": 70, "r": 3}
    serve(json.dumps(data).encode())
    refresh, _ = run_part("us-east-1")
    refresh_finish(refresh=refresh)
    diff = snapshot_diff(older=first, newer=price_snapshot_active(), region="us-east-1")
    assert [(c.key, c.before, c.after) for c in diff.up] == [("SpotSaving:m5.large", Decimal(66), Decimal(70))]
    html = render_to_string("pricing/_changes.html", {"title": "Went up", "changes": diff.up})
    assert '<td class="num">66</td>' in html
    assert '<td class="num">70</td>' in html
    assert "$" not in html
