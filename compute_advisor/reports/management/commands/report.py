"""`python manage.py report --input scenario.json --output report.pdf`: a scenario's report on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from compute_advisor.comparison.prices import NoPrices, snapshot_for
from compute_advisor.engine import ScenarioError, parse_scenario
from compute_advisor.lib.commands import InputCommand
from compute_advisor.reports.builder import report_csv, report_for, report_json, report_pdf


class Command(InputCommand):
    help = "Write a scenario's report as PDF (A4 or Letter), CSV or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="Scenario JSON file, or - for standard input.")
        parser.add_argument("--output", required=True, type=Path, help="Where to write the report.")
        parser.add_argument(
            "--format",
            choices=["pdf", "csv", "json"],
            default=None,
            help="Default: from the output's extension, else pdf.",
        )
        parser.add_argument("--paper", choices=["a4", "letter"], default="a4")
        parser.add_argument("--snapshot", default=None, help="Price snapshot id (default: the active one).")

    def handle(self, *args: Any, **options: Any) -> None:
        data = self.read_json(options["input"])
        output: Path = options["output"]
        fmt = options["format"] or (output.suffix.lstrip(".").lower() if output.suffix else "pdf")
        if fmt not in ("pdf", "csv", "json"):
            self.fail(f"Cannot tell the format from {output}: give --format pdf, csv or json.")
        try:
            parse_scenario(data)  # bad input is refused before anything else is looked at
            report = report_for(scenario_data=data, snapshot=snapshot_for(options["snapshot"]))
        except ScenarioError as exc:
            self.fail_invalid(exc)
        except NoPrices as exc:
            self.fail(str(exc))
        try:
            if fmt == "pdf":
                output.write_bytes(report_pdf(report, paper=options["paper"]))
            else:
                output.write_text(report_csv(report) if fmt == "csv" else report_json(report), encoding="utf-8")
        except OSError as exc:
            self.fail(f"Cannot write {output}: {exc}")
        self.stdout.write(f"Wrote {output} ({fmt}).")
