"""The EC2 Spot Instance Advisor's public feed: each Linux type's average Spot saving and interruption band.

The Price List has no Spot rates. AWS's Spot Instance Advisor page (https://aws.amazon.com/ec2/spot/instance-advisor/)
reads one public JSON file, `spot-advisor-data.json`:

    {"instance_types": {...}, "ranges": [{"index": 0, "label": "<5%", ...}, ...],
     "spot_advisor": {"<region>": {"Linux": {"<type>": {"s": <saving %>, "r": <range index>}}, "Windows": {...}}},
     "global_rate": ...}

A refresh part of service `EC2-SpotAdvisor` (price_keys.SPOT_ADVISOR_SERVICE) reads one region's Linux entries
into rows `SpotSaving:<type>`, unit "Percent", the saving as the row's figure and the band's label in its
attributes, so that a snapshot carries its own dated Advisor figures and the engine derives Spot rates from
them rather than from its bundled copy. The file is about 0.9 MB: it is read whole, within a size and a time
limit, and parsed with `json`. The feed has no date of its own, so the rows are dated the day it was read.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from compute_advisor.engine import price_keys
from pricing.normalize import Tally
from pricing.rows import PriceRow, SourceRef
from pricing.sources.bulk_api import SourceUnavailable

SERVICE_CODE = price_keys.SPOT_ADVISOR_SERVICE
SAVING = price_keys.EC2_SPOT_SAVING
DEFAULT_URL = "https://spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json"
# The real feed is about 0.9 MB (922,078 bytes on 2025-06-28). Twenty times that is room for AWS adding
# regions and types for years; anything larger is not the feed (an error page of a mirror, a wrong URL), and
# holding it whole in a worker's memory is what the limit prevents.
MAX_FEED_BYTES = 20 * 1024 * 1024
# Each network operation may wait this long; the whole download may take DEADLINE_SECONDS, so a server that
# trickles bytes cannot hold a refresh part (and its lease) for ever.
TIMEOUT_SECONDS = 30
DEADLINE_SECONDS = 120
CHUNK_BYTES = 64 * 1024
OPERATING_SYSTEM = "Linux"  # the engine prices Linux EC2 only
# file: lets an air-gapped install point PRICING_SPOT_ADVISOR_URL at a copy; nothing else is a feed.
SCHEMES = ("https", "http", "file")


class SpotAdvisorFeedError(ValueError):
    """The answer is not a Spot Advisor feed we can read: too large, not JSON, or not the feed's shape."""


def read_feed(url: str, *, max_bytes: int = MAX_FEED_BYTES, deadline_seconds: float = DEADLINE_SECONDS) -> bytes:
    """The feed's bytes, refused beyond `max_bytes` (announced or received) or `deadline_seconds`."""
    if urlsplit(url).scheme not in SCHEMES:
        raise SpotAdvisorFeedError(f"{url}: the Spot Advisor feed's URL must be http(s) or file")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            announced = response.headers.get("Content-Length")
            if announced and announced.isdigit() and int(announced) > max_bytes:
                raise SpotAdvisorFeedError(_too_large(url, int(announced), max_bytes))
            chunks: list[bytes] = []
            received = 0
            while chunk := response.read(CHUNK_BYTES):
                received += len(chunk)
                if received > max_bytes:
                    raise SpotAdvisorFeedError(_too_large(url, received, max_bytes, so_far=True))
                if time.monotonic() - started > deadline_seconds:
                    raise SourceUnavailable(f"{url}: the download took more than {deadline_seconds:g} s")
                chunks.append(chunk)
    # A connection cut mid-answer (http.client.IncompleteRead) is as worth retrying as one never made.
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, ConnectionError) as exc:
        raise SourceUnavailable(f"{url}: {exc}") from exc
    return b"".join(chunks)


def _too_large(url: str, size: int, limit: int, *, so_far: bool = False) -> str:
    got = f"more than {limit:,} bytes came" if so_far else f"it is {size:,} bytes"
    return (
        f"{url}: {got}, more than the {limit // (1024 * 1024)} MB a Spot Advisor feed may be (the real one is "
        "about 0.9 MB); it was not read"
    )


def feed_source(*, region: str, url: str, read_on: date) -> SourceRef:
    return SourceRef(
        ref=f"spot-advisor-{region}-{read_on.isoformat()}",
        title=f"EC2 Spot Instance Advisor feed (spot-advisor-data.json), Linux in {region}, read {read_on.isoformat()}",
        url=url if url.startswith(("http://", "https://")) else "",
        data_date=read_on,
        notes=(
            f"Read from {url}. s is the average saving of Spot against On-Demand in percent, r the index of the "
            "feed's interruption ranges (the share of instances interrupted in the last month), stored as its "
            "label. The feed has no date of its own: it is dated the day it was read."
        ),
    )


def rows_from_feed(
    body: bytes,
    *,
    region: str,
    url: str,
    read_on: date,
    tally: Tally,
    progress: Callable[[int], None] | None = None,
) -> tuple[SourceRef, list[PriceRow]]:
    """The region's Linux rows of a feed; each malformed entry is rejected and counted, never guessed."""
    try:
        feed = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SpotAdvisorFeedError(f"{url}: the Spot Advisor feed cannot be read as JSON: {exc}") from None
    if not isinstance(feed, dict) or not isinstance(feed.get("spot_advisor"), dict):
        raise SpotAdvisorFeedError(f"{url}: not a Spot Advisor feed (no spot_advisor object)")
    bands = _bands(feed.get("ranges"), url)
    by_os = feed["spot_advisor"].get(region)
    entries = by_os.get(OPERATING_SYSTEM) if isinstance(by_os, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise SpotAdvisorFeedError(f"{url}: the Spot Advisor feed has no Linux figures for {region}")
    # The other operating systems' entries are ones we have no use for.
    tally.skipped += sum(len(v) for k, v in by_os.items() if k != OPERATING_SYSTEM and isinstance(v, dict))
    source = feed_source(region=region, url=url, read_on=read_on)
    rows = []
    for instance_type, entry in entries.items():
        row = _row(region, instance_type, entry, bands, source.ref, read_on, tally)
        if row is not None:
            rows.append(row)
            tally.kept += 1
            if progress:
                progress(1)
    return source, rows


def _bands(ranges: Any, url: str) -> dict[int, str]:
    """The feed's interruption ranges, index -> label ("<5%" ... ">20%"), taken from the feed itself."""
    bands = {
        item["index"]: item["label"]
        for item in ranges or []
        if isinstance(item, dict) and _is_int(item.get("index")) and isinstance(item.get("label"), str)
    }
    if not isinstance(ranges, list) or not bands or len(bands) != len(ranges):
        raise SpotAdvisorFeedError(f"{url}: the Spot Advisor feed's interruption ranges are missing or malformed")
    return bands


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON true is not an index


def _row(
    region: str,
    instance_type: str,
    entry: Any,
    bands: dict[int, str],
    source_ref: str,
    read_on: date,
    tally: Tally,
) -> PriceRow | None:
    if not instance_type or any(c in instance_type for c in ": \t\n"):
        tally.reject("instance type is not a type name")
        return None
    key = SAVING.at(instance_type)[1]
    if not isinstance(entry, dict):
        tally.reject("entry is not an object", key=key)
        return None
    raw, band_index = entry.get("s"), entry.get("r")
    if not isinstance(raw, (int, float)) or isinstance(raw, bool):
        tally.reject("saving is not a number", key=key)
        return None
    try:
        saving = Decimal(str(raw))
    except InvalidOperation:
        tally.reject("saving is not a number", key=key)
        return None
    # A saving derives the Spot rate as On-Demand x (100 - s) / 100. Below 0 it would price Spot above
    # On-Demand, which AWS never charges (a Spot request's maximum price defaults to the On-Demand price); at
    # 100 or more, at nothing. The real feed of 2025-06-28 has one such entry, p5.48xlarge in ca-central-1 at
    # -62.
    if not saving.is_finite() or saving < 0 or saving >= 100:
        tally.reject("saving is not between 0 and 100 percent", key=key)
        return None
    if not _is_int(band_index) or band_index not in bands:
        tally.reject("interruption range is not one of the feed's", key=key)
        return None
    band = bands[band_index]
    return PriceRow(
        service_code=SERVICE_CODE,
        region=region,
        key=key,
        unit=SAVING.unit,
        usd=saving,
        description=(
            f"Spot Instance Advisor: {instance_type} Linux in {region} saves {saving}% on average against "
            f"On-Demand; interruptions {band} a month"
        ),
        attributes={"interruption_band": band, "interruption_range": band_index, "read_on": read_on.isoformat()},
        source_ref=source_ref,
    )


def fetch_spot_advisor(
    url: str,
    *,
    region: str,
    tally: Tally,
    progress: Callable[[int], None] | None = None,
    read_on: date | None = None,
) -> tuple[SourceRef, list[PriceRow]]:
    """Read the feed from `url` (PRICING_SPOT_ADVISOR_URL) and give the region's Linux rows."""
    # The day the feed was read, in UTC like the Price List's own dates; taken before the download.
    day = read_on or datetime.now(UTC).date()
    return rows_from_feed(read_feed(url), region=region, url=url, read_on=day, tally=tally, progress=progress)
