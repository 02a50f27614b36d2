"""The price-key registry declares every price the engine looks up, for the options that look it up, and no more."""

from collections import defaultdict
from decimal import Decimal

import pytest

from compute_advisor.engine import OPTION_CODES, Price, estimate, price_keys
from compute_advisor.engine.price_keys import PRICE_KEYS, PriceKey
from pricing.seedfile import read_seed_file
from tests.engine.conftest import SEED, book, scenario


class RecordingPriceBook:
    """A price book that notes every price asked for; derived values are built afresh, so no lookup hides."""

    def __init__(self, inner):
        self.inner, self.region, self.snapshot = inner, inner.region, inner.snapshot
        self.looked_up: set[tuple[str, str]] = set()
        self.scanned: set[tuple[str, str]] = set()
        self._memo = {}

    def get(self, service_code, key):
        self.looked_up.add((service_code, key))
        return self.inner.get(service_code, key)

    def keys(self, service_code, prefix=""):
        self.scanned.add((service_code, prefix))
        return self.inner.keys(service_code, prefix)

    def is_empty(self):
        return self.inner.is_empty()

    def memo(self, key, build):
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]


def rate(usd: str, unit: str = "Hrs") -> Price:
    return Price(usd=Decimal(usd), unit=unit)


# The seed book, with the kinds of price the seed does not hold (Spot instances, Savings Plans rates,
# EventBridge Scheduler), so that the paths that bill them run too.
EXTRA = {
    ("AmazonEC2", "SpotUsage:m6i.large"): rate("0.035"),
    ("AmazonEC2", "SpotUsage:m7g.large"): rate("0.03"),
    **{
        price_keys.savings_plan_rate(term, "AmazonEC2", f"BoxUsage:{name}"): rate("0.05")
        for term in price_keys.SAVINGS_PLAN_TERMS
        for name in ("m6i.large", "m7g.large")
    },
    **{
        price_keys.savings_plan_rate(term, "AmazonECS", key.key): rate("0.01", key.unit)
        for term in price_keys.SAVINGS_PLAN_TERMS
        for key in (
            price_keys.FARGATE_VCPU,
            price_keys.FARGATE_MEMORY,
            price_keys.FARGATE_ARM_VCPU,
            price_keys.FARGATE_ARM_MEMORY,
            price_keys.FARGATE_WINDOWS_VCPU,
            price_keys.FARGATE_WINDOWS_MEMORY,
        )
    },
    price_keys.EVENTBRIDGE_SCHEDULER_INVOCATIONS.at(): rate("1.00", "1M-Invocations"),
}

TRAFFIC = {"data_transfer_out_gib": 6000, "requests_per_second": 40, "avg_response_kib": 16}
WEEKDAY = [1] * 8 + [4] * 10 + [2] * 6
SCENARIOS = {
    "always on, x86": {"usage": {"kind": "always_on", "replicas": 3}, "traffic": TRAFFIC},
    "always on, arm64": {
        "workload": {"vcpu": 1, "memory_gib": 2, "architecture": "arm64"},
        "usage": {"kind": "always_on", "replicas": 2},
        "traffic": TRAFFIC,
    },
    "small, for Lightsail containers": {
        "workload": {"vcpu": "0.25", "memory_gib": "0.5"},
        "usage": {"kind": "always_on", "replicas": 3},
        "traffic": TRAFFIC,
    },
    "windows": {"workload": {"vcpu": 1, "memory_gib": 2, "os": "windows"}, "traffic": TRAFFIC},
    "spot, x86": {"purchase": "spot", "usage": {"kind": "always_on", "replicas": 2}},
    "spot, arm64": {"purchase": "spot", "workload": {"vcpu": 1, "memory_gib": 2, "architecture": "arm64"}},
    "1-year savings plan": {"purchase": "savings_plan_1y", "traffic": TRAFFIC},
    "3-year savings plan, arm64": {
        "purchase": "savings_plan_3y",
        "workload": {"vcpu": 1, "memory_gib": 2, "architecture": "arm64"},
    },
    "3-year savings plan, windows": {
        "purchase": "savings_plan_3y",
        "workload": {"vcpu": 1, "memory_gib": 2, "os": "windows"},
    },
    "scheduled, Step Functions": {
        "usage": {
            "kind": "scheduled",
            "replicas": 2,
            "runs_per_day": 24,
            "minutes_per_run": 5,
            "trigger": {"kind": "step_functions", "state_transitions_per_run": 500},
        }
    },
    "scheduled, EventBridge Scheduler": {
        "usage": {
            "kind": "scheduled",
            "replicas": 1,
            "runs_per_day": 4,
            "minutes_per_run": 30,
            "trigger": {"kind": "eventbridge_scheduler"},
        }
    },
    "hourly profile, network load balancer": {
        "usage": {"kind": "hourly", "replicas_by_hour": WEEKDAY},
        "load_balancer": "nlb",
        "traffic": TRAFFIC,
    },
    "application load balancer asked for": {"load_balancer": "alb", "traffic": TRAFFIC},
    "no load balancer, no public addresses": {"load_balancer": "none", "public_ipv4": False},
    "gp3 with IOPS and throughput, storage, App Runner extras": {
        "workload": {"vcpu": 1, "memory_gib": 2, "ephemeral_storage_gib": 60, "disk_gib": 50},
        "traffic": TRAFFIC,
        "option_settings": {
            "ecs_ec2": {"ebs_iops": 6000, "ebs_throughput_mibps": 250},
            "app_runner": {"automatic_deployments": True, "build_minutes_per_month": 100, "active_hours_per_day": 8},
        },
    },
    "gp2 volumes": {
        "option_settings": {"ecs_ec2": {"ebs_volume_type": "gp2"}, "beanstalk": {"ebs_volume_type": "gp2"}},
    },
    "single-instance Beanstalk": {"option_settings": {"beanstalk": {"environment": "single_instance"}}},
}


@pytest.fixture(scope="module")
def lookups():
    """(option, service code, key) of every price asked for, and (option, service code, prefix) of every scan."""
    base = book("us-east-1").with_prices(EXTRA)
    looked_up, scanned, available = defaultdict(set), defaultdict(set), defaultdict(set)
    for name, fields in SCENARIOS.items():
        for option in OPTION_CODES:
            recorder = RecordingPriceBook(base)
            result = estimate(scenario(**fields, options=[option]), recorder)
            looked_up[option] |= recorder.looked_up
            scanned[option] |= recorder.scanned
            if result.option(option).available:
                available[option].add(name)
    return looked_up, scanned, available


def test_the_scenarios_price_every_option_somewhere(lookups):
    _, _, available = lookups
    assert set(available) == set(OPTION_CODES)
    assert {"spot, x86", "1-year savings plan"} <= available["ecs_ec2"] & available["fargate"]
    assert "windows" in available["fargate"]


def test_every_price_the_engine_looks_up_is_declared_for_the_option_that_looks_it_up(lookups):
    looked_up, scanned, _ = lookups
    undeclared = []
    for option, keys in looked_up.items():
        for service_code, key in sorted(keys):
            entry = price_keys.find(service_code, key)
            if entry is None or option not in entry.options:
                undeclared.append((option, service_code, key))
    assert undeclared == []
    prefixes = {(k.service_code, k.prefix, option) for k in PRICE_KEYS if k.is_pattern for option in k.options}
    assert [(o, s, p) for o, scans in scanned.items() for s, p in scans if (s, p, o) not in prefixes] == []


def test_every_declared_price_is_looked_up_by_each_option_it_names(lookups):
    looked_up, _, _ = lookups
    unused = [
        (option, entry.service_code, entry.key)
        for entry in PRICE_KEYS
        if not entry.reference_only
        for option in entry.options
        if not any(entry.matches(service_code, key) for service_code, key in looked_up[option])
    ]
    assert unused == []


def test_each_key_has_one_entry_and_names_known_options():
    assert len({(k.service_code, k.key) for k in PRICE_KEYS}) == len(PRICE_KEYS)
    for entry in PRICE_KEYS:
        sample = entry.at(*["x"] * entry.key.count("<"))
        assert [k for k in PRICE_KEYS if k.matches(*sample)] == [entry]
        assert entry.options, entry
        assert set(entry.options) <= set(OPTION_CODES), entry
        assert entry.source in {price_keys.PRICE_LIST, price_keys.SPOT_ADVISOR, price_keys.CARRIED}
        assert entry.unit
        assert entry.description


def test_a_required_price_is_one_a_refresh_brings():
    assert price_keys.required() == (
        ("AmazonEC2", "EBS:VolumeUsage.gp3"),
        ("AmazonECS", "Fargate-vCPU-Hours:perCPU"),
        ("AmazonECS", "Fargate-GB-Hours"),
        ("AWSELB", "ALB:LoadBalancerUsage"),
    )
    assert all(k.source == price_keys.PRICE_LIST and not k.is_pattern for k in PRICE_KEYS if k.required)


def test_savings_plans_rates_are_declared_for_what_they_discount():
    rate_entry = price_keys.find(*price_keys.savings_plan_rate("1y", "AmazonEC2", "BoxUsage:m6i.large"))
    assert rate_entry is not None
    assert rate_entry.unit == "Hrs"
    assert rate_entry.options == ("ecs_ec2", "beanstalk")
    assert price_keys.find(*price_keys.savings_plan_rate("1y", "AmazonECS", "Fargate-Windows-OS-Hours:perCPU")) is None
    assert price_keys.discounted_by_savings_plans("AmazonECS", "Fargate-ARM-GB-Hours") is price_keys.FARGATE_ARM_MEMORY


@pytest.mark.parametrize(
    ("entry", "values", "where"),
    [
        (price_keys.EC2_INSTANCE, ("m6i.large",), ("AmazonEC2", "BoxUsage:m6i.large")),
        (price_keys.TRANSFER_OUT, ("free",), ("AWSDataTransfer", "DataTransfer-Out-Bytes:free")),
        (price_keys.ALB_HOURS, (), ("AWSELB", "ALB:LoadBalancerUsage")),
    ],
)
def test_an_entry_says_where_a_price_book_keeps_its_price(entry: PriceKey, values, where):
    assert entry.at(*values) == where
    assert entry.matches(*where)
    with pytest.raises(ValueError, match="value"):
        entry.at(*values, "one too many")


def test_every_price_in_the_seed_snapshot_is_declared_with_its_unit():
    seed = read_seed_file(SEED)
    wrong = {
        (row.service_code, row.key, row.unit)
        for row in seed.rows
        if (entry := price_keys.find(row.service_code, row.key)) is None or entry.unit != row.unit
    }
    assert wrong == set()
