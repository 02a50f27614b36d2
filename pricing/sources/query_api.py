"""The AWS Price List Query API (boto3 `pricing` client), paginated, throttled and retried.

The API answers only in us-east-1, eu-central-1 and ap-south-1, so the client's region is set
explicitly. Each PriceList item is a JSON string holding a product and its terms. The API allows a
burst of 10 requests then 5 a second: a token bucket keeps to that, and throttling or network errors
are retried with exponential backoff and jitter. Bad credentials fail at once with a clear message.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)

from pricing.normalize import MalformedItem, Tally, intended_key, rows_for, wanted
from pricing.rows import PriceRow, SourceRef

ENDPOINT_REGIONS = ("us-east-1", "eu-central-1", "ap-south-1")
THROTTLING_CODES = {"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded"}
CREDENTIAL_CODES = {
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AccessDeniedException",
    "ExpiredTokenException",
    "ExpiredToken",
}
NETWORK_ERRORS = (EndpointConnectionError, ConnectionClosedError, ReadTimeoutError, ConnectionError, TimeoutError)
MAX_ATTEMPTS = 6


class CredentialsProblem(Exception):
    """AWS refused who we are: retrying cannot help, a person must fix the credentials."""


class Throttled(Exception):
    """Still throttled (or unreachable) after every retry; the task may be retried later."""


class TokenBucket:
    """At most `burst` calls at once, refilled at `rate` a second."""

    def __init__(
        self,
        *,
        burst: int = 10,
        rate: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.burst, self.rate, self.clock, self.sleep = burst, rate, clock, sleep
        self.tokens = float(burst)
        self.updated = clock()
        self.lock = threading.Lock()

    def take(self) -> None:
        with self.lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens < 1:
                wait = (1 - self.tokens) / self.rate
                self.sleep(wait)
                self.tokens = 1.0
                self.updated = self.clock()
            self.tokens -= 1


BUCKET = TokenBucket()

# (Field, value) filters per service; {region} is filled in. Every query asks for the region's own products
# (`locationType` "AWS Region"; for AWSDataTransfer `fromLocationType`): products of the Outposts, Local Zones
# and Wavelength Zones attached to the region answer to its regionCode too. `normalize.wanted` checks again.
REGION_ONLY = ("locationType", "AWS Region")
FILTERS: dict[str, list[list[tuple[str, str]]]] = {
    "AmazonEC2": [
        [
            ("regionCode", "{region}"),
            REGION_ONLY,
            ("operatingSystem", "Linux"),
            ("tenancy", "Shared"),
            ("preInstalledSw", "NA"),
            ("capacitystatus", "Used"),
            ("licenseModel", "No License required"),
        ],
        [("regionCode", "{region}"), REGION_ONLY, ("productFamily", "Storage"), ("volumeApiName", "gp3")],
        [("regionCode", "{region}"), REGION_ONLY, ("productFamily", "Storage"), ("volumeApiName", "gp2")],
        [("regionCode", "{region}"), REGION_ONLY, ("productFamily", "System Operation"), ("volumeApiName", "gp3")],
        [
            ("regionCode", "{region}"),
            REGION_ONLY,
            ("productFamily", "Provisioned Throughput"),
            ("volumeApiName", "gp3"),
        ],
        # Surplus CPU credits of T-family instances, every OS (`normalize.wanted` keeps Linux and Windows).
        [("regionCode", "{region}"), REGION_ONLY, ("productFamily", "CPU Credits")],
        # NAT gateways (the family also holds regional NAT gateways and provisioned bandwidth, left out later).
        [("regionCode", "{region}"), REGION_ONLY, ("productFamily", "NAT Gateway")],
    ],
    "AWSELB": [
        [("regionCode", "{region}"), REGION_ONLY, ("productFamily", "Load Balancer-Application")],
        [("regionCode", "{region}"), REGION_ONLY, ("productFamily", "Load Balancer-Network")],
    ],
    "AmazonECS": [[("regionCode", "{region}"), REGION_ONLY]],
    "AWSAppRunner": [[("regionCode", "{region}"), REGION_ONLY]],
    "AWSDataTransfer": [
        [("fromRegionCode", "{region}"), ("fromLocationType", "AWS Region"), ("transferType", "AWS Outbound")],
        [("fromRegionCode", "{region}"), ("fromLocationType", "AWS Region"), ("transferType", "IntraRegion")],
    ],
    "AmazonVPC": [
        [("regionCode", "{region}"), REGION_ONLY, ("group", "VPCPublicIPv4Address")],
        [("regionCode", "{region}"), REGION_ONLY, ("productFamily", "VpcEndpoint")],
    ],
    # A region's CloudWatch and ECR offers are small: every product, `normalize.wanted` picks.
    "AmazonCloudWatch": [[("regionCode", "{region}"), REGION_ONLY]],
    "AmazonECR": [[("regionCode", "{region}"), REGION_ONLY]],
}


def pricing_client(endpoint_region: str = "us-east-1") -> Any:
    import boto3

    if endpoint_region not in ENDPOINT_REGIONS:
        raise ValueError(f"the Price List Query API answers only in {', '.join(ENDPOINT_REGIONS)}")
    # Our own retry loop handles throttling with the API's token bucket; botocore's would double it.
    return boto3.client(
        "pricing", region_name=endpoint_region, config=Config(retries={"total_max_attempts": 1, "mode": "standard"})
    )


def _call(client: Any, bucket: TokenBucket, sleep: Callable[[float], None], **kwargs: Any) -> dict[str, Any]:
    return call_with_retries(lambda: client.get_products(**kwargs), sleep=sleep, bucket=bucket)


def call_with_retries(
    call: Callable[[], dict[str, Any]],
    *,
    sleep: Callable[[float], None] = time.sleep,
    bucket: TokenBucket | None = None,
) -> dict[str, Any]:
    """One AWS API call, paced by the token bucket, retried on throttling and network errors only."""
    bucket = bucket or BUCKET
    for attempt in range(MAX_ATTEMPTS):
        bucket.take()
        try:
            return call()
        except NoCredentialsError:
            raise CredentialsProblem(
                "No AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE."
            ) from None
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in CREDENTIAL_CODES:
                raise CredentialsProblem(
                    f"AWS refused the credentials ({code}): check the access key, secret and the "
                    "pricing:GetProducts (and savingsplans:DescribeSavingsPlansOfferingRates) permission."
                ) from None
            if code not in THROTTLING_CODES:
                raise
            problem: Exception = exc
        except NETWORK_ERRORS as exc:
            problem = exc
        # Exponential backoff with full jitter: 0.5 s, 1 s, 2 s ... at most 20 s.
        sleep(random.uniform(0, min(20.0, 0.5 * 2**attempt)))
    raise Throttled(f"the AWS API kept failing after {MAX_ATTEMPTS} attempts: {problem}")


def products(
    client: Any,
    *,
    service_code: str,
    filters: list[tuple[str, str]],
    bucket: TokenBucket = BUCKET,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[dict[str, Any]]:
    """Every product of a filtered query, page after page until no NextToken (pages may be short)."""
    kwargs: dict[str, Any] = {
        "ServiceCode": service_code,
        "Filters": [{"Type": "TERM_MATCH", "Field": name, "Value": value} for name, value in filters],
        "FormatVersion": "aws_v1",
        "MaxResults": 100,
    }
    while True:
        page = _call(client, bucket, sleep, **kwargs)
        for item in page.get("PriceList", []):
            yield json.loads(item, parse_float=Decimal) if isinstance(item, str) else item
        token = page.get("NextToken")
        if not token:
            return
        kwargs["NextToken"] = token


def fetch_query(
    client: Any,
    *,
    service_code: str,
    region: str,
    tally: Tally,
    sleep: Callable[[float], None] = time.sleep,
    bucket: TokenBucket = BUCKET,
    progress: Callable[[int], None] | None = None,
) -> tuple[SourceRef, list[PriceRow]]:
    # The day the API was read, in UTC like the price list's own dates; taken once, so that a read
    # running past midnight names one day throughout.
    read_on = datetime.now(UTC).date()
    source = SourceRef(
        ref=f"price-list-query-{service_code}-{region}-{read_on.isoformat()}",
        title=f"AWS Price List Query API, {service_code} in {region}, read {read_on.isoformat()}",
        url="https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html",
        data_date=read_on,
    )
    rows: list[PriceRow] = []
    seen: set[str] = set()
    for query in FILTERS.get(service_code, []):
        filters = [(name, value.format(region=region)) for name, value in query]
        for item in products(client, service_code=service_code, filters=filters, bucket=bucket, sleep=sleep):
            product = item.get("product") if isinstance(item, dict) else None
            if not isinstance(product, dict):
                tally.reject("item without a product")
                continue
            sku = str(product.get("sku", ""))
            if sku in seen:
                continue
            seen.add(sku)
            if not wanted(service_code, product, region=region):
                tally.skipped += 1
                continue
            terms = (item.get("terms") or {}).get("OnDemand")
            try:
                found = rows_for(service_code, region, product, terms, source_ref=source.ref)
            except MalformedItem as exc:
                tally.reject(str(exc), key=intended_key(service_code, product, region=region))
                continue
            tally.kept += len(found)
            if progress:
                progress(len(found))
            rows.extend(found)
    return source, rows
