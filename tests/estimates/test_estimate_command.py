"""`manage.py estimate`: the contract on the command line, with exit 2 and no traceback on bad input."""

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from compute_advisor.comparison.service import comparison_from_data
from pricing.snapshot_book import seed_price_book
from tests.factories import parsed_scenario, scenario_data

ROOT = Path(__file__).resolve().parents[2]


def test_it_prints_the_contract_result_as_json(seeded, tmp_path, capsys):
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario_data()))
    call_command("estimate", "--input", str(path))
    out = json.loads(capsys.readouterr().out)
    assert out["currency"] == "USD"
    assert out["region"] == "us-east-1"
    assert out["hours_per_month"] == "730"
    assert out["price_snapshot"] == {"id": str(seeded.pk), "source": "seed", "as_of": seeded.as_of.isoformat()}
    assert [o["option"] for o in out["options"]] == [
        "ecs_ec2",
        "fargate",
        "beanstalk",
        "app_runner",
        "lightsail_instance",
        "lightsail_container",
        "ecs_express",
    ]
    fargate = next(o for o in out["options"] if o["option"] == "fargate")
    assert fargate["line_items"][0] == {
        "description": "Fargate vCPU (Linux/x86)",
        "quantity": "1460",
        "unit": "vCPU-hours",
        "unit_price": "0.04048",
        "cost": "59.10",
        "category": "compute",
    }
    assert set(out["ranking"]) == {o["option"] for o in out["options"] if o["available"] and o["ranked"]}
    app_runner = next(o for o in out["options"] if o["option"] == "app_runner")
    assert app_runner["available"]
    assert not app_runner["ranked"]
    assert "existing_account" in app_runner["unranked_reason"]
    costs = [Decimal(next(o for o in out["options"] if o["option"] == code)["monthly_cost"]) for code in out["ranking"]]
    assert costs == sorted(costs)


def test_the_database_snapshot_and_the_seed_file_price_alike(seeded):
    from compute_advisor.engine import estimate

    from_db = comparison_from_data(scenario_data=scenario_data()).result.to_json()
    from_file = estimate(parsed_scenario(), seed_price_book("pricing/data/seed-snapshot.json", "us-east-1"))
    assert [o.get("monthly_cost") for o in from_db["options"]] == [
        o.get("monthly_cost") for o in from_file.to_json()["options"]
    ]


def run_cli(*args, stdin=""):
    return subprocess.run(
        [sys.executable, "manage.py", "estimate", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "compute_advisor.settings",
            "DEBUG": "1",
            "DATABASE_URL": "sqlite:///" + str(ROOT / "test-artifacts" / "cli.sqlite3"),
        },
    )


@pytest.fixture(scope="module")
def cli_database():
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    db = ROOT / "test-artifacts" / "cli.sqlite3"
    db.unlink(missing_ok=True)
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "DATABASE_URL": f"sqlite:///{db}"}
    for command in (["migrate", "-v0"], ["load_seed_prices"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    yield db
    db.unlink(missing_ok=True)


@pytest.mark.parametrize(
    ("stdin", "messages"),
    [
        ("{not json", ["is not valid JSON (line 1, column 2"]),
        ('{"region": "us-east-1"}', ["workload: is required", "usage: is required"]),
        (
            '{"region": "mars-1", "workload": {"vcpu": -1, "memory_gib": "lots"},'
            ' "usage": {"kind": "always_on", "replicas": 0}}',
            [
                "region: 'mars-1' is not an AWS region code",
                "workload.vcpu: must be greater than 0",
                "workload.memory_gib: must be a number",
                "usage.replicas: must be greater than or equal to 1",
            ],
        ),
        (
            json.dumps(scenario_data(region="sa-east-1", usage={"replicas": 1})),
            ["region: snapshot #1 has no prices for sa-east-1"],
        ),
        ("[1, 2]", ["the scenario must be a JSON object"]),
    ],
)
def test_bad_input_exits_2_with_each_field_named_and_nothing_on_stdout(cli_database, stdin, messages):
    result = run_cli("--input", "-", stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    for message in messages:
        assert message in result.stderr


def test_a_missing_file_exits_2(cli_database):
    result = run_cli("--input", "/nonexistent/scenario.json")
    assert (result.returncode, result.stdout) == (2, "")
    assert "Cannot read /nonexistent/scenario.json" in result.stderr


def test_standard_input_table_and_csv_formats(cli_database):
    table = run_cli("--input", "-", "--format", "table", stdin=json.dumps(scenario_data()))
    assert table.returncode == 0, table.stderr
    assert "Amazon ECS on AWS Fargate" in table.stdout
    assert "Usage: Always on: 2 replicas for 730 hours a month: 1,460 replica-hours a month." in table.stdout
    assert "Average CPU use: 50 % of each replica's vCPU" in table.stdout
    assert "(not ranked)" in table.stdout  # App Runner, for an account that does not already use it
    windows = run_cli("--input", "-", "--format", "table", stdin=json.dumps(scenario_data(workload={"os": "windows"})))
    assert "unavailable" in windows.stdout
    csv_out = run_cli("--input", "-", "--format", "csv", stdin=json.dumps(scenario_data()))
    rows = csv_out.stdout.splitlines()
    assert rows[0].startswith("option,label,available,description,quantity,unit,unit_price,cost")
    assert any(
        row.startswith("fargate,Amazon ECS on AWS Fargate,yes,Fargate vCPU (Linux/x86),1460,vCPU-hours,0.04048,59.10")
        for row in rows
    )


def test_an_unknown_snapshot_exits_2(cli_database):
    result = run_cli("--input", "-", "--snapshot", "999", stdin=json.dumps(scenario_data()))
    assert result.returncode == 2
    assert "There is no price snapshot '999'" in result.stderr
