"""The documentation keeps up with the code: every setting is in the README's table, every make target in
`make help`, and the scenario contract lives in the repository (docs/CONTRACT.md), whole."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.factories import scenario_data

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRACT = ROOT / "docs" / "CONTRACT.md"
# The fixed contract the project was given, beside the checkout when there is one (compare docs/CONTRACT.md).
GIVEN_CONTRACT = ROOT.parent / "shared" / "CONTRACT.md"
# The modules that read environment variables a user sets (settings_test only sets defaults for tests).
SETTINGS_MODULES = [
    "compute_advisor/settings.py",
    "compute_advisor/settings_test.py",
    "compute_advisor/gunicorn_conf.py",
    "scripts/serve.py",
]
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list"}


def variables_read(source: str) -> set[str]:
    """The names of the environment variables a module reads: through compute_advisor.lib.env's readers,
    os.environ.get / setdefault / [...], os.getenv, and a module-level REQUIRED = {NAME: why} table."""

    def is_environ(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "environ"

    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func, first = node.func, node.args[0].value
            if (
                (isinstance(func, ast.Name) and func.id in ENV_READERS)
                or (isinstance(func, ast.Attribute) and func.attr in {"get", "setdefault"} and is_environ(func.value))
                or (isinstance(func, ast.Attribute) and func.attr == "getenv")
            ):
                names.add(first)
        elif isinstance(node, ast.Subscript) and is_environ(node.value) and isinstance(node.slice, ast.Constant):
            names.add(node.slice.value)
        elif (
            isinstance(node, ast.Assign)
            and [getattr(target, "id", None) for target in node.targets] == ["REQUIRED"]
            and isinstance(node.value, ast.Dict)
        ):
            names.update(key.value for key in node.value.keys if isinstance(key, ast.Constant))
    return names


def readme_section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def configuration_table_variables() -> set[str]:
    """Every `NAME` in the first column of the README's Configuration table."""
    names: set[str] = set()
    for line in readme_section("Configuration").splitlines():
        cells = line.split("|")
        if line.startswith("|") and len(cells) > 2:
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", cells[1]))
    return names


def test_every_environment_variable_the_settings_read_is_in_the_readme_configuration_table():
    read = {name: path for path in SETTINGS_MODULES for name in variables_read((ROOT / path).read_text())}
    assert len(read) > 30, "the reader found too few variables: has the settings' style changed?"
    documented = configuration_table_variables()
    undocumented = sorted(f"{name} (read in {read[name]})" for name in read if name not in documented)
    assert not undocumented, "add these to the Configuration table in README.md: " + ", ".join(undocumented)


def test_the_variable_reader_sees_every_way_the_modules_read_one():
    source = """
import os
A = env_str("ONE")
B = env_int("TWO", 3, minimum=1)
C = os.environ.get("THREE", "")
os.environ.setdefault("FOUR", "x")
D = os.environ["FIVE"]
E = os.getenv("SIX")
REQUIRED = {"SEVEN": "why"}
F = other("NOT_A_VARIABLE")
"""
    assert variables_read(source) == {"ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN"}


def makefile_targets() -> tuple[set[str], set[str]]:
    """(every rule a user may call, the internal ones) in the Makefile. File targets ($(STAMP), ...) and
    variable assignments are not rules a user calls; INTERNAL_TARGETS names the steps other targets call."""
    text = (ROOT / "Makefile").read_text()
    rules = set(re.findall(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:(?!=)", text, flags=re.MULTILINE))
    internal = re.search(r"^INTERNAL_TARGETS\s*:=(.*)$", text, flags=re.MULTILINE)
    assert internal, "the Makefile should name its internal targets in INTERNAL_TARGETS"
    internal_targets = set(internal.group(1).split())
    assert internal_targets <= rules, f"INTERNAL_TARGETS names rules that do not exist: {internal_targets - rules}"
    return rules - internal_targets, internal_targets


@pytest.fixture(scope="module")
def make_help() -> set[str]:
    """The targets `make help` names, one line each: "make <target>  <what it does>"."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    done = subprocess.run(
        ["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True, timeout=30, check=True
    )
    return set(re.findall(r"^make ([a-z][a-z0-9_-]*)\b", done.stdout, flags=re.MULTILINE))


def test_make_help_lists_every_target_a_user_may_call(make_help):
    public, internal = makefile_targets()
    assert {"run", "test", "install", "fmt", "reset-db"} <= public
    assert not make_help - public, f"make help names targets the Makefile lacks: {sorted(make_help - public)}"
    assert not public - make_help, (
        f"add these to `make help` (or to INTERNAL_TARGETS if users never call them): {sorted(public - make_help)}"
    )
    assert not make_help & internal


def readme_make_targets() -> set[str]:
    """Every target of a `make ...` the README shows, in its code blocks or in inline code."""
    code = re.findall(r"^```\w*\n(.*?)^```", README, flags=re.MULTILINE | re.DOTALL)
    code += re.findall(r"`([^`\n]+)`", README)
    targets: set[str] = set()
    for text in code:
        for match in re.finditer(r"(?:^|[\s;&|(])make((?:\s+[a-z][a-z0-9_-]*)+)", text, flags=re.MULTILINE):
            targets.update(match.group(1).split())
    return targets


def test_make_help_has_a_line_for_every_target_the_readme_shows(make_help):
    shown = readme_make_targets()
    assert {"run", "test", "serve", "reset-db", "fmt"} <= shown
    assert not shown - make_help, (
        f"the README shows targets that `make help` does not list: {sorted(shown - make_help)}"
    )


def test_make_install_writes_the_development_key_where_the_settings_read_it():
    from django.conf import settings

    path = settings.DEVELOPMENT_KEY_FILE.relative_to(ROOT).as_posix()
    assert re.search(rf"^DEV_KEY\s*:=\s*{re.escape(path)}$", (ROOT / "Makefile").read_text(), flags=re.MULTILINE)
    assert re.search(r"^install:.*\$\(DEV_KEY\)", (ROOT / "Makefile").read_text(), flags=re.MULTILINE)
    ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT, timeout=30)
    assert ignored.returncode in (0, 128), f"{path} must be git-ignored"  # 128: not a git checkout


def code_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```\w*\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


def json_field_names(markdown: str) -> set[str]:
    """Every "name": in the markdown's code blocks."""
    return {name for block in code_blocks(markdown) for name in re.findall(r'"([A-Za-z_][A-Za-z0-9_]*)"\s*:', block)}


def test_the_repository_holds_the_contract_with_every_field_the_given_one_shows():
    if not GIVEN_CONTRACT.exists():
        pytest.skip(f"no given contract at {GIVEN_CONTRACT} to compare docs/CONTRACT.md with")
    given = GIVEN_CONTRACT.read_text(encoding="utf-8")
    ours = CONTRACT.read_text(encoding="utf-8")
    fields = json_field_names(given)
    assert len(fields) > 20
    missing = sorted(name for name in fields if f'"{name}"' not in ours)
    assert not missing, f"docs/CONTRACT.md lacks these fields of the contract: {missing}"
    headings = re.findall(r"^#+ .*$", given, flags=re.MULTILINE)
    assert [h for h in headings if h not in ours.splitlines()] == []


def test_the_contracts_examples_are_json_and_its_scenario_is_one_the_engine_accepts():
    from compute_advisor.engine import parse_scenario

    scenario, result = (json.loads(block) for block in code_blocks(CONTRACT.read_text(encoding="utf-8"))[:2])
    assert parse_scenario(scenario).region == "us-east-1"
    assert {"currency", "options", "ranking"} <= set(result)


def test_the_extras_beyond_the_contract_are_ones_the_engine_accepts():
    from compute_advisor.engine import parse_scenario

    beyond = CONTRACT.read_text(encoding="utf-8").split("## Beyond the contract", 1)[1]
    scenario = scenario_data(
        usage={
            "kind": "scheduled",
            "replicas": 1,
            "runs_per_day": 4,
            "minutes_per_run": 10,
            "trigger": {"kind": "step_functions", "state_transitions_per_run": 4},
        },
        traffic={
            "new_connections_per_second": 5,
            "connection_seconds": 2,
            "rules_per_request": 12,
            "processed_gb_per_hour": 1,
            "avg_request_kib": 4,
        },
        option_settings={
            "ecs_ec2": {
                "network_mode": "bridge",
                "eni_trunking": True,
                "reserved_memory_mib": 256,
                "ebs_iops": 4000,
                "ebs_throughput_mibps": 250,
            },
            "ecs_express": {"services_sharing_alb": 3},
        },
    )
    for section in ("traffic", "option_settings.ecs_ec2"):
        obj = scenario
        for key in section.split("."):
            obj = obj[key]
        for name in obj:
            assert f"`{name}`" in beyond, f"{section}.{name} is not described under 'Beyond the contract'"
    assert "`usage.trigger`" in beyond
    assert "`option_settings.ecs_express.services_sharing_alb`" in beyond
    parsed = parse_scenario(scenario)
    assert parsed.traffic.rules_per_request == 12
    assert parsed.option_settings.ecs_express.services_sharing_alb == 3


def test_the_result_extras_beyond_the_contract_are_in_every_available_option(seeded):
    from compute_advisor.comparison.service import comparison_from_data

    beyond = CONTRACT.read_text(encoding="utf-8").split("## Beyond the contract", 1)[1]
    for name in ("yearly_cost", "category", "missing_prices"):
        assert f"`{name}`" in beyond
    result = comparison_from_data(scenario_data=scenario_data()).to_json()
    available = [option for option in result["options"] if option["available"]]
    assert available
    for option in available:
        assert {"yearly_cost", "missing_prices"} <= set(option)
        assert all("category" in line for line in option["line_items"])


def repository_files() -> list[Path]:
    """The files of the checkout: tracked, and new ones not ignored (or every file when git is absent)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode()
        return [ROOT / name for name in listed.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        skipped = {".git", ".venv", "staticfiles", "test-artifacts", "var", "node_modules"}
        return [path for path in ROOT.rglob("*") if path.is_file() and not skipped & set(path.relative_to(ROOT).parts)]


def test_no_file_refers_to_a_folder_outside_the_repository():
    outside = "../" + "shared/"  # spelled in two so that this file does not name it
    files = repository_files()
    assert any(path.name == "CONTRACT.md" for path in files)
    offenders = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, IsADirectoryError, FileNotFoundError):
            continue  # binary files (screenshots); a deleted file still listed by git
        if outside in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"these refer to {outside}, outside the repository (use docs/CONTRACT.md): {offenders}"
