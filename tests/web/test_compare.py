"""The comparison page, saving and sharing, import, regions: through Django's test client."""

import json
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from compute_advisor.comparison.service import comparison_from_data
from compute_advisor.estimates.models import SavedScenario
from tests.factories import scenario_data

BASE = {
    "submitted": "1",
    "region": "us-east-1",
    "vcpu": "1",
    "memory_gib": "2",
    "architecture": "x86_64",
    "os": "linux",
    "ephemeral_storage_gib": "20",
    "disk_gib": "30",
    "usage_kind": "always_on",
    "replicas": "3",
    "hours_per_month": "730",
    "data_transfer_out_gib": "150",
    "requests_per_second": "20",
    "avg_response_kib": "16",
    "load_balancer": "auto",
    "public_ipv4": "on",
    "purchase": "on_demand",
    "options": [
        "ecs_ec2",
        "fargate",
        "beanstalk",
        "app_runner",
        "lightsail_instance",
        "lightsail_container",
        "ecs_express",
    ],
}


def page(client, **changes):
    response = client.get(reverse("estimates:compare"), {**BASE, **changes})
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_empty_form_has_defaults_and_help_and_no_results(client, seeded):
    html = unescape(client.get(reverse("estimates:compare")).content.decode())
    assert 'name="vcpu"' in html
    assert 'value="1"' in html
    assert "What one replica (task, container) needs" in html
    assert "Your comparison appears here" in html


def test_the_results_table_shows_the_engines_figures_cheapest_first(client, seeded):
    html = page(client)
    expected = comparison_from_data(
        scenario_data=scenario_data(
            usage={"replicas": 3},
            traffic={"data_transfer_out_gib": "150", "requests_per_second": "20", "avg_response_kib": "16"},
        )
    ).result
    shown = re.findall(r'class="num cost">([\d,.]+)<', html)
    # The ranked options cheapest first, then App Runner: priced, but not ranked for a new account.
    assert expected.unranked == ["app_runner"]
    assert shown == [f"{expected.option(code).monthly_cost:,.2f}" for code in expected.ranking + expected.unranked]
    assert "power medium" in html  # 1 vCPU / 2 GB fits Lightsail's medium container power
    assert "Closed to new customers since 2026-04-30" in html
    assert 'id="chart-cost" type="application/json"' in html
    assert 'id="chart-breakeven"' in html
    assert "Break-even points" in html


def test_an_unavailable_option_says_why_without_a_price(client, seeded):
    html = page(client, os="windows")
    assert "Unavailable: App Runner runs Linux containers only." in html
    app_runner = re.search(r'<tbody class="option option-app_runner unavailable">.*?</tbody>', html, re.S).group(0)
    assert '<td class="rank">\u2013</td>' in app_runner  # a dash, not a place
    assert 'class="num cost"' not in app_runner


def test_bad_input_is_shown_beside_each_field_and_keeps_what_was_typed(client, seeded):
    html = page(client, vcpu="-1", memory_gib="lots", usage_kind="hourly", profile="1 2 3")
    assert "Ensure this value is greater than 0." in html
    assert "Enter a number." in html
    assert "Give 24 values (a day) or 168 (a week); there are 3." in html
    assert 'value="lots"' in html
    assert "1 2 3</textarea>" in html
    assert "Fix the fields marked in red" in html


def test_engine_errors_land_beside_their_field(client, seeded):
    html = page(client, pin_ec2_types="m9z.huge")
    assert re.search(r'id="field-pin_ec2_types".*?\'m9z.huge\' is not an EC2 instance type', html, re.S)


def test_an_hourly_preset_fills_the_profile_and_draws_the_hourly_chart(client, seeded):
    html = page(client, usage_kind="hourly", preset="office_hours", replicas="4")
    profile = re.search(r'name="profile"[^>]*>\s*([\d ]+)</textarea>', html).group(1).split()
    assert len(profile) == 168
    assert profile[8] == "4"
    assert profile[0] == "1"
    assert profile[24 * 5 + 10] == "1"
    assert 'id="chart-hourly"' in html


def test_the_url_carries_the_scenario(client, seeded):
    first = page(client, replicas="5", region="eu-west-1")
    again = page(client, replicas="5", region="eu-west-1")
    assert re.findall(r'class="num cost">([\d,.]+)<', first) == re.findall(r'class="num cost">([\d,.]+)<', again)
    assert "eu-west-1, a month of 730 hours" in first


def save(client, name="orders API", **changes):
    raw = client.get(reverse("estimates:compare"), {**BASE, **changes}).content.decode()
    scenario = re.search(r'name="scenario" value="([^"]+)"', raw).group(1)
    return client.post(reverse("estimates:save"), {"scenario": unescape(scenario), "name": name})


def test_anyone_can_save_and_share_and_the_link_shows_it_read_only(client, seeded):
    response = save(client)
    saved = SavedScenario.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("estimates:shared", args=[saved.share_token])
    assert len(saved.share_token) >= 43  # 32 random bytes
    assert saved.owner is None
    assert saved.snapshot == seeded
    shared = unescape(client.get(response["Location"]).content.decode())
    assert "orders API" in shared
    assert "Re-price on today's prices" in shared
    assert 'name="vcpu"' not in shared
    assert client.get(reverse("estimates:shared", args=["not-a-token"])).status_code == 404


def test_a_tampered_save_is_refused_and_nothing_is_saved(client, seeded):
    response = client.post(
        reverse("estimates:save"), {"scenario": json.dumps({"region": "us-east-1"}), "name": "x"}, follow=True
    )
    assert "could not be saved" in unescape(response.content.decode())
    response = client.post(reverse("estimates:save"), {"scenario": "{not json", "name": "x"}, follow=True)
    assert "could not be saved" in unescape(response.content.decode())
    assert not SavedScenario.objects.exists()


def test_users_list_their_own_scenarios_and_nobody_elses(client, seeded, alice, bob):
    client.force_login(alice)
    save(client, name="alice's API")
    mine = unescape(client.get(reverse("estimates:mine")).content.decode())
    assert "alice's API" in mine
    saved = SavedScenario.objects.get()
    client.force_login(bob)
    assert "alice's API" not in unescape(client.get(reverse("estimates:mine")).content.decode())
    for action in ("delete", "revoke", "share"):
        assert client.post(reverse("estimates:action", args=[saved.pk, action])).status_code == 404
    assert SavedScenario.objects.filter(pk=saved.pk, share_enabled=True).exists()
    assert client.get(reverse("estimates:shared", args=[saved.share_token])).status_code == 200  # with the link


def test_owners_revoke_and_renew_share_links(client, seeded, alice):
    client.force_login(alice)
    save(client)
    saved = SavedScenario.objects.get()
    old = saved.share_token
    client.post(reverse("estimates:action", args=[saved.pk, "revoke"]))
    assert Client().get(reverse("estimates:shared", args=[old])).status_code == 404  # nobody else
    assert client.get(reverse("estimates:shared", args=[old])).status_code == 200  # its owner still can
    client.post(reverse("estimates:action", args=[saved.pk, "share"]))
    saved.refresh_from_db()
    assert saved.share_token != old
    assert client.get(reverse("estimates:shared", args=[saved.share_token])).status_code == 200
    client.post(reverse("estimates:action", args=[saved.pk, "delete"]))
    assert not SavedScenario.objects.exists()


def test_my_scenarios_needs_a_sign_in(client, seeded):
    response = client.get(reverse("estimates:mine"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


TASK_DEFINITION = {
    "family": "orders-api",
    "cpu": "1024",
    "memory": "3 GB",
    "runtimePlatform": {"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"},
    "ephemeralStorage": {"sizeInGiB": 40},
    "containerDefinitions": [{"name": "app", "image": "example/app"}],
}


def test_a_task_definition_fills_the_form(client, seeded):
    response = client.post(reverse("estimates:import"), {"text": json.dumps({"taskDefinition": TASK_DEFINITION})})
    assert response.status_code == 302
    location = response["Location"]
    for part in (
        "vcpu=1",
        "memory_gib=3",
        "architecture=arm64",
        "os=linux",
        "ephemeral_storage_gib=40",
        "name=orders-api",
    ):
        assert part in location
    html = unescape(client.get(location).content.decode())
    assert 'value="orders-api"' in html
    assert "Your comparison appears here" in html


def test_a_compose_file_of_two_services_opens_them_as_an_application(client, seeded):
    compose = """
services:
  web:
    image: example/web
    ports: ["80:80"]
    deploy:
      replicas: 4
      resources:
        limits: {cpus: "0.5", memory: 512M}
  worker:
    image: example/worker
    deploy:
      resources:
        reservations: {cpus: "0.25", memory: 1G}
  cache:
    image: redis
"""
    response = client.post(reverse("estimates:import"), {"text": compose}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("estimates:application"))
    html = unescape(response.content.decode())
    assert "cache: no deploy.resources cpus and memory to size it from; it is left out." in html
    assert "Not priced from the compose file: ports." in html
    # Each service keeps its own size and count: 4 web tasks of 0.5 vCPU, 1 worker of 0.25.
    assert "web (0.5 vCPU / 0.5 GiB): Always on: 4 replicas" in html
    assert "worker (0.25 vCPU / 1 GiB): Always on: 1 replica" in html
    assert 'class="data services-table"' in html


def test_a_compose_file_of_one_service_fills_the_form(client, seeded):
    compose = """
services:
  web:
    deploy:
      replicas: 4
      resources:
        limits: {cpus: "0.5", memory: 512M}
"""
    response = client.post(reverse("estimates:import"), {"text": compose})
    location = response["Location"]
    for part in ("vcpu=0.5", "memory_gib=0.5", "replicas=4", "name=web"):
        assert part in location


def test_a_cdk_template_becomes_its_services(client, seeded):
    template = {
        "Resources": {
            "WebTask": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {
                    "Cpu": "512",
                    "Memory": "1024",
                    "RuntimePlatform": {"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"},
                    "ContainerDefinitions": [{"Name": "web", "Image": "example/web"}],
                },
            },
            "WorkerTask": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {"ContainerDefinitions": [{"Name": "w", "Cpu": 1024, "Memory": 2048}]},
            },
            "WebService": {
                "Type": "AWS::ECS::Service",
                "Properties": {"TaskDefinition": {"Ref": "WebTask"}, "DesiredCount": 3},
            },
            "WorkerService": {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": {"Ref": "WorkerTask"}}},
            "Scaling": {"Type": "AWS::ApplicationAutoScaling::ScalableTarget", "Properties": {}},
        }
    }
    response = client.post(reverse("estimates:import"), {"text": json.dumps(template)}, follow=True)
    html = unescape(response.content.decode())
    assert "WebService (0.5 vCPU / 1 GiB): Always on: 3 replicas" in html
    assert "WorkerService (1 vCPU / 2 GiB): Always on: 1 replica" in html
    assert "Scaling: it scales something that is not an ECS service of this template; it is not read." in html


def test_a_pascal_case_task_definition_fills_the_form(client, seeded):
    definition = {"Family": "api", "Cpu": "1024", "Memory": "2048", "ContainerDefinitions": [{"Name": "app"}]}
    location = client.post(reverse("estimates:import"), {"text": json.dumps(definition)})["Location"]
    for part in ("vcpu=1", "memory_gib=2", "name=api"):
        assert part in location


def test_the_application_page_prices_the_scenario_its_url_carries(client, seeded):
    scenario = {
        "region": "us-east-1",
        "services": [
            {"name": "web", "workload": {"vcpu": 1, "memory_gib": 2}, "usage": {"kind": "always_on", "replicas": 2}},
            {
                "name": "jobs",
                "workload": {"vcpu": 1, "memory_gib": 2},
                "usage": {
                    "kind": "autoscaling",
                    "min_replicas": 1,
                    "max_replicas": 8,
                    "demand_by_hour": [1] * 12 + [3] * 12,
                    "policy": {"type": "target_tracking", "metric": "cpu", "target": 50},
                },
                "load_balanced": False,
            },
        ],
    }
    response = client.get(reverse("estimates:application"), {"scenario": json.dumps(scenario)})
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "jobs (1 vCPU / 2 GiB): Service Auto Scaling between 1 and 8 replicas" in html
    assert '<td class="num">2 to 6</td>' in html  # jobs: 1 / 0.5 = 2, 3 / 0.5 = 6
    assert "shared:</span> Application Load Balancer hours" in html


def test_the_application_page_charts_an_autoscaling_services_demand_against_its_replicas(client, seeded):
    scenario = {
        "region": "us-east-1",
        "services": [
            {"name": "web", "workload": {"vcpu": 1, "memory_gib": 2}, "usage": {"kind": "always_on", "replicas": 2}},
            {
                "name": "jobs",
                "workload": {"vcpu": 1, "memory_gib": 2},
                "usage": {
                    "kind": "autoscaling",
                    "min_replicas": 1,
                    "max_replicas": 8,
                    "demand_by_hour": [1] * 12 + [3] * 12,
                    "policy": {"type": "target_tracking", "metric": "cpu", "target": 60},
                },
            },
        ],
    }
    response = client.get(reverse("estimates:application"), {"scenario": json.dumps(scenario)})
    html = response.content.decode()
    # plotly.js and the script that draws the page's charts, from the app itself (no inline script).
    assert reverse("charts:plotly") in html
    assert "js/charts.js" in html
    # One chart: jobs autoscales; web's two replicas every hour are the table's, not a chart's.
    assert 'data-chart="chart-service-0"' in html
    assert "chart-service-1" not in html
    figure = json.loads(
        unescape(html.split('<script id="chart-service-0" type="application/json">')[1].split("</script>")[0])
    )
    replicas = next(t for t in figure["data"] if t["name"].startswith("Replicas"))
    demand = next(t for t in figure["data"] if t["name"].startswith("Demand"))
    # Each hour, and the last hour's end at its value: ceil(1 / 0.6), ceil(3 / 0.6) replicas.
    assert replicas["y"] == [2] * 12 + [5] * 13
    assert demand["y"] == [1.0] * 12 + [3.0] * 13
    assert figure["layout"]["title"]["text"] == "jobs: demand and replicas"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"region": "us-east-1", "services": []}', "services: list should have at least 1 item"),
        ("{]", "The scenario is not valid JSON: Expecting property name"),
        ("[" * 100 + "]" * 100, "The scenario is not valid JSON: nests more than 32 levels deep"),
    ],
)
def test_a_bad_application_gets_a_400_that_says_why(client, seeded, text, message):
    response = client.get(reverse("estimates:application"), {"scenario": text})
    assert response.status_code == 400
    assert message in unescape(response.content.decode())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Paste an ECS task definition"),
        ("{]", "neither valid JSON nor valid YAML"),
        ('{"hello": "world"}', "neither an ECS task definition"),
        ('{"family": "x", "cpu": "lots", "memory": "1024"}', "cpu 'lots' is not a number"),
        ("services:\n  web:\n    image: x\n", "no deploy.resources limits"),
        ("a: &a [" + ",".join(["*a"] * 120) + "]", "too many anchors"),
    ],
)
def test_bad_imports_get_a_clear_message(client, seeded, text, message):
    response = client.post(reverse("estimates:import"), {"text": text})
    assert response.status_code == 200
    assert message in unescape(response.content.decode())


def test_an_upload_over_the_limit_gets_a_clear_message(client, seeded):
    upload = SimpleUploadedFile("big.json", b"x" * (512 * 1024 + 1), content_type="application/json")
    response = client.post(reverse("estimates:import"), {"file": upload})
    assert "That file is more than 512 KB." in unescape(response.content.decode())


def test_the_region_comparison_prices_every_region(client, seeded):
    response = client.get(reverse("estimates:regions"), {**BASE})
    html = unescape(response.content.decode())
    for region in ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"):
        assert f'<th scope="row">{region}</th>' in html
    assert 'id="chart-regions"' in html


def test_charts_use_the_local_plotly_and_no_cdn(client, seeded):
    html = page(client)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert any(src.startswith("/vendor/plotly.min.js") for src in scripts)
    assert all(src.startswith("/") for src in scripts)
    response = client.get(reverse("charts:plotly"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert b"plotly" in b"".join(response.streaming_content)[:2000].lower()


def test_the_public_ipv4_help_gives_the_snapshots_own_rate_for_the_region(client, seeded):
    from compute_advisor.comparison.prices import price_book_for
    from compute_advisor.engine import price_keys

    for region in ("us-east-1", "eu-west-1"):
        rate = price_book_for(seeded, region).get(*price_keys.PUBLIC_IPV4_IN_USE.at())
        html = client.get(reverse("estimates:compare"), {"region": region}).content.decode()
        assert f"Each address: ${rate.usd.normalize():f} an hour in {region} (snapshot #{seeded.pk})." in html


SCHEDULED = {"usage_kind": "scheduled", "runs_per_day": "3", "minutes_per_run": "10"}


def field_html(html, name):
    """The markup of one form field, up to the next one."""
    return re.search(rf'id="field-{name}".*?(?=id="field-|</fieldset>)', html, re.S).group(0)


def shown_scenario(html):
    """The scenario the save form posts (the page is unescaped: the JSON's quotes are bare)."""
    return json.loads(re.search(r'name="scenario" value="(\{.*?\})">', html).group(1))


def test_the_form_offers_one_task_a_run_beside_the_always_on_replicas(client, seeded):
    html = unescape(client.get(reverse("estimates:compare")).content.decode())
    assert re.search(r'name="tasks_per_run" value="1"', field_html(html, "tasks_per_run"))
    assert "Tasks a run" in html
    assert re.search(r'name="replicas" value="2"', field_html(html, "replicas"))
    for name in ("cpu_utilization_percent", "min_zones", "data_transfer_in_gib", "apprunner_existing_account"):
        assert f'id="field-{name}"' in html


def test_a_scheduled_run_has_one_task_even_when_3_replicas_were_typed_for_always_on(client, seeded):
    html = page(client, **SCHEDULED)  # BASE has replicas=3, and no tasks_per_run
    assert shown_scenario(html)["usage"]["replicas"] == 1
    priced_for = re.search(r'<div class="priced-for">.*?</dl>', html, re.S).group(0)
    assert "Scheduled runs: 3 runs a day of 10 minutes, 1 task a run, on 30 days a month" in priced_for
    assert "15 task-hours a month" in priced_for
    assert "50 % of each replica's vCPU" in priced_for
    assert "Availability Zones" in priced_for


def test_a_scheduled_share_link_and_its_reprice_link_keep_the_tasks_a_run(client, seeded):
    response = save(client, name="nightly", **SCHEDULED, tasks_per_run="4")
    saved = SavedScenario.objects.get()
    assert saved.scenario["usage"]["replicas"] == 4
    shared = unescape(client.get(response["Location"]).content.decode())
    assert "4 tasks a run" in shared
    assert "Priced for" in shared
    reprice = re.search(r'href="(/compare/\?[^"]+)"', shared).group(1)
    assert "tasks_per_run=4" in reprice
    again = unescape(client.get(reprice).content.decode())
    assert shown_scenario(again)["usage"]["replicas"] == 4
    assert re.search(r'name="tasks_per_run" value="4"', field_html(again, "tasks_per_run"))


def test_a_bad_tasks_a_run_is_marked_beside_its_own_field(client, seeded):
    html = page(client, **SCHEDULED, tasks_per_run="0", replicas="")
    assert "Ensure this value is greater than or equal to 1." in field_html(html, "tasks_per_run")
    assert 'class="error"' not in field_html(html, "replicas")
    blank = page(client, **SCHEDULED, tasks_per_run="")
    assert "Scheduled runs need this." in field_html(blank, "tasks_per_run")
    always_on = page(client, replicas="")
    assert "Always-on usage needs this." in field_html(always_on, "replicas")


def app_runner_row(html):
    return re.search(r'<tbody class="option option-app_runner[^"]*">.*?</tbody>', html, re.S).group(0)


def test_app_runner_is_priced_but_not_ranked_unless_the_account_already_uses_it(client, seeded):
    row = app_runner_row(page(client))
    assert 'class="option option-app_runner unranked"' in row
    assert '<td class="rank">Not ranked</td>' in row
    assert re.search(r'class="num cost">[\d,.]+<', row)
    assert "Not ranked: App Runner takes no new customers." in row
    assert "tick “App Runner: account already uses it”" in row

    html = page(client, apprunner_existing_account="on")
    row = app_runner_row(html)
    assert re.search(r'<td class="rank">\d</td>', row)
    assert "Not ranked" not in row
    assert "Ranked: the account already uses it." in html
    assert shown_scenario(html)["option_settings"]["app_runner"] == {"existing_account": True}
