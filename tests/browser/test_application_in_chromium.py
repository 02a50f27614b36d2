"""A person opens an application of several services and reads how its autoscaling service follows demand."""

import json
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def live_seeded(live_server, transactional_db, seeded):
    return live_server


def scenario() -> dict:
    demand = [str(1 + (h % 24 >= 8) * 3 + (h // 24 == 4) * 4) for h in range(168)]
    return {
        "region": "us-east-1",
        "services": [
            {
                "name": "web",
                "workload": {"vcpu": 1, "memory_gib": 2},
                "usage": {
                    "kind": "autoscaling",
                    "min_replicas": 2,
                    "max_replicas": 10,
                    "demand_by_hour": demand,
                    "policy": {"type": "target_tracking", "metric": "cpu", "target": 60},
                    "schedule": [{"days": "weekdays", "from_hour": 8, "to_hour": 18, "min_replicas": 4}],
                },
            },
            {
                "name": "api",
                "workload": {"vcpu": "0.5", "memory_gib": 1},
                "usage": {"kind": "hourly", "replicas_by_hour": [1] * 8 + [3] * 10 + [1] * 6},
            },
            {
                "name": "mailer",
                "workload": {"vcpu": "0.25", "memory_gib": "0.5"},
                "usage": {"kind": "always_on", "replicas": 1},
            },
        ],
    }


@pytest.mark.parametrize("width", [1366, 390])
def test_the_application_page_draws_each_services_hours_and_fits_a_phone(page, live_seeded, artifacts, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_seeded.url}/compare/application/?{urlencode({'scenario': json.dumps(scenario())})}")
    page.wait_for_selector("[data-chart=chart-cost] .main-svg")
    page.wait_for_selector("[data-chart=chart-service-0] .main-svg")  # web: demand against replicas
    page.wait_for_selector("[data-chart=chart-service-1] .main-svg")  # api: its profile
    assert page.locator("[data-chart=chart-service-2]").count() == 0  # mailer: one replica all week
    legend = page.locator("[data-chart=chart-service-0] .legendtext").evaluate_all("all => all.map(e => e.textContent)")
    assert legend[:2] == ["Demand (vCPU)", "Replicas (right axis: capacity at target)"]
    assert "Min in force" in legend
    page.locator("#service-hours").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"application-services-{width}.png"), full_page=True)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] == widths[1], "the page scrolls sideways"
