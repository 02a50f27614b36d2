"""The import page with templates, Terraform JSON and CloudWatch exports: through Django's test client."""

import json
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

FILES = Path(__file__).resolve().parents[1] / "estimates" / "import_files"


def scenario_of(location: str) -> dict:
    return json.loads(parse_qs(urlparse(location).query)["scenario"][0])


def cpu_export(percent: int, tasks: int) -> str:
    stamps = [f"2024-05-{6 + d:02d}T{h:02d}:00:00+00:00" for d in range(7) for h in range(24)]
    return json.dumps(
        {
            "MetricDataResults": [
                {"Id": "cpu", "Label": "CPUUtilization", "Timestamps": stamps, "Values": [percent] * 168},
                {"Id": "tasks", "Label": "RunningTaskCount", "Timestamps": stamps, "Values": [tasks] * 168},
            ]
        }
    )


def test_a_yaml_template_with_autoscaling_opens_the_application_page(client, seeded):
    upload = SimpleUploadedFile("service.yaml", (FILES / "ecs-refarch-website-service.yaml").read_bytes())
    response = client.post(reverse("estimates:import"), {"file": upload})
    assert response["Location"].startswith(reverse("estimates:application"))
    (service,) = scenario_of(response["Location"])["services"]
    assert service["usage"]["policy"]["type"] == "step"
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = unescape(page.content.decode())
    assert "Service (0.25 vCPU / 0.125 GiB): Service Auto Scaling between 2 and 3 replicas" in html
    assert "demand_by_hour is a placeholder" in html


def test_a_template_and_a_metrics_export_give_the_service_its_demand(client, seeded):
    text = (FILES / "cdk-queue-processing-custom-cpu-scaling.template.json").read_text()
    response = client.post(reverse("estimates:import"), {"text": text, "metrics_text": cpu_export(80, 2)})
    (service,) = scenario_of(response["Location"])["services"]
    assert service["usage"]["demand_by_hour"] == ["0.4"] * 168  # 80 % of 0.25 vCPU on 2 tasks
    html = unescape(client.get(response["Location"]).content.decode())
    assert "The running tasks at each time come from the export" in html
    # 0.4 vCPU at a 50 % target of 0.25 vCPU wants 4 replicas: the max, 2, every hour.
    assert '<td>yes</td><td class="num">2</td>' in html


def test_an_export_alone_needs_the_task_size(client, seeded):
    response = client.post(reverse("estimates:import"), {"metrics_text": cpu_export(50, 2)})
    assert response.status_code == 200
    assert "give the task&#x27;s vCPU and memory (GiB)" in response.content.decode()
    filled = client.post(
        reverse("estimates:import"),
        {
            "metrics_text": cpu_export(50, 2),
            "vcpu": "1",
            "memory_gib": "2",
            "target": "70",
            "max_replicas": "6",
            "name": "api",
        },
    )
    (service,) = scenario_of(filled["Location"])["services"]
    assert service["name"] == "api"
    assert service["usage"]["demand_by_hour"] == ["1"] * 168


def test_a_bad_form_value_is_said(client, seeded):
    response = client.post(reverse("estimates:import"), {"metrics_text": "x", "replicas": "none"})
    assert "Running tasks: Enter a whole number." in unescape(response.content.decode())
