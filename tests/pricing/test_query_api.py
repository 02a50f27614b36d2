"""The Query API client against botocore's Stubber: pages, throttling, credentials, malformed items."""

import json

import pytest
from botocore.stub import ANY, Stubber

from pricing.normalize import Tally
from pricing.sources.query_api import CredentialsProblem, Throttled, TokenBucket, fetch_query, pricing_client, products
from tests.pricing.offer_generator import ec2_instance, usage_item


def item(entry) -> str:
    return json.dumps(
        {
            "product": entry.product(),
            "terms": {"OnDemand": entry.on_demand()},
            "serviceCode": entry.attributes["servicecode"],
        }
    )


@pytest.fixture
def client():
    return pricing_client("us-east-1")


def no_wait(seconds: float) -> None:
    pass


def free_bucket() -> TokenBucket:
    return TokenBucket(burst=1000, rate=1000.0, sleep=no_wait)


def expect(stubber, service, items, token=None, next_token=None):
    params = {"ServiceCode": service, "Filters": ANY, "FormatVersion": "aws_v1", "MaxResults": 100}
    if token:
        params["NextToken"] = token
    response = {"FormatVersion": "aws_v1", "PriceList": items}
    if next_token:
        response["NextToken"] = next_token
    stubber.add_response("get_products", response, params)


def test_it_follows_next_token_over_short_pages(client):
    with Stubber(client) as stubber:
        expect(
            stubber,
            "AmazonECS",
            [
                item(
                    usage_item(
                        "A", "us-west-2", "AmazonECS", "Compute", "Fargate-vCPU-Hours:perCPU", "0.0404800000", "hours"
                    )
                )
            ],
            next_token="page-2",
        )
        expect(stubber, "AmazonECS", [], token="page-2", next_token="page-3")  # an empty page is not the end
        expect(
            stubber,
            "AmazonECS",
            [item(usage_item("B", "us-west-2", "AmazonECS", "Compute", "Fargate-GB-Hours", "0.0044450000", "hours"))],
            token="page-3",
        )
        tally = Tally()
        source, rows = fetch_query(
            client, service_code="AmazonECS", region="us-west-2", tally=tally, sleep=no_wait, bucket=free_bucket()
        )
        stubber.assert_no_pending_responses()
    assert [(row.key, str(row.usd)) for row in rows] == [
        ("Fargate-vCPU-Hours:perCPU", "0.0404800000"),
        ("Fargate-GB-Hours", "0.0044450000"),
    ]
    assert source.ref.startswith("price-list-query-AmazonECS-us-west-2-")


def test_throttling_is_retried_with_backoff_then_succeeds(client):
    waits = []
    with Stubber(client) as stubber:
        stubber.add_client_error("get_products", service_error_code="ThrottlingException", http_status_code=400)
        stubber.add_client_error("get_products", service_error_code="ThrottlingException", http_status_code=400)
        expect(stubber, "AWSELB", [])
        list(
            products(
                client,
                service_code="AWSELB",
                filters=[("regionCode", "us-east-1")],
                sleep=waits.append,
                bucket=free_bucket(),
            )
        )
        stubber.assert_no_pending_responses()
    assert len(waits) == 2
    # Full jitter under a doubling cap.
    assert 0 <= waits[0] <= 0.5
    assert 0 <= waits[1] <= 1.0


def test_throttling_that_never_ends_gives_up(client):
    with Stubber(client) as stubber:
        for _ in range(6):
            stubber.add_client_error("get_products", service_error_code="ThrottlingException", http_status_code=400)
        with pytest.raises(Throttled, match="kept failing after 6 attempts"):
            list(products(client, service_code="AWSELB", filters=[], sleep=no_wait, bucket=free_bucket()))


def test_bad_credentials_fail_at_once_with_a_clear_message(client):
    with Stubber(client) as stubber:
        stubber.add_client_error("get_products", service_error_code="UnrecognizedClientException", http_status_code=400)
        with pytest.raises(CredentialsProblem, match="AWS refused the credentials \\(UnrecognizedClientException\\)"):
            list(products(client, service_code="AWSELB", filters=[], sleep=no_wait, bucket=free_bucket()))
        stubber.assert_no_pending_responses()  # one call, no retry


def test_malformed_items_are_counted_not_priced(client):
    broken = json.loads(item(ec2_instance("X", "us-east-1", "m6i.large", "0.096")))
    broken["terms"] = {}
    with Stubber(client) as stubber:
        expect(stubber, "AmazonEC2", [json.dumps(broken), item(ec2_instance("Y", "us-east-1", "t3.medium", "0.0416"))])
        for _ in range(6):  # the EBS queries, the CPU credits query and the NAT gateways query
            expect(stubber, "AmazonEC2", [])
        tally = Tally()
        _, rows = fetch_query(
            client, service_code="AmazonEC2", region="us-east-1", tally=tally, sleep=no_wait, bucket=free_bucket()
        )
    assert [row.key for row in rows] == ["BoxUsage:t3.medium"]
    assert (tally.rejected, tally.reasons) == (1, {"no on-demand terms": 1})


def test_the_token_bucket_allows_a_burst_of_10_then_5_a_second():
    now = [0.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(burst=10, rate=5.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(10):
        bucket.take()
    assert waits == []
    bucket.take()
    bucket.take()
    assert waits == [pytest.approx(0.2), pytest.approx(0.2)]


def test_the_client_refuses_a_region_without_an_endpoint():
    with pytest.raises(ValueError, match="us-east-1, eu-central-1, ap-south-1"):
        pricing_client("eu-west-1")
