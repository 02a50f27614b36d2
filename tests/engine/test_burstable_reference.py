"""The burstable instance types' CPU credit figures agree with AWS's credit table.

Source: Amazon EC2 User Guide, "Key concepts and definitions for burstable performance instances", the table
under "Earn CPU credits" and the table of credit configuration modes, as archived in
awsdocs/amazon-ec2-user-guide doc_source/burstable-credits-baseline-concepts.md at commit
0992ede8329d71b7e5ead8681cec062409eed8e2 (2023-05-31). The figures below are copied from that table.
"""

from decimal import Decimal as D

import pytest

from compute_advisor.engine import reference
from compute_advisor.engine.catalog import default_catalog

T_FAMILIES = {"t2", "t3", "t3a", "t4g"}


@pytest.mark.parametrize(
    ("name", "credits_per_hour", "max_credits", "vcpu", "baseline_percent"),
    [
        # AWS's table: credits earned per hour | maximum earned credits that can be accrued | vCPUs | baseline per vCPU
        ("t2.nano", "3", "72", 1, "5"),
        ("t2.xlarge", "54", "1296", 4, "22.5"),
        ("t2.2xlarge", "81.6", "1958.4", 8, "17"),
        ("t3.nano", "6", "144", 2, "5"),
        ("t3.large", "36", "864", 2, "30"),
        ("t3.2xlarge", "192", "4608", 8, "40"),
        ("t3a.small", "24", "576", 2, "20"),
        ("t4g.micro", "12", "288", 2, "10"),
        ("t4g.xlarge", "96", "2304", 4, "40"),
    ],
)
def test_rows_match_aws_credit_table(name, credits_per_hour, max_credits, vcpu, baseline_percent):
    spec = reference.burstable_specs()[name]
    assert spec.instance_type == name
    assert spec.family == name.split(".")[0]
    assert spec.credits_per_hour == D(credits_per_hour)
    assert spec.max_credits == D(max_credits)
    assert spec.vcpu == vcpu
    assert spec.baseline_percent_per_vcpu == D(baseline_percent)


def test_t2_defaults_to_standard_and_the_others_to_unlimited():
    modes = {spec.family: spec.default_mode for spec in reference.burstable_specs().values()}
    assert modes == {"t2": "standard", "t3": "unlimited", "t3a": "unlimited", "t4g": "unlimited"}


def test_every_row_follows_aws_formulas():
    # Credits per hour = baseline % x vCPUs x 60 minutes; the accrual limit is 24 hours of earned credits.
    for spec in reference.burstable_specs().values():
        assert spec.credits_per_hour == spec.baseline_percent_per_vcpu * spec.vcpu * 60 / 100, spec
        assert spec.max_credits == spec.credits_per_hour * 24, spec


def test_every_burstable_t2_t3_t3a_t4g_instance_type_has_a_row_with_its_vcpu():
    types = {t.name: t for t in reference.instance_types() if t.burstable and t.family in T_FAMILIES}
    specs = reference.burstable_specs()
    assert len(types) == 28
    assert set(specs) == set(types)
    for name, spec in specs.items():
        assert spec.family == types[name].family
        assert spec.vcpu == types[name].vcpu, name


def test_the_catalog_carries_the_burstable_specs():
    catalog = default_catalog()
    assert catalog.burstable is reference.burstable_specs()
    assert catalog.burstable["t3.micro"].credits_per_hour == D(12)
