"""Compute Savings Plans rates: from the Bulk API's files or the Savings Plans API, into engine keys."""

from decimal import Decimal

from botocore.stub import Stubber
from django.core.management import call_command

from compute_advisor.comparison.service import comparison_from_data
from pricing.fetchers import savings_plans_client
from pricing.normalize import Tally
from pricing.selectors import price_snapshot_active
from pricing.sources.savings_plans import fetch_savings_plans_api, rows_from_savings_plan_file
from tests.factories import scenario_data
from tests.pricing.offer_generator import write_savings_plans_file

RATES = {
    ("1yr", "No Upfront"): {
        "BoxUsage:m6i.large": "0.0655",
        "Fargate-vCPU-Hours:perCPU": "0.03238",
        "Fargate-GB-Hours": "0.003556",
        "DedicatedUsage:m6i.large": "0.07",
    },
    ("3yr", "No Upfront"): {"BoxUsage:m6i.large": "0.0446"},
    ("1yr", "All Upfront"): {"BoxUsage:m6i.large": "0.0600"},
}


def test_the_file_gives_no_upfront_rates_under_the_engines_keys(tmp_path):
    path = write_savings_plans_file(tmp_path / "sp.json", region="us-east-1", rates=RATES)
    tally = Tally()
    source, rows = rows_from_savings_plan_file(path, region="us-east-1", tally=tally)
    assert {(row.key, row.usd) for row in rows} == {
        ("1y:AmazonEC2:BoxUsage:m6i.large", Decimal("0.0655")),
        ("1y:AmazonECS:Fargate-vCPU-Hours:perCPU", Decimal("0.03238")),
        ("1y:AmazonECS:Fargate-GB-Hours", Decimal("0.003556")),
        ("3y:AmazonEC2:BoxUsage:m6i.large", Decimal("0.0446")),
    }
    assert tally.skipped == 1  # the All Upfront plan
    assert source.ref == "price-list-savings-plans-us-east-1-20261101000000"


def test_a_savings_plan_refresh_lets_the_engine_price_that_purchase_option(seeded, tmp_path):
    path = write_savings_plans_file(tmp_path / "sp.json", region="us-east-1", rates=RATES)
    call_command("refresh_prices", "--offer-file", str(path), "--region", "us-east-1")
    assert price_snapshot_active().prices.filter(service_code="ComputeSavingsPlans").count() == 4
    scenario = scenario_data(
        usage={"replicas": 1},
        purchase="savings_plan_1y",
        public_ipv4=False,
        options=["fargate", "ecs_ec2", "app_runner"],
    )
    result = comparison_from_data(scenario_data=scenario).result
    fargate = result.option("fargate")
    assert fargate.available
    assert [(line.description, line.unit_price) for line in fargate.line_items] == [
        ("Fargate vCPU (Linux/x86)", Decimal("0.03238")),
        ("Fargate memory (Linux/x86)", Decimal("0.003556")),
    ]
    ec2 = result.option("ecs_ec2")
    assert ec2.available
    assert ec2.configuration["instance_type"] == "m6i.large"  # the only type with a 1-year rate
    assert result.option("app_runner").reason == "AWS App Runner is not covered by Compute Savings Plans."


def test_the_savings_plans_api_is_paged_and_mapped():
    client = savings_plans_client()

    def rate(usage, value, product="EC2", seconds=31536000, operation="RunInstances"):
        return {
            "savingsPlanOffering": {
                "offeringId": "x",
                "paymentOption": "No Upfront",
                "planType": "Compute",
                "durationSeconds": seconds,
                "currency": "USD",
            },
            "rate": value,
            "unit": "Hrs",
            "productType": product,
            "serviceCode": "AmazonEC2",
            "usageType": usage,
            "operation": operation,
            "properties": [],
        }

    with Stubber(client) as stubber:
        stubber.add_response(
            "describe_savings_plans_offering_rates",
            {"searchResults": [rate("USE1-BoxUsage:m6i.large", "0.0655")], "nextToken": "2"},
        )
        stubber.add_response(
            "describe_savings_plans_offering_rates",
            {
                "searchResults": [
                    rate("USE1-Fargate-GB-Hours", "0.003556", product="Fargate", operation=""),
                    rate("USE1-BoxUsage:m6i.large", "0.0446", seconds=94608000),
                    rate("USE1-BoxUsage:m6i.large", "0.07", operation="RunInstances:0002"),
                ]
            },
        )
        tally = Tally()
        _, rows = fetch_savings_plans_api(client, region="us-east-1", tally=tally, sleep=lambda s: None)
        stubber.assert_no_pending_responses()
    assert [(row.key, str(row.usd)) for row in rows] == [
        ("1y:AmazonEC2:BoxUsage:m6i.large", "0.0655"),
        ("1y:AmazonECS:Fargate-GB-Hours", "0.003556"),
        ("3y:AmazonEC2:BoxUsage:m6i.large", "0.0446"),
    ]
    assert tally.skipped == 1  # Windows (RunInstances:0002) is not priced
