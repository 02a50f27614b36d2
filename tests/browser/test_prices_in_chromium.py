"""The Prices page follows a running refresh without reloading, then shows the result."""

import pytest
from playwright.sync_api import expect

from pricing.models import PriceRefresh, PriceRefreshPart
from pricing.refresh import refresh_finish, refresh_start
from tests.pricing.offers import ecs_offer

pytestmark = pytest.mark.browser


def test_progress_updates_in_place_then_the_page_shows_the_new_snapshot(
    page, live_server, transactional_db, seeded, tmp_path, artifacts
):
    refresh = refresh_start(source="offer_file", offer_files={("AmazonECS", "us-east-1"): str(ecs_offer(tmp_path))})
    page.goto(live_server.url + "/prices/")
    assert page.locator(".progress-box h2").inner_text() == f"Refresh #{refresh.pk} is running"
    page.screenshot(path=str(artifacts / "prices-running.png"), full_page=True)

    PriceRefreshPart.objects.filter(refresh=refresh).update(status="running", rows=1234)
    # A locator waits without evaluating a string, which the page's Content Security Policy forbids.
    expect(page.locator("[data-field=rows]")).to_have_text("1234", timeout=10000)
    assert page.locator("[data-parts] td").nth(2).inner_text() == "running"

    from pricing.fetchers import fetch_part
    from pricing.refresh import refresh_part_run

    refresh_part_run(part=refresh.parts.get(), fetch=fetch_part)
    refresh_finish(refresh=PriceRefresh.objects.get(pk=refresh.pk))
    page.wait_for_selector(".progress-box", state="detached", timeout=15000)  # reloaded once it ended
    first_row = page.locator("table.data tbody tr").first
    assert "Active" in first_row.inner_text()
    assert str(refresh.snapshot_id) in first_row.inner_text()
    page.screenshot(path=str(artifacts / "prices.png"), full_page=True)
