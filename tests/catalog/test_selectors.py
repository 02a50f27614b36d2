"""The catalog pages and the API's catalog read the engine's reference data: the records the engine prices against."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from compute_advisor.catalog import selectors
from compute_advisor.engine import price_keys, reference
from compute_advisor.engine.catalog import default_catalog


def test_it_lists_the_services_the_engine_compares_in_order_with_their_notices():
    services = selectors.service_list()
    assert [s.code for s in services] == list(reference.SERVICE_CODES)
    assert [s.name for s in services] == [default_catalog().labels[s.code] for s in services]
    app_runner = selectors.service_get(code="app_runner")
    assert [n.kind for n in app_runner.notices] == ["closed"]
    assert selectors.service_get(code="kubernetes-on-a-toaster") is None


def test_the_fargate_rows_are_the_sizes_the_engine_snaps_to():
    rows = {row.vcpu: row for row in selectors.fargate_cpu_rows()}
    sizes = default_catalog().fargate_sizes
    assert sum(len(row.memory_gib) for row in rows.values()) == len(sizes)
    four = rows[Decimal(4)]
    assert (len(four.memory_gib), four.memory_gib[0], four.memory_gib[-1]) == (23, 8, 30)
    assert (four.linux, four.windows) == (True, True)
    assert (rows[Decimal(16)].linux, rows[Decimal(16)].windows) == (True, False)


def test_without_a_filter_every_instance_type_is_listed_by_family_then_size():
    types = selectors.instance_types_matching(filters=selectors.InstanceTypeFilter())
    assert len(types) == 1392 == len(default_catalog().instance_types)
    m7g = [t.name for t in types if t.family == "m7g"]
    assert m7g[:3] == ["m7g.medium", "m7g.large", "m7g.xlarge"]
    families = [t.family for t in types]
    assert families == sorted(families)
    assert selectors.instance_families() == sorted(set(families))


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        ({"family": "m7g"}, lambda t: t.family == "m7g"),
        ({"architecture": "arm64"}, lambda t: t.architecture == "arm64"),
        ({"min_vcpu": 64}, lambda t: t.vcpu is not None and t.vcpu >= 64),
        ({"min_memory_gib": Decimal("1.5")}, lambda t: t.memory_mib is not None and t.memory_mib >= 1536),
        ({"min_vcpu": 0}, lambda t: t.vcpu is not None),  # a type of unknown size never meets a minimum
    ],
)
def test_the_instance_type_filters_select_exactly_the_matching_types(filters, check):
    found = selectors.instance_types_matching(filters=selectors.InstanceTypeFilter(**filters))
    assert found
    assert all(check(t) for t in found)
    assert len(found) == sum(1 for t in reference.instance_types() if check(t))


def test_instance_types_are_priced_from_the_snapshot_or_shown_missing(seeded):
    filters = selectors.InstanceTypeFilter(family="m7g")
    priced = {
        row.item.name: row.price
        for row in selectors.instance_types_priced(snapshot=seeded, region="us-east-1", filters=filters)
    }
    assert priced["m7g.large"].usd == Decimal("0.0816")
    unpriced = selectors.instance_types_priced(snapshot=None, region="us-east-1", filters=filters)
    assert [row.item.name for row in unpriced] == list(priced)
    assert {row.price for row in unpriced} == {None}
    only = selectors.instance_types_priced(
        snapshot=seeded, region="us-east-1", filters=selectors.InstanceTypeFilter(priced_only=True)
    )
    assert only
    assert all(row.price is not None for row in only)
    assert len(only) < 1392


def test_every_lightsail_bundle_and_power_is_listed_beside_its_price(seeded):
    bundles = selectors.lightsail_bundles_priced(snapshot=seeded, region="us-east-1")
    assert [row.item for row in bundles] == list(default_catalog().lightsail_bundles)
    nano = next(row for row in bundles if row.item.bundle_id == "nano_3_0")
    assert nano.price is not None
    assert nano.price.key == "Bundle:nano_3_0"
    powers = selectors.lightsail_powers_priced(snapshot=seeded, region="us-east-1")
    assert [row.item for row in powers] == list(default_catalog().lightsail_powers)
    assert selectors.price_sources(powers)


def test_the_instance_type_page_counts_all_types_and_shows_the_first_400(client, seeded):
    html = client.get(reverse("catalog:instance_types")).content.decode()
    assert "1392 types; the first 400 are shown" in html
    assert html.count("<code>") == 400


def test_the_api_catalog_answers_from_the_reference_data(seeded):
    api = APIClient()
    types = api.get("/api/v1/catalog/instance-types").json()
    assert len(types) == 1392
    assert set(types[0]) == {
        "name", "family", "vcpu", "memory_mib", "architecture", "burstable", "max_enis", "trunking_compatible",
    }  # fmt: skip
    assert api.get("/api/v1/catalog/instance-types", {"min_vcpu": "0"}).json() == [t for t in types if t["vcpu"]]
    services = api.get("/api/v1/catalog/services").json()
    assert [s["code"] for s in services] == list(reference.SERVICE_CODES)
    assert services[3]["notices"][0]["kind"] == "closed"
    assert isinstance(services[3]["limits"], list)
    bundles = api.get("/api/v1/catalog/lightsail-bundles").json()
    assert [b["bundle_id"] for b in bundles] == [b.bundle_id for b in reference.lightsail_bundles()]
    powers = api.get("/api/v1/catalog/lightsail-powers").json()
    assert powers[0] == {"power": "nano", "vcpu": "0.25", "memory_gib": "0.5"}
    defaults = [s for s in api.get("/api/v1/catalog/app-runner-sizes").json() if s["default"]]
    assert defaults == [{"vcpu": "1", "memory_gib": "2", "default": True}]


def test_the_catalog_has_no_tables_of_its_own(db):
    from django.apps import apps

    assert list(apps.get_app_config("catalog").get_models()) == []


@pytest.mark.parametrize("code", reference.SERVICE_CODES)
def test_a_service_page_lists_every_price_its_option_bills_from_the_registry(seeded, code):
    entries = selectors.SERVICE_PRICE_TABLES[code]
    assert entries == tuple(k for k in price_keys.for_option(code) if k.on_service_page)
    listed = [(p.service_code, p.key) for p in selectors.service_prices(snapshot=seeded, code=code, region="us-east-1")]
    in_snapshot = {
        (p.service_code, p.key)
        for p in seeded.prices.filter(region="us-east-1")
        if any(k.matches(p.service_code, p.key) for k in entries)
    }
    assert listed
    assert len(listed) == len(set(listed))
    assert set(listed) == in_snapshot
    # Grouped by Price List service, in the registry's order.
    groups = [service for service, _ in listed]
    assert groups == sorted(groups, key=list(dict.fromkeys(k.service_code for k in entries)).index)


def test_the_pages_list_what_each_option_bills_and_nothing_it_cannot():
    def keys(code):
        return {k.key for k in selectors.SERVICE_PRICE_TABLES[code]}

    assert {"ALB:LoadBalancerUsage", "NLB:LCUUsage", "StateTransitions"} <= keys("fargate")
    assert not {k for k in keys("ecs_express") if "Windows" in k or k.startswith("SpotUsage")}
    assert "LoadBalancer" in keys("lightsail_instance")
    # Bundles, powers and instance hours have tables or a page of their own.
    assert not {
        k
        for code in reference.SERVICE_CODES
        for k in keys(code)
        if k.startswith(("Bundle:", "ContainerPower:", "BoxUsage:"))
    }
