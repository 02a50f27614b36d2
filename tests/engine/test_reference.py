"""The engine's reference sizes and limits agree with AWS's published tables."""

from decimal import Decimal as D
from itertools import pairwise

import pytest

from compute_advisor.engine import reference


def memories(vcpu: str, os: str = "linux") -> list[D]:
    return [s.memory_gib for s in reference.fargate_task_sizes() if s.vcpu == D(vcpu) and os in s.os]


def gib(*values: object) -> list[D]:
    return [D(str(v)) for v in values]


@pytest.mark.parametrize(
    ("vcpu", "expected"),
    [
        ("0.25", gib("0.5", 1, 2)),
        ("0.5", gib(1, 2, 3, 4)),
        ("1", gib(*range(2, 9))),
        ("2", gib(*range(4, 17))),
        ("4", gib(*range(8, 31))),
        ("8", gib(*range(16, 61, 4))),
        ("16", gib(*range(32, 121, 8))),
        ("32", gib(60, 120, 244)),
    ],
)
def test_fargate_memory_for_each_cpu_matches_the_published_table(vcpu, expected):
    assert memories(vcpu) == expected


def test_fargate_windows_runs_only_on_1_2_and_4_vcpu():
    windows = {s.vcpu for s in reference.fargate_task_sizes() if "windows" in s.os}
    assert windows == {D(1), D(2), D(4)}


def test_fargate_sizes_are_unique_and_sorted_smallest_first():
    sizes = reference.fargate_task_sizes()
    assert len(sizes) == len({(s.vcpu, s.memory_gib) for s in sizes}) == 77
    assert list(sizes) == sorted(sizes)
    assert (sizes[0].vcpu, sizes[0].memory_gib) == (D("0.25"), D("0.5"))
    assert (sizes[-1].vcpu, sizes[-1].memory_gib) == (D(32), D(244))


def test_fargate_cpu_units_are_1024_per_vcpu():
    assert all(s.cpu_units == int(s.vcpu * 1024) for s in reference.fargate_task_sizes())


def test_app_runner_has_the_eleven_published_combinations_with_1_vcpu_2_gb_default():
    pairs = [(s.vcpu, s.memory_gib) for s in reference.app_runner_sizes()]
    assert pairs == [
        (D("0.25"), D("0.5")),
        (D("0.25"), D(1)),
        (D("0.5"), D(1)),
        (D(1), D(2)),
        (D(1), D(3)),
        (D(1), D(4)),
        (D(2), D(4)),
        (D(2), D(6)),
        (D(4), D(8)),
        (D(4), D(10)),
        (D(4), D(12)),
    ]
    assert [(s.vcpu, s.memory_gib) for s in reference.app_runner_sizes() if s.is_default] == [(D(1), D(2))]


def test_every_compared_service_is_in_the_catalog_in_order():
    assert [s.code for s in reference.services()] == list(reference.SERVICE_CODES)


def test_app_runner_carries_its_closure_to_new_customers():
    app_runner = next(s for s in reference.services() if s.code == "app_runner")
    closed = [n for n in app_runner.notices if n.kind == "closed"]
    assert len(closed) == 1
    assert closed[0].effective.isoformat() == "2026-04-30"
    assert "ECS Express Mode" in closed[0].text
    assert closed[0].source_url.startswith("https://docs.aws.amazon.com/apprunner/")


def instance(name: str) -> reference.InstanceType:
    return next(t for t in reference.instance_types() if t.name == name)


def test_instance_types_carry_specs_and_network_limits():
    m6i = instance("m6i.large")
    assert (m6i.vcpu, m6i.memory_mib, m6i.architecture, m6i.max_enis, m6i.trunking_compatible) == (
        2,
        8192,
        "x86_64",
        3,
        True,
    )
    m7g = instance("m7g.xlarge")
    assert (m7g.vcpu, m7g.memory_mib, m7g.architecture) == (4, 16384, "arm64")


def test_burstable_t_family_types_cannot_use_eni_trunking():
    t_family = [t for t in reference.instance_types() if t.family in {"t3", "t3a", "t4g"}]
    assert len(t_family) == 21
    assert all(t.burstable and not t.trunking_compatible for t in t_family)
    assert (instance("t3.small").max_enis, instance("t3a.small").max_enis) == (3, 2)


def test_every_instance_type_is_listed_once_with_a_known_architecture():
    types = reference.instance_types()
    assert len(types) == len({t.name for t in types}) == 1392
    assert {t.architecture for t in types} == {"x86_64", "arm64", ""}


def test_lightsail_bundles_and_powers_are_unique_and_sized():
    bundles = reference.lightsail_bundles()
    assert len({b.bundle_id for b in bundles}) == len(bundles) >= 8
    assert all(b.vcpu > 0 and b.memory_gib > 0 and b.disk_gib > 0 for b in bundles)
    linux = {b.bundle_id: b for b in bundles if b.platform == "linux"}
    # AWS CLI get-bundles: the $5 nano plan has 2 vCPU, 0.5 GB, 20 GB SSD and 1 TB (1024 GB) of transfer.
    nano = linux["nano_3_0"]
    assert (nano.vcpu, nano.memory_gib, nano.disk_gib, nano.transfer_gib) == (D(2), D("0.5"), 20, 1024)
    assert all(b.transfer_gib for b in linux.values())
    powers = reference.lightsail_powers()
    order = ["nano", "micro", "small", "medium", "large", "xlarge"]
    assert [p.power for p in powers] == [name for name in order if name in {p.power for p in powers}]
    assert all(a.memory_gib <= b.memory_gib for a, b in pairwise(powers))
    assert (powers[0].power, powers[0].vcpu, powers[0].memory_gib) == ("nano", D("0.25"), D("0.5"))
    assert reference.lightsail_limits()["container_max_scale"] == 20
