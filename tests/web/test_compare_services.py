"""The comparison page for an application: services added and removed in the form (a formset carried in the
URL), priced together, errors beside each service's own fields, and the round trip URL <-> scenario."""

import json
import re
import time
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.urls import reverse

from compute_advisor.comparison.service import comparison_from_data
from compute_advisor.engine import parse_scenario
from compute_advisor.estimates.scenario_form import query_from_scenario
from tests.web.test_compare import BASE

WEB_AND_WORKER = {
    "region": "us-east-1",
    "traffic": {"requests_per_second": "20", "avg_response_kib": "16", "data_transfer_out_gib": "150"},
    "services": [
        {
            "name": "web",
            "workload": {"vcpu": "0.5", "memory_gib": "1"},
            "usage": {"kind": "always_on", "replicas": 3},
        },
        {
            "name": "worker",
            "workload": {"vcpu": "1", "memory_gib": "2"},
            "usage": {"kind": "scheduled", "replicas": 2, "runs_per_day": "4", "minutes_per_run": "30"},
            "load_balanced": False,
        },
    ],
}


def get(client, query, *, raw=False):
    response = client.get(f"{reverse('estimates:compare')}?{query}")
    assert response.status_code == 200, response.status_code
    return response.content.decode() if raw else unescape(response.content.decode())


def saved_scenario(client, query):
    """The scenario the page's "Save" form would save."""
    return json.loads(unescape(re.search(r'name="scenario" value="([^"]+)"', get(client, query, raw=True)).group(1)))


def follow(client, params):
    """Press a button of the GET form: the redirect it answers with, and the page there."""
    response = client.get(reverse("estimates:compare"), params)
    assert response.status_code == 302
    location = response["Location"]
    return location, get(client, urlsplit(location).query)


def field_errors(html):
    """Each field's errors, by the field's name in the URL (svc-1-max_replicas)."""
    errors = {}
    for match in re.finditer(r'<div class="field[^"]*" id="field-([\w-]+)">(.*?)</div>', html, re.S):
        found = re.findall(r'class="error" role="alert">([^<]+)<', match.group(2))
        if found:
            errors[match.group(1)] = found
    return errors


def shown_costs(html):
    return re.findall(r'class="num cost">([\d,.]+)<', html)


def services_table(html, option):
    body = re.search(rf'<tbody class="option option-{option}">.*?</tbody>\s*</table>', html, re.S).group(0)
    return re.findall(r'<tr><th scope="row">([^<]+)</th><td>(yes|no)</td>', body)


def as_params(query):
    return parse_qsl(query, keep_blank_values=True)


def test_it_adds_a_service_to_the_one_service_form_keeping_the_first_as_typed(client, seeded):
    location, html = follow(client, {**BASE, "vcpu": "2", "memory_gib": "4", "add_service": "1"})
    params = dict(as_params(urlsplit(location).query))
    assert params["svc-TOTAL_FORMS"] == "2"
    assert (params["svc-0-name"], params["svc-0-vcpu"], params["svc-0-replicas"]) == ("app", "2", "3")
    assert params["svc-1-name"] == "service-2"
    assert "add_service" not in params
    assert "vcpu" not in params
    assert params["requests_per_second"] == "20"  # the scenario's own fields stay
    assert html.count('<fieldset class="service-form"') == 2
    # The new service starts from the declaration's examples (1 vCPU, 2 GiB, 2 replicas), so it prices at once.
    expected = comparison_from_data(
        scenario_data={
            "region": "us-east-1",
            "traffic": {"data_transfer_out_gib": "150", "requests_per_second": "20", "avg_response_kib": "16"},
            "services": [
                {
                    "name": "app",
                    "workload": {"vcpu": "2", "memory_gib": "4"},
                    "usage": {"kind": "always_on", "replicas": 3},
                },
                {
                    "name": "service-2",
                    "workload": {"vcpu": "1", "memory_gib": "2"},
                    "usage": {"kind": "always_on", "replicas": 2},
                },
            ],
        }
    ).result
    ranked = expected.ranking + expected.unranked
    assert shown_costs(html) == [f"{expected.option(code).monthly_cost:,.2f}" for code in ranked]
    assert services_table(html, "fargate") == [("app", "yes"), ("service-2", "yes")]


def test_it_adds_and_removes_services_renumbering_the_rest(client, seeded):
    query = query_from_scenario(WEB_AND_WORKER)
    location, html = follow(client, [*as_params(query), ("add_service", "1")])
    params = as_params(urlsplit(location).query)
    assert dict(params)["svc-TOTAL_FORMS"] == "3"
    assert [v for k, v in params if k.endswith("-name")] == ["web", "worker", "service-3"]
    assert html.count('<fieldset class="service-form"') == 3

    # Tick "Remove this service" on the worker: the page comes back without it, service-3 now second.
    location, html = follow(client, [*params, ("svc-1-DELETE", "on")])
    params = as_params(urlsplit(location).query)
    assert dict(params)["svc-TOTAL_FORMS"] == "2"
    assert [v for k, v in params if k.endswith("-name")] == ["web", "service-3"]
    assert not [k for k, _ in params if k.endswith("DELETE")]
    assert services_table(html, "fargate") == [("web", "yes"), ("service-3", "yes")]
    assert "worker" not in re.search(r'<section id="results".*', html, re.S).group(0)


def test_removing_every_service_keeps_one_to_fill_in(client, seeded):
    query = as_params(query_from_scenario(WEB_AND_WORKER))
    location, html = follow(client, [*query, ("svc-0-DELETE", "on"), ("svc-1-DELETE", "on")])
    assert dict(as_params(urlsplit(location).query))["svc-TOTAL_FORMS"] == "1"
    assert field_errors(html) == {"svc-0-name": ["This field is required."]}


def test_two_services_are_priced_together_with_each_ones_lines(client, seeded):
    html = get(client, query_from_scenario(WEB_AND_WORKER))
    expected = comparison_from_data(scenario_data=WEB_AND_WORKER).result
    ranked = expected.ranking + expected.unranked
    assert shown_costs(html) == [f"{expected.option(code).monthly_cost:,.2f}" for code in ranked]
    assert services_table(html, "fargate") == [("web", "yes"), ("worker", "no")]
    fargate = expected.option("fargate")
    lines = re.search(r'<tbody class="option option-fargate">.*?</tbody>\s*</table>\s*</details>', html, re.S).group(0)
    text = re.sub(r"<[^>]+>", "", lines)
    for line in fargate.line_items:
        assert f"{line.service or 'shared'}: {line.description}" in text
    assert {line.service for line in fargate.line_items} >= {"web", "worker"}
    # What is saved is the application itself.
    assert parse_scenario(saved_scenario(client, query_from_scenario(WEB_AND_WORKER))) == parse_scenario(WEB_AND_WORKER)


def test_an_error_in_the_second_service_shows_beside_its_own_field(client, seeded):
    scaling = {
        "name": "api",
        "workload": {"vcpu": "1", "memory_gib": "2"},
        "usage": {
            "kind": "autoscaling",
            "min_replicas": 6,
            "max_replicas": 3,
            "demand_by_hour": ["1"] * 24,
            "policy": {"type": "target_tracking", "metric": "cpu", "target": "60"},
            "schedule": [{"days": "weekdays", "from_hour": 18, "to_hour": 8, "max_replicas": 4}],
        },
    }
    scenario = {**WEB_AND_WORKER, "services": [WEB_AND_WORKER["services"][0], scaling]}
    html = get(client, query_from_scenario(scenario))
    assert field_errors(html) == {
        "svc-1-schedule": ["Line 1: to_hour: must be after from_hour (a window does not cross midnight)"]
    }
    assert "Fix the fields marked in red" in html
    # Listed above the results too, linked to the field: on a long list of services it may be far down.
    assert '<a href="#field-svc-1-schedule">Service 2 (api), Scheduled actions: Line 1: to_hour:' in html
    assert 'value="6"' in html  # what was typed stays
    scaling["usage"]["schedule"][0].update(from_hour=8, to_hour=18)
    html = get(client, query_from_scenario(scenario))
    assert field_errors(html) == {"svc-1-min_replicas": ["must be at most max_replicas"]}

    # The form's own checks land on the same service's fields, and a list typed wrongly says how to write it.
    params = [(k, v) for k, v in as_params(query_from_scenario(scenario)) if k not in ("svc-1-vcpu", "svc-1-demand")]
    params += [("svc-1-vcpu", "-1"), ("svc-1-demand", "1, 2, lots"), ("svc-1-policy_type", "step")]
    params += [("svc-1-steps", "seventy")]
    errors = field_errors(get(client, urlencode(params)))
    assert errors["svc-1-vcpu"] == ["Ensure this value is greater than 0."]
    assert errors["svc-1-steps"] == ["“seventy” is not a step: write threshold:+replicas, e.g. 70:+1, 85:+3."]
    assert not [name for name in errors if name.startswith("svc-0-")]


def test_an_errors_value_in_a_profile_names_which_one(client, seeded):
    scenario = {
        "region": "us-east-1",
        "services": [
            {
                "name": "web",
                "workload": {"vcpu": "1", "memory_gib": "2"},
                "usage": {"kind": "hourly", "replicas_by_hour": [1] * 23 + [9999]},
            }
        ],
    }
    errors = field_errors(get(client, query_from_scenario(scenario)))
    assert errors == {"svc-0-profile": ["Value 24: must be less than or equal to 5000"]}


def test_the_url_carries_the_whole_application_and_a_link_reproduces_it(client, seeded):
    autoscaling = {
        "name": "api",
        "workload": {"vcpu": "1", "memory_gib": "2", "architecture": "arm64"},
        "usage": {
            "kind": "autoscaling",
            "min_replicas": 1,
            "max_replicas": 8,
            "demand_by_hour": [str(v) for v in [1] * 8 + [5] * 10 + [1] * 6],
            "policy": {
                "type": "step",
                "metric": "cpu",
                "steps": [{"above": "70", "add": 1}, {"above": "90", "add": 3}],
            },
            "schedule": [{"days": ["saturday", "sunday"], "from_hour": 0, "to_hour": 24, "max_replicas": 2}],
        },
        "load_balanced": True,
    }
    scenario = {**WEB_AND_WORKER, "name": "shop", "services": [*WEB_AND_WORKER["services"], autoscaling]}
    html = get(client, query_from_scenario(scenario))
    assert parse_scenario(saved_scenario(client, query_from_scenario(scenario))) == parse_scenario(scenario)
    # The page's own links (regions, exports) carry the same scenario, so a shared link shows the same figures.
    share = re.search(r'href="/compare/regions/\?([^"]+)"', html).group(1)
    again = get(client, share)
    assert shown_costs(again) == shown_costs(html)
    assert services_table(again, "ecs_ec2") == [("web", "yes"), ("worker", "no"), ("api", "yes")]
    report = client.get(f"{reverse('reports:comparison', args=['json'])}?{share}")
    assert report.status_code == 200
    exported = json.loads(report.content)
    assert parse_scenario(exported["scenario"]) == parse_scenario(scenario)
    assert [s["name"] for s in exported["options"][0]["services"]] == ["web", "worker", "api"]


def test_the_application_page_edits_in_the_form_with_its_services_filled(client, seeded):
    with_network = {**WEB_AND_WORKER, "network": {"egress": "nat_gateway"}}
    response = client.get(reverse("estimates:application"), {"scenario": json.dumps(with_network)})
    html = unescape(response.content.decode())
    link = re.search(r'href="(/compare/\?[^"]+)">Edit in the form', html).group(1)
    assert "The form has no field for network" in html  # said, not dropped quietly
    form = get(client, urlsplit(link).query)
    assert 'name="svc-0-name" value="web"' in form
    assert 'name="svc-1-name" value="worker"' in form
    expected = comparison_from_data(scenario_data=WEB_AND_WORKER).result
    assert shown_costs(form)[0] == f"{expected.option(expected.ranking[0]).monthly_cost:,.2f}"

    # An invalid application is edited too: each problem then sits beside its field.
    broken = json.loads(json.dumps(WEB_AND_WORKER))
    broken["services"][1]["usage"]["minutes_per_run"] = "2000"
    response = client.get(reverse("estimates:application"), {"scenario": json.dumps(broken)})
    assert response.status_code == 400
    link = re.search(r'href="(/compare/\?[^"]+)">Edit in the form', unescape(response.content.decode())).group(1)
    assert field_errors(get(client, urlsplit(link).query)) == {
        "svc-1-minutes_per_run": ["Ensure this value is less than or equal to 1440."]
    }


@pytest.mark.parametrize("total", ["1000000", "51", "9" * 400])
def test_too_many_services_is_a_form_error_in_bounded_time(client, seeded, total):
    params = [*as_params(query_from_scenario(WEB_AND_WORKER)), ("svc-TOTAL_FORMS", total)]
    started = time.monotonic()
    html = get(client, urlencode(params))
    assert time.monotonic() - started < 5
    assert "An application has at most 50 services." in html
    assert 'class="num cost"' not in html


def test_a_service_count_that_is_no_number_counts_the_services_the_link_gives(client, seeded):
    params = [(k, "lots" if k == "svc-TOTAL_FORMS" else v) for k, v in as_params(query_from_scenario(WEB_AND_WORKER))]
    html = get(client, urlencode(params))
    assert services_table(html, "fargate") == [("web", "yes"), ("worker", "no")]


def test_repeated_service_names_are_an_error_of_the_services(client, seeded):
    twice = json.loads(json.dumps(WEB_AND_WORKER))
    twice["services"][1]["name"] = "web"
    html = get(client, query_from_scenario(twice))
    assert "Services: names web more than once" in html
