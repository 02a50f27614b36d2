"""Every command line the README shows works as written from a plain shell once `make run` has set the
checkout up (issue 16), or fails with a message of its own, never a traceback.

The commands come from README.md itself: each line of its `sh` code blocks (continuation lines and
here-documents joined) and the inline code in its prose that is a command line. Each one must match
exactly one entry of CHECKS below, which says how it is run here or why it is not; a new command in the
README fails the first test until it is given one.

They run in a temporary folder laid out like the project's (its .venv, manage.py, packages and scripts,
linked) under `env -i PATH=/usr/bin:/bin HOME=<empty folder>`, the shell of a newcomer who never exported
a thing, with DATABASE_URL pointing at a temporary SQLite file migrated and seeded as `make run` does (so
db.sqlite3 is never touched), and the development key `make install` makes.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

from compute_advisor.lib.env import development_key_create

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PLAIN_PATH = "/usr/bin:/bin"
USER = "newcomer"


@dataclass(frozen=True)
class Check:
    """How one README command is checked: run once per entry of `runs` (each a set of text replacements,
    for placeholders and for the long-running commands a quick command of the same program stands in for),
    or skipped for `skip`'s reason."""

    pattern: str
    skip: str = ""
    runs: tuple[Mapping[str, str], ...] = ({},)
    env: Mapping[str, str] = field(default_factory=dict)
    returncode: int = 0
    output: str = ""  # expected in standard output or standard error
    needs: str = ""  # a program without which the command cannot run here


# Set per test run: the address of a port nothing listens on, so that a refresh cannot reach the network.
OFFLINE = {
    "PRICING_BULK_BASE_URL": "http://127.0.0.1:{closed_port}",
    "PRICING_SPOT_ADVISOR_URL": "http://127.0.0.1:{closed_port}/spot-advisor-data.json",
    "AWS_EC2_METADATA_DISABLED": "true",
}
CHECKS = [
    # Set-up commands the README gives (the here-documents) run first, whatever their place in it.
    Check(r"^cat > (scenario|answers)\.json <<'JSON'\n"),
    Check(r"^\.venv/bin/python manage\.py estimate --input scenario\.json +# JSON", output='"ranking"'),
    Check(r"^\.venv/bin/python manage\.py estimate --input scenario\.json --format table", output="Cheapest"),
    Check(r"^\.venv/bin/python manage\.py estimate --input - --format csv < scenario\.json", output="option,label"),
    Check(r"^\.venv/bin/python manage\.py report --input scenario\.json --output report\.pdf ", output="report.pdf"),
    Check(r"^\.venv/bin/python manage\.py report .*--paper letter$", output="report-letter.pdf"),
    Check(
        r"^\.venv/bin/python manage\.py report --input scenario\.json --output report\.csv +# or \.json$",
        runs=({}, {"report.csv": "report.json"}),
        output="Wrote report.",
    ),
    Check(r"^scripts/render_report_pages\.sh$", output="page-01.png", needs="pdftoppm"),
    Check(r"^\.venv/bin/python manage\.py recommend --answers answers\.json --format text$", output="Recommended:"),
    Check(r"^\.venv/bin/python manage\.py createsuperuser$", output="not running in a TTY"),  # interactive: no TTY here
    Check(r"^\.venv/bin/python manage\.py drf_create_token USERNAME$", runs=({"USERNAME": USER},), output="token"),
    Check(r"^\.venv/bin/python manage\.py load_seed_prices$", output="Prices:"),
    Check(r"^\.venv/bin/python manage\.py prune_snapshots --keep 10 ", output=""),
    # A refresh needs the AWS Price List: offline (a closed port, no credentials), each fails with its message.
    Check(
        r"^\.venv/bin/python manage\.py refresh_prices +# every region",
        env=OFFLINE,
        returncode=1,
        output="the active snapshot is unchanged",
    ),
    Check(
        r"^\.venv/bin/python manage\.py refresh_prices --source query ",
        env=OFFLINE,
        returncode=1,
        output="No AWS credentials found",
    ),
    Check(
        r"^\.venv/bin/python manage\.py refresh_prices --region eu-west-1 --service AmazonECS$",
        env=OFFLINE,
        returncode=1,
        output="the active snapshot is unchanged",
    ),
    Check(
        r"^\.venv/bin/python manage\.py refresh_prices --service EC2-SpotAdvisor +# ",
        env=OFFLINE,
        returncode=1,
        output="the active snapshot is unchanged",
    ),
    Check(r"^\.venv/bin/python manage\.py refresh_prices .*--offer-file ", returncode=1, output="No such offer file"),
    # Without REDIS_URL the queued tasks run at once, in the process: they fail offline and say so in the log.
    Check(r"^\.venv/bin/python manage\.py refresh_prices --queue ", env=OFFLINE, output="queued"),
    # Beat and a worker run until stopped and need Redis; `celery report` loads the same app and settings.
    Check(r"^REDIS_URL=\S+ \.venv/bin/celery -A compute_advisor beat$", runs=({" beat": " report"},), output="redis"),
    Check(
        r"^DATABASE_URL=postgres\S+ REDIS_URL=\S+ DEBUG=1 \\\n +\.venv/bin/celery -A compute_advisor worker ",
        runs=({"worker --loglevel=INFO": "report"},),
        output="transport:redis",
    ),
    # Production mode from a plain shell: it names what it needs and exits 2 before starting anything.
    Check(r"^\.venv/bin/python scripts/serve\.py --no-beat$", returncode=2, output="REDIS_URL: Redis"),
    Check(
        r"^make ",
        skip="make targets install (apt-get, pip), then serve or run the whole suite; "
        "`make help` lists each one (tests/test_docs.py)",
    ),
    Check(
        r"^DATABASE_URL=postgres\S+ REDIS_URL=\S+ make run$",
        skip="make run on PostgreSQL and Redis: needs both servers, then serves until stopped",
    ),
    Check(r"^curl ", skip="asks the server `make run` starts; tests/api test the endpoint it calls"),
    Check(r"^export ", skip="sets variables (some of them placeholders) for the commands typed after it"),
]


def readme_commands(markdown: str = README) -> list[str]:
    """The README's command lines, in order: the lines of its sh code blocks, and inline code that is one
    (`.venv/bin/...`, `scripts/....sh`; not a name such as `.venv/bin/python manage.py …`)."""
    commands: list[str] = []
    for match in re.finditer(r"^```(\w*)\n(.*?)^```|`([^`\n]+)`", markdown, flags=re.MULTILINE | re.DOTALL):
        language, block, span = match.groups()
        if span is not None:
            if "…" not in span and re.match(r"\.venv/bin/|scripts/[\w-]+\.sh\b", span):
                commands.append(span)
            continue
        if language not in {"sh", "bash", "shell"}:
            continue
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            command = lines[i]
            i += 1
            if not command.strip() or command.lstrip().startswith("#"):
                continue
            while command.endswith("\\") and i < len(lines):
                command += "\n" + lines[i]
                i += 1
            heredoc = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", command)
            while heredoc and i < len(lines):
                command += "\n" + lines[i]
                i += 1
                if lines[i - 1].strip() == heredoc.group(1):
                    break
            commands.append(command)
    return commands


def check_for(command: str) -> Check:
    matching = [check for check in CHECKS if re.search(check.pattern, command)]
    assert len(matching) == 1, f"{len(matching)} checks match this README command (one must): {command!r}"
    return matching[0]


def test_every_readme_command_has_exactly_one_check_and_every_check_a_command():
    commands = readme_commands()
    assert len(commands) > 20
    used = {id(check_for(command)) for command in commands}
    stale = [check.pattern for check in CHECKS if id(check) not in used]
    assert not stale, f"these checks match no README command any more: {stale}"
    skipped = [check_for(command) for command in commands if check_for(command).skip]
    assert all(len(check.skip) > 20 for check in skipped), "say why a command is not run"


def test_the_command_reader_joins_continuations_and_here_documents():
    markdown = "text `.venv/bin/python manage.py check` and `.venv/bin/python manage.py …`\n" + (
        "```sh\n# a comment\ncat > a.json <<'JSON'\n{\"x\": 1}\nJSON\nmake run \\\n  HOST=0.0.0.0\n\n```\n"
        "```\nnot a command\n```\n"
    )
    assert readme_commands(markdown) == [
        ".venv/bin/python manage.py check",
        "cat > a.json <<'JSON'\n{\"x\": 1}\nJSON",
        "make run \\\n  HOST=0.0.0.0",
    ]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def newcomer_folder(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder that looks like the project's to the commands, and the plain environment to run them in,
    set up as `make run` leaves a checkout: the development key, a migrated database with the seed."""
    venv = Path(sys.prefix)
    if not (venv / "bin" / "python").exists() or venv == Path(sys.base_prefix):
        pytest.skip("the tests do not run in a virtualenv, so there is no .venv/bin/python to run")
    development_key_create(settings.DEVELOPMENT_KEY_FILE)  # what `make install` does, once per checkout
    work = tmp_path / "project"
    work.mkdir()
    (work / ".venv").symlink_to(venv)
    for name in ("manage.py", "compute_advisor", "pricing", "scripts"):
        (work / name).symlink_to(ROOT / name)
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": PLAIN_PATH, "HOME": str(home), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    for step in (
        "check",
        "migrate --noinput --verbosity 0",
        "load_seed_prices --if-none",
        f"createsuperuser --noinput --username {USER} --email {USER}@example.com",
    ):
        done = run(f".venv/bin/python manage.py {step}", cwd=work, env={**env, "DJANGO_SUPERUSER_PASSWORD": "x" * 20})
        assert done.returncode == 0, f"manage.py {step}:\n{done.stderr}"
        assert "Traceback" not in done.stderr, f"manage.py {step}:\n{done.stderr}"
    return work, env


def run(command: str, *, cwd: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["/bin/bash", "-c", command],
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_readme_commands_work_from_a_plain_shell(newcomer_folder):
    work, env = newcomer_folder
    offline_port = str(closed_port())
    commands = readme_commands()
    first = [c for c in commands if c.startswith("cat > ")]
    failures, skipped, ran = [], [], 0
    for command in first + [c for c in commands if c not in first]:
        check = check_for(command)
        if check.skip or (check.needs and not shutil.which(check.needs, path=PLAIN_PATH)):
            skipped.append(f"{command.splitlines()[0]}  ({check.skip or check.needs + ' is not installed'})")
            continue
        for replacements in check.runs:
            line = command
            for old, new in replacements.items():
                line = line.replace(old, new)
            extra = {name: value.format(closed_port=offline_port) for name, value in check.env.items()}
            done = run(line, cwd=work, env={**env, **extra})
            ran += 1
            problems = []
            if done.returncode != check.returncode:
                problems.append(f"exit status {done.returncode}, not {check.returncode}")
            if "Traceback" in done.stderr + done.stdout:
                problems.append("a traceback")
            if check.output not in done.stdout + done.stderr:
                problems.append(f"no {check.output!r} in its output")
            if problems:
                failures.append(f"$ {line}\n  {'; '.join(problems)}\n{done.stdout[-1500:]}{done.stderr[-3000:]}")
    print(f"ran {ran} README commands; skipped:\n  " + "\n  ".join(skipped))
    assert not failures, "\n\n".join(failures)
    # What they wrote is what they said.
    assert (work / "report.pdf").read_bytes().startswith(b"%PDF")
    assert (work / "report-letter.pdf").read_bytes().startswith(b"%PDF")
    assert (work / "report.csv").read_text().startswith("option,")
    assert '"scenario"' in (work / "report.json").read_text()


def test_a_setting_it_cannot_read_stops_a_command_with_one_line(tmp_path):
    if not (Path(sys.prefix) / "bin" / "celery").exists():
        pytest.skip("the tests do not run in the project's virtualenv")
    env = {"PATH": PLAIN_PATH, "HOME": str(tmp_path), "DEBUG": "maybe"}
    for command in (".venv/bin/python manage.py check", ".venv/bin/celery -A compute_advisor report"):
        done = run(command.replace(".venv", sys.prefix), cwd=ROOT, env=env)
        assert done.returncode == 1, done.stderr
        assert done.stderr.strip().count("\n") == 0, done.stderr
        assert "DEBUG must be one of 1/0, true/false, yes/no, on/off; got 'maybe'" in done.stderr
