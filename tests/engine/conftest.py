"""Engine tests use no database: price books come from the seed file or from an example's own rates."""

from decimal import Decimal

import pytest

from compute_advisor.engine import Price, estimate
from compute_advisor.engine.money import cents
from pricing.snapshot_book import seed_price_book
from tests.factories import parsed_scenario

SEED = "pricing/data/seed-snapshot.json"


def book(region: str = "us-east-1"):
    return seed_price_book(SEED, region)


def scenario(**fields):
    """The factory's scenario with one replica unless `fields` say otherwise: the expected costs of the engine's
    tables are written for one. `fields` as in `tests.factories.scenario_data`."""
    return parsed_scenario(**{"usage": {"replicas": 1}, **fields})


def run(price_book=None, **fields):
    s = scenario(**fields)
    return estimate(s, price_book or book(s.region))


def per_second(**rates: str) -> dict:
    """A published example's per-second rates, as prices of the AmazonECS keys the engine looks up."""
    units = {"vCPU": "vCPU-Seconds", "GB": "GB-Seconds", "OS": "vCPU-Seconds"}
    keys = {
        "x86_vcpu": ("Fargate-vCPU-Hours:perCPU", "vCPU"),
        "x86_gb": ("Fargate-GB-Hours", "GB"),
        "arm_vcpu": ("Fargate-ARM-vCPU-Hours:perCPU", "vCPU"),
        "arm_gb": ("Fargate-ARM-GB-Hours", "GB"),
        "win_vcpu": ("Fargate-Windows-vCPU-Hours:perCPU", "vCPU"),
        "win_gb": ("Fargate-Windows-GB-Hours", "GB"),
        "win_os": ("Fargate-Windows-OS-Hours:perCPU", "OS"),
        "storage": ("Fargate-EphemeralStorage-GB-Hours", "GB"),
    }
    return {
        ("AmazonECS", keys[name][0]): Price(usd=Decimal(value), unit=units[keys[name][1]])
        for name, value in rates.items()
    }


def lines(option) -> dict[str, str]:
    return {line.description: str(cents(line.cost)) for line in option.line_items}


@pytest.fixture
def us_east_1():
    return book("us-east-1")


class BookPricer:
    """The wizard's Pricer over a price book, for tests without a database (the app's is SnapshotPricer)."""

    def __init__(self, price_book):
        self.book = price_book

    def price(self, scenario):
        return estimate(scenario, self.book)

    def crossings(self, scenario):
        from compute_advisor.engine.breakeven import sweep

        return list(sweep(scenario, self.book).crossings)


def pricer(region: str = "us-east-1") -> BookPricer:
    return BookPricer(book(region))
