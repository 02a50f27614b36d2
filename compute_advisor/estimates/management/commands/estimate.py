"""`python manage.py estimate --input FILE|-`: the contract's scenario in, its result out."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from compute_advisor.engine import ScenarioError, parse_scenario
from compute_advisor.estimates.formats import result_csv, result_table
from compute_advisor.estimates.services import NoPrices, estimate_run

INPUT_ERROR = 2


class Command(BaseCommand):
    help = "Price a scenario (the contract in docs/CONTRACT.md) on every option it asks for and print the result."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="Scenario JSON file, or - for standard input.")
        parser.add_argument("--snapshot", default=None, help="Price snapshot id (default: the active one).")
        parser.add_argument("--format", choices=["json", "table", "csv"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        data = self._read(options["input"])
        try:
            result = estimate_run(scenario_data=data, snapshot_id=options["snapshot"])
        except ScenarioError as exc:
            self._fail(
                "The scenario is not valid:\n"
                + "\n".join(
                    f"  {path or '(scenario)'}: {message}"
                    for path, messages in exc.errors.items()
                    for message in messages
                )
            )
        except NoPrices as exc:
            self._fail(str(exc))
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.to_json(), indent=2))
        elif options["format"] == "csv":
            self.stdout.write(result_csv(result, parse_scenario(data)), ending="")
        else:
            self.stdout.write(result_table(result), ending="")

    def _read(self, source: str) -> Any:
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self._fail(f"Cannot read {source}: {exc}")
        try:
            # Numbers become Decimal from their text: no price or size passes through binary floats.
            return json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            self._fail(f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).")

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        raise SystemExit(INPUT_ERROR)
