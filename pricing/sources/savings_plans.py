"""Compute Savings Plans rates: the Bulk API's Savings Plans offer files, or the Savings Plans API.

Rates are stored under service `ComputeSavingsPlans` with key `<term>:<service>:<usage type>`, e.g.
`1y:AmazonEC2:BoxUsage:m6i.large` or `3y:AmazonECS:Fargate-vCPU-Hours:perCPU`, for the No Upfront
payment option: the engine looks them up with the same keys as the on-demand rates they discount. Only the
rates of prices the engine's price-key registry marks as discounted by Savings Plans are kept.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import ijson

from compute_advisor.engine import price_keys
from pricing.normalize import Tally
from pricing.price_list_items import strip_region
from pricing.rows import PriceRow, SourceRef
from pricing.sources.bulk_api import SourceUnavailable, _get, downloaded
from pricing.sources.offer_file import OfferFileError

SERVICE_CODE = price_keys.SAVINGS_PLANS_SERVICE
SP_INDEX_PATH = "/savingsPlan/v1.0/aws/AWSComputeSavingsPlan/current/region_index.json"
TERMS = {1: "1y", 3: "3y"}
SECONDS_PER_YEAR = 31536000


def _rate_row(
    region: str,
    term: str,
    service: str,
    usage_type: str,
    operation: str,
    unit: str,
    price: Any,
    source_ref: str,
    tally: Tally,
) -> PriceRow | None:
    usage = strip_region(usage_type, region)
    discounted = price_keys.discounted_by_savings_plans(service, usage)
    if discounted is None:
        return None
    # Linux, shared tenancy: the operation of Linux instances is plain RunInstances.
    if service == "AmazonEC2" and operation != "RunInstances":
        return None
    try:
        usd = Decimal(str(price))
    except InvalidOperation:
        tally.reject("rate is not a decimal number")
        return None
    if not usd.is_finite() or usd <= 0:
        tally.reject("rate is zero, negative or not finite")
        return None
    service_code, key = price_keys.savings_plan_rate(term, service, usage)
    return PriceRow(
        service_code=service_code,
        region=region,
        key=key,
        unit=discounted.unit,
        usd=usd,
        description=f"Compute Savings Plan, {term[0]} year, No Upfront: {service} {usage}",
        source_ref=source_ref,
    )


def rows_from_savings_plan_file(
    path: Path | str, *, region: str, tally: Tally, url: str = "", progress: Callable[[int], None] | None = None
) -> tuple[SourceRef, list[PriceRow]]:
    # Three streaming passes over the file, so that it is never held in memory: its header, its plans
    # (products), then the rates of the plans kept.
    try:
        meta = _file_meta(path)
        plans = _no_upfront_plans(path, tally)
        version = meta.get("version", "unknown")
        source = SourceRef(
            ref=f"price-list-savings-plans-{region}-{version}",
            title=f"AWS Price List Bulk API, Compute Savings Plans offer file for {region}, version {version}",
            url=url if url.startswith(("http://", "https://")) else "",
            data_date=_date(meta.get("publicationDate", "")),
        )
        rows = _plan_rows(path, plans, region=region, source_ref=source.ref, tally=tally, progress=progress)
    except ijson.JSONError as exc:
        raise OfferFileError(f"the Savings Plans file cannot be read as JSON: {str(exc).splitlines()[0]}") from None
    return source, rows


def _file_meta(path: Path | str) -> dict[str, str]:
    """The file's version and publication date, read from its header (they come before the products)."""
    meta: dict[str, str] = {}
    with open(path, "rb") as handle:
        for prefix, event, value in ijson.parse(handle, use_float=False):
            if prefix in {"version", "publicationDate"} and event == "string":
                meta[prefix] = value
            if prefix == "products":
                break
    return meta


def _no_upfront_plans(path: Path | str, tally: Tally) -> dict[str, str]:
    """The term ("1y" or "3y") of each No Upfront plan, by SKU."""
    plans: dict[str, str] = {}
    with open(path, "rb") as handle:
        for product in ijson.items(handle, "products.item", use_float=False):
            attributes = product.get("attributes") or {}
            if attributes.get("purchaseOption") != "No Upfront":
                tally.skipped += 1
                continue
            years = {"1yr": 1, "3yr": 3}.get(str(attributes.get("purchaseTerm")))
            if years is None:
                tally.skipped += 1
                continue
            plans[str(product.get("sku"))] = TERMS[years]
    return plans


def _plan_rows(
    path: Path | str,
    plans: dict[str, str],
    *,
    region: str,
    source_ref: str,
    tally: Tally,
    progress: Callable[[int], None] | None,
) -> list[PriceRow]:
    rows: list[PriceRow] = []
    with open(path, "rb") as handle:
        for term in ijson.items(handle, "terms.savingsPlan.item", use_float=False):
            name = plans.get(str(term.get("sku")))
            if name is None:
                continue
            for rate in term.get("rates") or []:
                # A region's file also holds the rates of its Local Zones ("DEN1-BoxUsage:c5d.2xlarge",
                # discountedRegionCode us-west-2-den-1): only the region's own are its rates.
                if rate.get("discountedRegionCode", region) != region:
                    tally.skipped += 1
                    continue
                row = _rate_row(
                    region,
                    name,
                    str(rate.get("discountedServiceCode", "")),
                    str(rate.get("discountedUsageType", "")),
                    str(rate.get("discountedOperation", "")),
                    str(rate.get("unit", "")),
                    (rate.get("discountedRate") or {}).get("price"),
                    source_ref,
                    tally,
                )
                if row is not None:
                    rows.append(row)
                    tally.kept += 1
                    if progress:
                        progress(1)
    return rows


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def fetch_savings_plans_bulk(
    base_url: str, *, region: str, tally: Tally, progress: Callable[[int], None] | None = None
) -> tuple[SourceRef, list[PriceRow]]:
    index = json.loads(_get(urljoin(base_url, SP_INDEX_PATH)))
    regions = index.get("regions") if isinstance(index, dict) else None
    entry = next((r for r in regions or [] if isinstance(r, dict) and r.get("regionCode") == region), None)
    if entry is None:
        raise SourceUnavailable(f"the Compute Savings Plans index has no file for {region}")
    url = urljoin(base_url, entry["versionUrl"])
    with downloaded(url) as path:
        return rows_from_savings_plan_file(path, region=region, tally=tally, url=url, progress=progress)


def fetch_savings_plans_api(
    client: Any,
    *,
    region: str,
    tally: Tally,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int], None] | None = None,
) -> tuple[SourceRef, list[PriceRow]]:
    """The Savings Plans API (boto3 `savingsplans`): DescribeSavingsPlansOfferingRates, paginated."""
    from pricing.sources.query_api import call_with_retries

    # The day the API was read, in UTC like the price list's own dates; taken once (see fetch_query).
    read_on = datetime.now(UTC).date()
    source = SourceRef(
        ref=f"savings-plans-api-{region}-{read_on.isoformat()}",
        title=f"AWS Savings Plans API, Compute Savings Plans rates in {region}, read {read_on.isoformat()}",
        url="https://docs.aws.amazon.com/savingsplans/latest/APIReference/API_DescribeSavingsPlansOfferingRates.html",
        data_date=read_on,
    )
    rows: list[PriceRow] = []
    kwargs: dict[str, Any] = {
        "savingsPlanTypes": ["Compute"],
        "savingsPlanPaymentOptions": ["No Upfront"],
        "products": ["EC2", "Fargate"],
        "filters": [{"name": "region", "values": [region]}],
        "maxResults": 1000,
    }
    while True:
        page = call_with_retries(lambda: client.describe_savings_plans_offering_rates(**kwargs), sleep=sleep)
        for rate in page.get("searchResults", []):
            offering = rate.get("savingsPlanOffering") or {}
            years = round(int(offering.get("durationSeconds", 0)) / SECONDS_PER_YEAR)
            if years not in TERMS:
                tally.skipped += 1
                continue
            service = {"EC2": "AmazonEC2", "Fargate": "AmazonECS"}.get(str(rate.get("productType")), "")
            row = _rate_row(
                region,
                TERMS[years],
                service,
                str(rate.get("usageType", "")),
                str(rate.get("operation", "")),
                str(rate.get("unit", "")),
                rate.get("rate"),
                source.ref,
                tally,
            )
            if row is not None:
                rows.append(row)
                tally.kept += 1
                if progress:
                    progress(1)
            else:
                tally.skipped += 1
        token = page.get("nextToken")
        if not token:
            return source, rows
        kwargs["nextToken"] = token
