"""Reports: the PDF's pages, text and figures, the CSV and JSON exports, the command and the batch."""

import csv
import io
import json
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from pypdf import PdfReader

from compute_advisor.engine.money import cents
from compute_advisor.estimates.models import SavedScenario
from compute_advisor.estimates.presentation import rows
from compute_advisor.reports.builder import report_csv, report_for, report_json, report_pdf
from compute_advisor.reports.models import ReportBatch
from tests.factories import scenario_data

ROOT = Path(__file__).resolve().parents[2]


def orders_api() -> dict:
    """The scenario these reports print: named, with a daily profile and traffic."""
    return scenario_data(
        name="Orders API",
        usage={"kind": "hourly", "replicas_by_hour": [2] * 8 + [6] * 10 + [2] * 6},
        traffic={"requests_per_second": "30", "avg_response_kib": "16", "data_transfer_out_gib": "200"},
    )


@pytest.fixture
def report(seeded):
    return report_for(scenario_data=orders_api(), snapshot=seeded)


def text_of(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_has_a_title_page_summary_charts_a_page_per_option_and_sources(report):
    reader, text = text_of(report_pdf(report))
    available = [o for o in report.result.options if o.available]
    assert len(reader.pages) >= 4 + len(available)
    first = reader.pages[0].extract_text()
    assert "Orders API" in first
    assert "us-east-1" in first
    assert "Contents" in first
    assert f"snapshot #{report.snapshot.pk}" in first
    for option in available:
        assert f"{option.label}: ${option.monthly_cost:,.2f} a month" in text.replace("\n", " ")
    assert "Closed to new customers since 2026-04-30" in text.replace("\n", " ")
    assert "Assumptions and sources" in text
    assert "Hours a month" in text
    assert "Page 2 of" in text
    # Figures equal the engine's: every line item's cost is printed as the engine rounds it.
    ec2 = report.result.option("ecs_ec2")
    for line in ec2.line_items:
        assert f"{cents(line.cost):,.2f}" in text
    # Configuration reads as words, not the engine's keys.
    assert f"Instance type {ec2.configuration['instance_type']}" in text
    assert "Registered memory (MiB)" in text
    assert "registered_memory_mib" not in text


def test_a4_and_letter(report):
    a4 = PdfReader(io.BytesIO(report_pdf(report, paper="a4"))).pages[0].mediabox
    letter = PdfReader(io.BytesIO(report_pdf(report, paper="letter"))).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)


def test_the_csv_round_trips_with_the_same_totals(report):
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    for option in report.result.options:
        mine = [r for r in rows if r["option"] == option.option]
        if option.available:
            assert {r["option_monthly_cost"] for r in mine} == {str(option.monthly_cost)}
            total = sum(Decimal(r["cost"]) for r in mine)
            assert abs(total - option.monthly_cost) <= Decimal("0.005") * len(mine)
        else:
            assert mine[0]["available"] == "no"
            assert mine[0]["description"] == option.reason
    assert {r["region"] for r in rows} == {"us-east-1"}


def test_the_csv_lists_the_options_as_the_pages_do_and_says_which_are_ranked(report, seeded):
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    assert list(dict.fromkeys(r["option"] for r in rows)) == [o.option for o in report.result.listing]
    ranked = {r["option"]: r["ranked"] for r in rows}
    assert ranked == {o.option: "true" if o.ranked else "false" for o in report.result.options}
    assert ranked["app_runner"] == "false"
    existing = scenario_data(option_settings={"app_runner": {"existing_account": True}})
    rows = csv.DictReader(io.StringIO(report_csv(report_for(scenario_data=existing, snapshot=seeded))))
    assert {r["ranked"] for r in rows if r["option"] == "app_runner"} == {"true"}


def test_the_pdf_restates_the_usage_and_the_assumptions_and_lists_unranked_options_last(seeded):
    nightly = scenario_data(
        name="Nightly export", usage={"kind": "scheduled", "replicas": 1, "runs_per_day": "3", "minutes_per_run": "10"}
    )
    report = report_for(scenario_data=nightly, snapshot=seeded)
    reader, text = text_of(report_pdf(report))
    text = " ".join(text.split())
    first = " ".join(reader.pages[0].extract_text().split())
    usage = "Scheduled runs: 3 runs a day of 10 minutes, 1 task a run, on 30 days a month: 15 task-hours a month."
    assert usage in first
    assert "Priced for" in text
    assert "50 % of each replica's vCPU" in text
    assert "Availability Zones" in text
    assert "App Runner Priced but not ranked" in text
    result = report.result
    assert result.unranked == ["app_runner"]
    app_runner = result.option("app_runner")
    assert f"{app_runner.label}: ${app_runner.monthly_cost:,.2f} a month (not ranked)" in text
    assert "Not ranked: App Runner takes no new customers." in text
    # The summary lists the ranked options first, then App Runner, marked instead of numbered.
    summary = text[text.index("Summary", text.index("Contents") + 8) :]
    labels = [result.option(code).label for code in [*result.ranking, "app_runner"]]
    places = [summary.index(label) for label in labels]
    assert places == sorted(places)
    assert "Not ranked AWS App Runner" in summary


def shop() -> dict:
    """An application of three services: one autoscaling over a week's demand, one hourly, one always on."""
    demand = [str(1 + (h % 24 >= 8) * 3 + (h // 24 == 4 and 12 <= h % 24 < 16) * 4) for h in range(168)]
    return {
        "name": "Shop",
        "region": "us-east-1",
        "services": [
            {
                "name": "storefront",
                "workload": {"vcpu": 1, "memory_gib": 2},
                "usage": {
                    "kind": "autoscaling",
                    "min_replicas": 2,
                    "max_replicas": 10,
                    "demand_by_hour": demand,
                    "policy": {"type": "target_tracking", "metric": "cpu", "target": 60},
                    "schedule": [{"days": "weekdays", "from_hour": 8, "to_hour": 18, "min_replicas": 4}],
                },
            },
            {
                "name": "search",
                "workload": {"vcpu": "0.5", "memory_gib": 1},
                "usage": {"kind": "hourly", "replicas_by_hour": [1] * 8 + [3] * 10 + [1] * 6},
            },
            {
                "name": "mailer",
                "workload": {"vcpu": "0.25", "memory_gib": "0.5"},
                "usage": {"kind": "always_on", "replicas": 1},
                "load_balanced": False,
            },
        ],
    }


def test_the_pdf_of_an_application_has_a_section_per_service_with_its_chart_and_its_part_of_each_option(seeded):
    report = report_for(scenario_data=shop(), snapshot=seeded)
    reader, _ = text_of(report_pdf(report))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    contents = pages[0] + pages[1]
    names = ("storefront", "search", "mailer")
    for name in names:
        assert f"Service {name}" in contents  # listed in the contents
    # Each section from its heading to the next one's (the options' pages follow the last).
    body = " ".join(pages[2:])
    first_option = next(r.option for r in rows(report.result) if r.option.available)
    ends = [body.index(f"Service {name} Each replica") for name in names]
    ends.append(body.index(f"{first_option.label}: ${first_option.monthly_cost:,.2f} a month"))
    sections = {name: body[ends[i] : ends[i + 1]] for i, name in enumerate(names)}
    storefront = sections["storefront"]
    assert "1 vCPU, 2 GiB per replica, Linux x86_64" in storefront
    assert "Service Auto Scaling between 2 and 10 replicas, target tracking at 60% CPU" in storefront
    # The chart is drawn into the page as vector text, with the simulation's units.
    assert "storefront: demand and replicas, target tracking at 60 % CPU" in storefront
    assert "Demand (vCPU, right)" in storefront
    assert "Min in force" in storefront
    assert "search: replicas each hour (its profile)" in sections["search"]
    assert "no chart" in sections["mailer"]
    # Each service's part of each priced option, as attribute_shared() gave it (a cent-exact subtotal).
    for option in (o for o in report.result.options if o.available):
        for service in option.services:
            section = sections[service.name]
            assert option.label in section
            assert f"{service.monthly_cost:,.2f}" in section
    assert "{" not in " ".join(sections.values())  # no dict or list written out raw


def test_the_json_is_the_contract_result_with_its_scenario(report):
    data = json.loads(report_json(report))
    assert data["scenario"] == orders_api()
    assert {k: v for k, v in data.items() if k != "scenario"} == report.result.to_json()
    for option in data["options"]:
        assert {"option", "label", "available", "line_items", "warnings"} <= set(option)


def test_the_pages_serve_every_format(client, seeded):
    query = {
        "submitted": "1",
        "region": "us-east-1",
        "vcpu": "1",
        "memory_gib": "2",
        "usage_kind": "always_on",
        "replicas": "2",
        "options": ["fargate", "ecs_ec2"],
        "architecture": "x86_64",
        "os": "linux",
        "ephemeral_storage_gib": "20",
        "disk_gib": "30",
        "hours_per_month": "730",
        "data_transfer_out_gib": "0",
        "requests_per_second": "0",
        "avg_response_kib": "0",
        "load_balancer": "auto",
        "purchase": "on_demand",
    }
    pdf = client.get(reverse("reports:comparison", args=["pdf"]), query)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="container-cost-comparison.pdf"' in pdf["Content-Disposition"]
    assert client.get(reverse("reports:comparison", args=["csv"]), query)["Content-Type"].startswith("text/csv")
    assert client.get(reverse("reports:comparison", args=["json"]), query).json()["region"] == "us-east-1"
    bad = client.get(reverse("reports:comparison", args=["pdf"]), {**query, "vcpu": "-1"})
    assert bad.status_code == 400
    assert "vcpu" in bad.json()["errors"]
    assert client.get(reverse("reports:comparison", args=["docx"]), query).status_code == 404


def test_a_share_link_has_its_reports(client, seeded):
    saved = SavedScenario.objects.create(name="shared API", scenario=orders_api(), snapshot=seeded)
    response = client.get(reverse("reports:shared", args=[saved.share_token, "pdf"]))
    assert response.status_code == 200
    assert "shared API" in text_of(response.content)[1]
    assert client.get(reverse("reports:shared", args=["nope", "pdf"])).status_code == 404


def test_the_report_command_writes_pdf_csv_and_json(seeded, tmp_path):
    from django.core.management import call_command

    source = tmp_path / "scenario.json"
    source.write_text(json.dumps(orders_api()))
    call_command("report", "--input", str(source), "--output", str(tmp_path / "r.pdf"), "--paper", "letter")
    call_command("report", "--input", str(source), "--output", str(tmp_path / "r.csv"))
    call_command("report", "--input", str(source), "--output", str(tmp_path / "r.json"))
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "r.csv").read_text().startswith("option,label")
    assert json.loads((tmp_path / "r.json").read_text())["scenario"] == orders_api()


def test_the_report_command_refuses_bad_input_with_exit_2(seeded, tmp_path):
    source = tmp_path / "bad.json"
    source.write_text('{"region": "us-east-1", "workload": {"vcpu": 0}}')
    result = subprocess.run(
        [sys.executable, "manage.py", "report", "--input", str(source), "--output", str(tmp_path / "x.pdf")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
    )
    assert result.returncode == 2
    assert "workload.vcpu: must be greater than 0" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_batch_of_reports_runs_as_a_task_and_downloads_as_a_zip(client, seeded, django_capture_on_commit_callbacks):
    user = User.objects.create_user("carol", password="a-long-password-3")
    for name in ("first", "second"):
        SavedScenario.objects.create(owner=user, name=name, scenario=orders_api(), snapshot=seeded)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:batch_start"), {"paper": "letter"})
    batch = ReportBatch.objects.get()
    assert response["Location"] == reverse("reports:batch", args=[batch.pk])
    status = client.get(reverse("reports:batch", args=[batch.pk]), {"format": "json"}).json()
    assert status == {"status": "done", "done": 2, "total": 2, "error": ""}
    archive = client.get(reverse("reports:batch", args=[batch.pk]), {"download": "1"})
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        names = zipped.namelist()
        assert len(names) == 2
        assert all(zipped.read(n).startswith(b"%PDF") for n in names)
    other = User.objects.create_user("dave", password="a-long-password-4")
    client.force_login(other)
    assert client.get(reverse("reports:batch", args=[batch.pk])).status_code == 404
