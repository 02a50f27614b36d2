"""The fetcher a refresh part uses, by source: a local offer file, the Bulk API, or the Query API; and, for
the Spot Instance Advisor's part, its public feed whatever the refresh's source (the Price List has no Spot)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from pricing.models import PriceRefresh, PriceRefreshPart
from pricing.normalize import Tally
from pricing.rows import PriceRow, SourceRef
from pricing.sources.bulk_api import fetch_bulk, rows_from_offer_file
from pricing.sources.query_api import fetch_query, pricing_client
from pricing.sources.savings_plans import SERVICE_CODE as SAVINGS_PLANS
from pricing.sources.savings_plans import (
    fetch_savings_plans_api,
    fetch_savings_plans_bulk,
    rows_from_savings_plan_file,
)
from pricing.sources.spot_advisor import SERVICE_CODE as SPOT_ADVISOR
from pricing.sources.spot_advisor import fetch_spot_advisor


def savings_plans_client() -> object:
    import boto3
    from botocore.config import Config

    # The Savings Plans API is global, served from us-east-1.
    return boto3.client(
        "savingsplans", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1, "mode": "standard"})
    )


def fetch_part(
    part: PriceRefreshPart, tally: Tally, progress: Callable[[int], None]
) -> tuple[SourceRef, list[PriceRow]]:
    source = part.refresh.source
    if part.service_code == SPOT_ADVISOR:
        return fetch_spot_advisor(settings.PRICING_SPOT_ADVISOR_URL, region=part.region, tally=tally, progress=progress)
    if part.service_code == SAVINGS_PLANS:
        if part.offer_file:
            return rows_from_savings_plan_file(part.offer_file, region=part.region, tally=tally, progress=progress)
        if source == PriceRefresh.Source.BULK:
            return fetch_savings_plans_bulk(
                settings.PRICING_BULK_BASE_URL, region=part.region, tally=tally, progress=progress
            )
        return fetch_savings_plans_api(savings_plans_client(), region=part.region, tally=tally, progress=progress)
    if source == PriceRefresh.Source.OFFER_FILE or part.offer_file:
        return rows_from_offer_file(
            part.offer_file, service_code=part.service_code, region=part.region, tally=tally, progress=progress
        )
    if source == PriceRefresh.Source.BULK:
        return fetch_bulk(
            settings.PRICING_BULK_BASE_URL,
            service_code=part.service_code,
            region=part.region,
            tally=tally,
            progress=progress,
        )
    client = pricing_client(settings.PRICING_QUERY_ENDPOINT_REGION)
    return fetch_query(client, service_code=part.service_code, region=part.region, tally=tally, progress=progress)
