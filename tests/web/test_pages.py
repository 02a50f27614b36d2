"""Every page answers, says what it should, and survives odd input."""

from html import unescape

import pytest
from django.urls import reverse

from compute_advisor.engine import reference


def test_the_home_page_introduces_the_app_and_links_every_service(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "What will your container really cost on AWS" in html
    for service in reference.services():
        assert service.name in html
        assert reverse("catalog:service", args=[service.code]) in html
    assert "Closed to new customers since 2026-04-30" in html
    assert f"snapshot #{seeded.pk}" in html


def test_the_catalog_lists_each_service_with_billing_and_limits(client, seeded):
    response = client.get(reverse("catalog:index"))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    for service in reference.services():
        assert f'id="{service.code}"' in html
        assert service.billing_model.split(".")[0] in html
        assert service.limits[0][:40] in html
    assert "8 to 30 GiB in 1 GiB steps" in html
    assert "32 to 120 GiB in 8 GiB steps" in html
    assert "60, 120, 244 GiB" in html


@pytest.mark.parametrize("code", reference.SERVICE_CODES)
def test_each_service_page_shows_its_prices_with_their_source(client, seeded, code):
    response = client.get(reverse("catalog:service", args=[code]), {"region": "us-east-1"})
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "rices in us-east-1" in html
    assert "No sourced prices for this service" not in html


def test_the_fargate_page_shows_the_seed_rates(client, seeded):
    html = client.get(reverse("catalog:service", args=["fargate"])).content.decode()
    assert "Fargate-vCPU-Hours:perCPU" in html
    assert "0.04048" in html


def test_an_unknown_region_is_a_form_error_not_a_crash(client, seeded):
    response = client.get(reverse("catalog:service", args=["fargate"]), {"region": "mars-north-1"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_an_unknown_service_is_a_404(client, seeded):
    assert client.get("/catalog/kubernetes-on-a-toaster/").status_code == 404


def test_the_instance_type_page_filters_and_prices(client, seeded):
    url = reverse("catalog:instance_types")
    response = client.get(url, {"region": "us-east-1", "family": "m7g", "priced_only": "on"})
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "m7g.large" in html
    assert "0.0816" in html
    assert "t3.medium" not in html


def test_the_instance_type_page_rejects_bad_filters_beside_the_field(client, seeded):
    response = client.get(reverse("catalog:instance_types"), {"min_vcpu": "-4", "region": "us-east-1"})
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1" in response.content.decode()


def test_pages_work_before_any_price_is_loaded(client, no_prices):
    assert "No price snapshot loaded" in client.get("/").content.decode()
    response = client.get(reverse("catalog:service", args=["lightsail_instance"]))
    assert response.status_code == 200
    assert "missing" in response.content.decode()


def test_admin_lists_snapshots_read_only(admin_client, seeded):
    response = admin_client.get("/admin/pricing/pricesnapshot/")
    assert response.status_code == 200
    assert admin_client.get(f"/admin/pricing/pricesnapshot/{seeded.pk}/delete/").status_code == 403
