"""The wizard for an application: "several services" asks each one's size and load, then recommends for the
application priced as a whole, with reasons that speak of its services."""

import re
from decimal import Decimal
from html import unescape

from django.urls import reverse

from compute_advisor.comparison.service import comparison_from_data
from compute_advisor.wizard.answers import Answers, ServiceAnswer, scenario_for
from compute_advisor.wizard.recommend import recommend
from tests.engine.conftest import pricer
from tests.wizard.test_wizard_pages import CONSTRAINTS, TEAM, WORKLOAD, post

D = Decimal
SEVERAL = {**WORKLOAD, "shape": "several", "requests_per_second": "20"}


def services_post(services, **extra):
    data = {"svc-TOTAL_FORMS": str(len(services)), "svc-INITIAL_FORMS": str(len(services))}
    for index, service in enumerate(services):
        data.update({f"svc-{index}-{k}": v for k, v in service.items()})
    return {**data, **extra}


WEB = {"name": "web", "workload": "web", "vcpu": "0.5", "memory_gib": "1", "replicas": "3", "pattern": "daily_peaks"}
WORKER = {"name": "worker", "workload": "worker", "vcpu": "1", "memory_gib": "2", "replicas": "1", "pattern": "steady"}
NIGHTLY = {
    "name": "nightly",
    "workload": "batch",
    "vcpu": "2",
    "memory_gib": "4",
    "replicas": "1",
    "pattern": "steady",
    "runs_per_day": "1",
    "minutes_per_run": "45",
}


def field_errors(html):
    errors = {}
    for match in re.finditer(r'<div class="field[^"]*" id="field-([\w-]+)">(.*?)</div>', html, re.S):
        found = re.findall(r'class="error" role="alert">([^<]+)<', match.group(2))
        if found:
            errors[match.group(1)] = found
    return errors


def test_several_services_are_asked_each_and_recommended_for_together(client, seeded):
    response = post(client, 1, SEVERAL)
    assert response["Location"] == reverse("wizard:services")
    html = unescape(client.get(reverse("wizard:services")).content.decode())
    assert "Step 2 of 4: Your services" in html
    # It starts from the application the question names: a web service, a worker and a scheduled job.
    assert re.findall(r'name="svc-\d-name"[^>]*value="([^"]+)"', html) == ["web", "worker", "nightly"]

    response = client.post(reverse("wizard:services"), services_post([WEB, WORKER, NIGHTLY]))
    assert response["Location"] == reverse("wizard:step", args=[2])
    assert post(client, 2, TEAM)["Location"] == reverse("wizard:step", args=[3])
    # The growth question is about one service's replicas: after the constraints comes the recommendation.
    assert post(client, 3, CONSTRAINTS)["Location"] == reverse("wizard:result")

    result = unescape(client.get(reverse("wizard:result")).content.decode())
    assert "For your application of 3 services, priced together" in result
    answers = Answers(
        shape="several",
        requests_per_second=D(20),
        services=[ServiceAnswer(**WEB), ServiceAnswer(**WORKER), ServiceAnswer(**NIGHTLY)],
    )
    priced = comparison_from_data(scenario_data=scenario_for(answers)).result
    winner = re.search(r"<h1>Run it on ([^<]+)</h1>", result).group(1)
    code = next(o.option for o in priced.options if o.label == winner)
    assert f"${priced.option(code).monthly_cost:,.2f} a month" in result
    assert "runs every service of the application together, behind one shared load balancer" in result
    assert "for web (3 peak replicas), worker (1 steady replica) and nightly (1 task for 45 minutes)" in result
    link = re.search(r'href="(/compare/\?[^"]+)">See the full comparison', result).group(1)
    assert "svc-TOTAL_FORMS=3" in link
    assert "svc-2-usage_kind=scheduled" in link


def test_the_services_step_adds_and_removes_services(client, seeded):
    post(client, 1, SEVERAL)
    html = unescape(
        client.post(reverse("wizard:services"), services_post([WEB, WORKER], add_service="1")).content.decode()
    )
    assert re.findall(r'name="svc-\d-name"[^>]*value="([^"]+)"', html) == ["web", "worker", "service-3"]
    assert "This field is required" not in html  # the new one starts from the declared defaults

    # Remove the worker on the way to the next step: the answers keep web and the new one.
    added = {**WORKER, "name": "service-3"}
    response = client.post(reverse("wizard:services"), services_post([WEB, WORKER, added], **{"svc-1-DELETE": "on"}))
    assert response.status_code == 302
    assert [s["name"] for s in client.session["wizard_answers"]["services"]] == ["web", "service-3"]


def test_an_error_in_the_second_service_stays_on_the_step_beside_its_field(client, seeded):
    post(client, 1, SEVERAL)
    bad = {**NIGHTLY, "runs_per_day": "48", "minutes_per_run": "60"}
    response = client.post(reverse("wizard:services"), services_post([WEB, {**WORKER, "vcpu": "-1"}, bad]))
    assert response.status_code == 200
    assert field_errors(unescape(response.content.decode())) == {
        "svc-1-vcpu": ["Ensure this value is greater than 0."],
        "svc-2-minutes_per_run": ["The runs add up to more than a day."],
    }
    repeated = client.post(reverse("wizard:services"), services_post([WEB, {**WORKER, "name": "web"}]))
    assert "Give each service its own name." in unescape(repeated.content.decode())


def test_at_most_five_services_whatever_the_request_says(client, seeded):
    post(client, 1, SEVERAL)
    many = [{**WORKER, "name": f"w{i}"} for i in range(6)]
    data = services_post(many)
    data["svc-TOTAL_FORMS"] = "100000"
    html = unescape(client.post(reverse("wizard:services"), data).content.decode())
    assert "The wizard asks about at most 5 services" in html


def test_reasons_speak_of_the_application_not_of_one_batch_job():
    answers = Answers(
        shape="several",
        services=[ServiceAnswer(**WEB), ServiceAnswer(**NIGHTLY)],
        experience="some",
        patching="nobody",
    )
    recommendation = recommend(answers, pricer())
    assert "services" in recommendation.scenario
    assert [s["load_balanced"] for s in recommendation.scenario["services"]] == [True, False]
    by_code = {a.option: a for a in recommendation.assessments}
    # A job beside a web service does not rule out what serves the web service (it would for a lone job).
    assert not any("scheduled batch jobs" in reason for reason in by_code["ecs_express"].excluded)
    assert "its scheduled job keeps capacity running between runs" in by_code["beanstalk"].reasons_against
    assert "its scheduled job runs as tasks of the same cluster, billed only while they run" in (
        by_code["fargate"].reasons_for
    )
    assert "it scales the replicas with the load" in by_code["fargate"].reasons_for  # the web service peaks
    assert recommendation.changes == []  # no one replica count to vary for a break-even point


def test_one_service_answers_keep_their_recommendation():
    one = Answers(workload="batch", runs_per_day=D(1), minutes_per_run=D(10), replicas=1)
    # The services listed are ignored unless the answer is "several": the one-service scenario is priced.
    ignored = one.model_copy(update={"services": [ServiceAnswer(**WEB)]})
    assert scenario_for(ignored) == scenario_for(one)
    assert recommend(one, pricer()).winner.option == "fargate"
