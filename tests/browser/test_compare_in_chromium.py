"""A person compares, switches to an hourly profile, saves, and a colleague opens the share link."""

import re

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def live_seeded(live_server, transactional_db, seeded):
    return live_server


def test_compare_switch_to_a_profile_save_and_share(browser, page, live_seeded, artifacts):
    page.goto(live_seeded.url + "/")
    page.get_by_role("link", name="Compare the options for your workload").click()
    page.wait_for_url("**/compare/")
    page.screenshot(path=str(artifacts / "compare-form.png"), full_page=False)

    page.get_by_label("vCPU per replica").fill("0.5")
    page.get_by_label("Memory per replica (GiB)").fill("1")
    page.get_by_label("Replicas", exact=True).fill("4")
    page.get_by_label("Requests a second").fill("30")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_selector(".results-table")
    assert "replicas=4" in page.url
    assert "vcpu=0.5" in page.url  # the URL carries the scenario
    rows = page.locator(".results-table tbody.option tr.head .cost").all_inner_texts()
    costs = [float(text.replace(",", "")) for text in rows]
    assert len(costs) >= 5
    assert costs == sorted(costs)
    page.wait_for_selector("[data-chart=chart-cost] .main-svg")  # plotly drew the chart as SVG
    page.wait_for_selector("[data-chart=chart-breakeven] .main-svg")
    # Under a policy that forbids inline styles, plotly's own stylesheet comes from a file: its layers are
    # stacked (absolute) and its toolbar floats over the chart, as plotly lays them out.
    layout = page.evaluate(
        """() => [getComputedStyle(document.querySelector("[data-chart=chart-cost] .main-svg")).position,
                 getComputedStyle(document.querySelector("[data-chart=chart-cost] .modebar")).position]"""
    )
    assert layout == ["absolute", "absolute"]
    page.locator(".results-table details summary").first.click()
    assert page.locator(".results-table table.lines tbody tr").first.is_visible()
    page.screenshot(path=str(artifacts / "compare-results.png"), full_page=True)

    # An hourly profile: the scheduled fields hide, the preset fills a grid the user can edit.
    page.get_by_label("Hourly profile").check()
    assert page.locator(".usage-scheduled").is_hidden()
    page.get_by_label("Profile preset").select_option("weekday_peak")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_selector("[data-chart=chart-hourly] .main-svg")
    assert page.locator(".profile-grid input").count() == 168
    monday_ten = page.get_by_label("Mon 10:00")
    assert monday_ten.input_value() == "4"
    monday_ten.fill("6")
    assert " 6 " in page.locator("textarea[name=profile]").input_value()

    page.get_by_label("Save as").fill("weekday API")
    page.get_by_role("button", name="Save and get a share link").click()
    page.wait_for_url(re.compile(r".*/s/[\w-]{43,}/$"))
    share_url = page.url

    colleague = browser.new_context()
    other = colleague.new_page()
    other.goto(share_url)
    assert other.locator("h1").inner_text() == "weekday API"
    other.wait_for_selector("[data-chart=chart-cost] .main-svg")
    assert other.locator("form.scenario-form").count() == 0  # read-only
    other.get_by_role("link", name="Re-price on today's prices").click()
    other.wait_for_selector(".results-table")
    assert other.get_by_label("Replicas by hour").input_value().split()[10] == "4"
    colleague.close()


def test_the_form_works_with_the_keyboard(page, live_seeded):
    page.goto(live_seeded.url + "/compare/")
    page.get_by_label("vCPU per replica").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_selector(".results-table")
    assert "vcpu=2" in page.url


def test_scheduled_runs_count_their_tasks_and_fit_a_phone(page, live_seeded, artifacts):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_seeded.url + "/compare/")
    page.get_by_label("Replicas", exact=True).fill("3")
    page.get_by_label("Scheduled runs").check()
    # The always-on replicas hide; the run's own count starts at one task.
    assert page.locator("#field-replicas").is_hidden()
    assert page.get_by_label("Tasks a run").input_value() == "1"
    page.get_by_label("Runs a day").fill("3")
    page.get_by_label("Minutes a run").fill("10")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_selector(".results-table")
    page.wait_for_selector("[data-chart=chart-cost] .main-svg")
    assert "tasks_per_run=1" in page.url
    assert "1 task a run" in page.locator(".priced-for").inner_text()
    assert page.locator("tbody.option-app_runner td.rank").inner_text().split() == ["Not", "ranked"]
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    page.screenshot(path=str(artifacts / "compare-scheduled-390.png"), full_page=True)
    assert widths[0] == widths[1], "the page scrolls sideways on a phone"
