"""`manage.py import_scenario`: a file (and a CloudWatch export) in, the scenario out; exit 2 on bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from compute_advisor.engine import parse_scenario
from tests.estimates.test_estimate_command import ROOT

FILES = Path(__file__).parent / "import_files"


def test_it_prints_the_scenario_of_a_template_and_its_notes(capsys):
    call_command("import_scenario", "--input", str(FILES / "ecs-refarch-website-service.yaml"), "--region", "eu-west-1")
    out, err = capsys.readouterr()
    scenario = json.loads(out)
    assert scenario["region"] == "eu-west-1"
    assert scenario["services"][0]["usage"]["max_replicas"] == 3
    assert "note: Parameters read at their Default: DesiredCount=2, MaxCount=3." in err
    parse_scenario(scenario)


def test_an_export_alone_with_the_size_and_policy(tmp_path, capsys):
    export = tmp_path / "requests.csv"
    export.write_text("timestamp,RequestCountPerTarget\n2024-05-06T10:00:00Z,120\n2024-05-06T10:01:00Z,180\n")
    call_command(
        "import_scenario",
        "--metrics",
        str(export),
        "--replicas",
        "2",
        "--vcpu",
        "0.5",
        "--memory-gib",
        "1",
        "--target",
        "500",
        "--max",
        "8",
        "--name",
        "web",
    )
    (service,) = json.loads(capsys.readouterr().out)["services"]
    # 150 requests per target a minute on average, 2 targets: 5 requests a second, every hour filled from 10:00.
    assert service["usage"]["demand_by_hour"] == ["5"] * 168
    assert service["usage"]["policy"] == {"type": "target_tracking", "metric": "requests_per_target", "target": "500"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "Give --input FILE, --metrics EXPORT, or both."),
        (["--input", "/nonexistent.json"], "Cannot read /nonexistent.json"),
        (["--input", str(FILES / "not-a-template.yaml")], "This is neither an ECS task definition"),
    ],
)
def test_bad_input_exits_2_with_a_message(arguments, message, capsys):
    (FILES / "not-a-template.yaml").exists() or pytest.fail("the fixture is missing")
    with pytest.raises(SystemExit) as exit_:
        call_command("import_scenario", *arguments)
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert message in err
    assert out == ""


def test_a_bad_number_on_the_command_line_exits_2_without_a_traceback():
    done = subprocess.run(
        [sys.executable, "manage.py", "import_scenario", "--metrics", "-", "--vcpu", "lots"],
        cwd=ROOT,
        input="",
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "compute_advisor.settings", "DEBUG": "1"},
    )
    assert done.returncode == 2
    assert "argument --vcpu: 'lots' is not a number" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_pipe_into_estimate_prices_the_imported_scenario(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    for command in (["migrate", "-v0"], ["load_seed_prices"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    scenario = subprocess.run(
        [sys.executable, "manage.py", "import_scenario", "--input", str(FILES / "ecs-refarch-website-service.yaml")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    priced = subprocess.run(
        [sys.executable, "manage.py", "estimate", "--input", "-"],
        cwd=ROOT,
        env=env,
        input=scenario,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert priced.returncode == 0, priced.stderr
    fargate = next(o for o in json.loads(priced.stdout)["options"] if o["option"] == "fargate")
    assert fargate["services"][0]["replicas_by_hour"] == [2] * 24
