"""The wizard's pages: steps keep their answers back and forward, and end in a recommendation."""

from html import unescape

from django.urls import reverse

WORKLOAD = {
    "workload": "batch",
    "vcpu": "1",
    "memory_gib": "2",
    "replicas": "5",
    "pattern": "steady",
    "requests_per_second": "",
    "data_transfer_out_gib": "",
    "runs_per_day": "1",
    "minutes_per_run": "10",
}
TEAM = {"experience": "some", "patching": "nobody"}
CONSTRAINTS = {"region": "us-east-1", "budget_usd": ""}
GROWTH = {"replicas_next_year": "10"}


def post(client, step, data, **extra):
    return client.post(reverse("wizard:step", args=[step]), {**data, **extra})


def test_a_walk_through_reaches_a_recommendation_with_reasons(client, seeded):
    assert client.get(reverse("wizard:start")).status_code == 302
    html = unescape(client.get(reverse("wizard:step", args=[1])).content.decode())
    assert "Step 1 of 4: Your workload" in html
    assert "Task definition, service, cluster" in html
    assert post(client, 1, WORKLOAD)["Location"] == reverse("wizard:step", args=[2])
    assert post(client, 2, TEAM)["Location"] == reverse("wizard:step", args=[3])
    assert post(client, 3, CONSTRAINTS)["Location"] == reverse("wizard:step", args=[4])
    assert post(client, 4, GROWTH)["Location"] == reverse("wizard:result")
    result = unescape(client.get(reverse("wizard:result")).content.decode())
    assert "Run it on Amazon ECS on AWS Fargate" in result
    assert "It runs scheduled tasks and bills only while they run." in result
    assert "Ruled out: App Runner closed to new customers on 2026-04-30" in result
    assert "See the full comparison" in result
    assert "usage_kind=scheduled" in result


def test_back_keeps_the_answers(client, seeded):
    post(client, 1, {**WORKLOAD, "vcpu": "3.5"})
    post(client, 2, TEAM, back="1")
    html = unescape(client.get(reverse("wizard:step", args=[1])).content.decode())
    assert 'value="3.5"' in html


def test_bad_answers_stay_on_the_step_with_the_error(client, seeded):
    response = post(client, 1, {**WORKLOAD, "vcpu": "-2", "minutes_per_run": ""})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Ensure this value is greater than 0." in html
    assert "A batch job needs this." in html


def test_an_unknown_step_is_a_404(client, seeded):
    assert client.get(reverse("wizard:step", args=[9])).status_code == 404


def test_the_recommendation_can_be_saved_and_shared(client, seeded):
    for step, data in enumerate((WORKLOAD, TEAM, CONSTRAINTS, GROWTH), start=1):
        post(client, step, data)
    raw = client.get(reverse("wizard:result")).content.decode()
    import re

    scenario = unescape(re.search(r'name="scenario" value="([^"]+)"', raw).group(1))
    response = client.post(reverse("estimates:save"), {"scenario": scenario, "name": "nightly job"})
    assert response.status_code == 302
    assert "/s/" in response["Location"]
    assert "nightly job" in client.get(response["Location"]).content.decode()
