"""A newcomer walks through the wizard in Chromium and reaches a recommendation."""

import pytest

pytestmark = pytest.mark.browser


def test_walk_through_the_wizard(page, live_server, transactional_db, seeded, artifacts):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Not sure? Let the wizard recommend one").click()
    page.wait_for_url("**/wizard/step/1/")
    page.get_by_label("A web service or API").check()
    page.get_by_label("vCPU per replica").fill("0.5")
    page.get_by_label("Memory per replica (GiB)").fill("1")
    page.get_by_label("Replicas (at the busiest)").fill("6")
    page.get_by_label("How does the load look?").select_option("spiky")
    page.screenshot(path=str(artifacts / "wizard-1.png"), full_page=True)
    page.get_by_role("button", name="Next").click()

    page.wait_for_url("**/wizard/step/2/")
    page.get_by_label("Nobody: we would rather not have servers").check()
    page.get_by_label("Experience with containers").select_option("new")
    page.screenshot(path=str(artifacts / "wizard-2.png"), full_page=True)
    page.get_by_role("button", name="Back").click()
    page.wait_for_url("**/wizard/step/1/")
    assert page.get_by_label("Replicas (at the busiest)").input_value() == "6"  # back keeps the answers
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/wizard/step/2/")
    assert page.get_by_label("Experience with containers").input_value() == "new"
    page.get_by_role("button", name="Next").click()

    page.wait_for_url("**/wizard/step/3/")
    page.get_by_label("Budget ceiling (USD a month)").fill("400")
    page.screenshot(path=str(artifacts / "wizard-3.png"), full_page=True)
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/wizard/step/4/")
    page.get_by_label("Replicas you expect in a year").fill("20")
    page.screenshot(path=str(artifacts / "wizard-4.png"), full_page=True)
    page.get_by_role("button", name="See the recommendation").click()

    page.wait_for_url("**/wizard/result/")
    heading = page.locator("h1").inner_text()
    assert heading.startswith("Run it on ")
    assert page.locator(".card.winner .reasons li").count() >= 2
    page.screenshot(path=str(artifacts / "wizard-result.png"), full_page=True)
    page.get_by_role("link", name="See the full comparison").click()
    page.wait_for_selector(".results-table")
