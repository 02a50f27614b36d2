"""`python manage.py estimate --input FILE|-`: the contract's scenario in, its result out (docs/CONTRACT.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from compute_advisor.comparison.prices import NoPrices
from compute_advisor.comparison.service import comparison_from_data
from compute_advisor.engine import ScenarioError
from compute_advisor.estimates.formats import result_csv, result_table
from compute_advisor.lib.commands import InputCommand


class Command(InputCommand):
    help = "Price a scenario (docs/CONTRACT.md) on every option it asks for and print the result."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="Scenario JSON file, or - for standard input.")
        parser.add_argument("--snapshot", default=None, help="Price snapshot id (default: the active one).")
        parser.add_argument("--format", choices=["json", "table", "csv"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        data = self.read_json(options["input"])
        try:
            comparison = comparison_from_data(scenario_data=data, snapshot_id=options["snapshot"])
        except ScenarioError as exc:
            self.fail_invalid(exc)
        except NoPrices as exc:
            self.fail(str(exc))
        if options["format"] == "json":
            self.stdout.write(json.dumps(comparison.to_json(), indent=2))
        elif options["format"] == "csv":
            self.stdout.write(result_csv(comparison.result, comparison.scenario), ending="")
        else:
            self.stdout.write(result_table(comparison.result), ending="")
