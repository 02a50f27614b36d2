"""A person's path: home page, then the catalog, then a service, in a real Chromium."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def live_seeded(live_server, transactional_db, seeded):
    return live_server


def test_a_visitor_reads_the_catalog_and_a_service(page, live_seeded, artifacts):
    page.goto(live_seeded.url + "/")
    assert page.locator("h1").inner_text().startswith("What will your container really cost on AWS")
    page.get_by_role("link", name="Read the catalog first").click()
    page.wait_for_url("**/catalog/")
    assert page.locator("section.service").count() == 7
    assert page.locator("#app_runner .notice").inner_text().startswith("Closed to new customers since 2026-04-30")
    page.screenshot(path=str(artifacts / "catalog.png"), full_page=True)

    page.locator("#fargate h2 a").click()
    page.wait_for_url("**/catalog/fargate/")
    page.select_option("select[name=region]", "eu-west-1")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**region=eu-west-1")
    assert "Prices in eu-west-1" in page.locator("table.data caption").last.inner_text()
    assert page.locator("td", has_text="Fargate-vCPU-Hours:perCPU").count() >= 1
    page.screenshot(path=str(artifacts / "catalog-fargate.png"), full_page=True)
    # The page fixture fails the test on any error Chromium reports (a missing asset, a script error).


def test_the_instance_type_filter_narrows_the_table(page, live_seeded):
    page.goto(live_seeded.url + "/catalog/ec2-instance-types/")
    page.select_option("select[name=family]", "c7g")
    page.get_by_role("button", name="Filter").click()
    names = page.locator("tbody td:first-child code").all_inner_texts()
    assert names
    assert all(name.startswith("c7g.") for name in names)
