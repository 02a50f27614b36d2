"""A person adds a service to the comparison form, makes it a scheduled job, and the options price both."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def live_seeded(live_server, transactional_db, seeded):
    return live_server


def test_add_a_service_make_it_a_job_and_remove_it(browser, page, live_seeded, artifacts):
    page.goto(live_seeded.url + "/compare/")
    page.get_by_label("vCPU per replica").fill("0.5")
    page.get_by_role("button", name="Add a service").click()
    page.wait_for_selector("fieldset.service-form >> nth=1")
    assert "svc-TOTAL_FORMS=2" in page.url
    assert page.locator("input[name=svc-0-vcpu]").input_value() == "0.5"  # the one service became the first

    second = page.locator("#service-1")
    second.get_by_label("Service name").fill("nightly")
    second.get_by_label("Usage").select_option("scheduled")
    # Only a scheduled run's fields show (by CSS: no script needed), the always-on replicas hide.
    assert second.get_by_label("Tasks a run").is_visible()
    assert second.get_by_label("Replicas", exact=True).is_hidden()
    second.get_by_label("Minutes a run").fill("40")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_selector(".services-table")
    assert "svc-1-usage_kind=scheduled" in page.url
    fargate = page.locator("tbody.option-fargate .services-table tbody tr").all_inner_texts()
    assert [row.split("\t")[:2] for row in fargate] == [["app", "yes"], ["nightly", "no"]]
    page.screenshot(path=str(artifacts / "compare-services.png"), full_page=True)

    page.locator("#service-0").get_by_label("Remove this service").check()
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_selector(".services-table")
    assert page.locator("fieldset.service-form").count() == 1
    assert page.locator("input[name=svc-0-name]").input_value() == "nightly"
