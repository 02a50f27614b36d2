"""`python manage.py recommend --answers FILE|-`: the wizard from the command line (JSON or text out)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from compute_advisor.comparison.prices import NoPrices, snapshot_for
from compute_advisor.comparison.service import SnapshotPricer
from compute_advisor.engine import ScenarioError
from compute_advisor.lib.commands import InputCommand
from compute_advisor.wizard.answers import parse_answers
from compute_advisor.wizard.recommend import recommend


class Command(InputCommand):
    help = "Recommend a way to run the workload the answers describe (the wizard's questions, as JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--answers", required=True, help="Answers JSON file, or - for standard input.")
        parser.add_argument("--snapshot", default=None)
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        data = self.read_json(options["answers"])
        try:
            answers = parse_answers(data)
        except ScenarioError as exc:
            self.fail_invalid(exc, "The answers are not valid")
        try:
            result = recommend(answers, SnapshotPricer(snapshot_for(options["snapshot"])))
        except ScenarioError as exc:
            self.fail_invalid(exc, "The answers are not valid")
        except NoPrices as exc:
            self.fail(str(exc))
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.to_json(), indent=2, default=str))
            return
        if result.winner is None:
            self.stdout.write("No option fits every answer.")
            return
        self.stdout.write(f"Recommended: {result.winner.label} (${result.winner.monthly_cost:,.2f} a month)")
        for reason in result.winner.reasons_for:
            self.stdout.write(f"  + {reason}")
        if result.runner_up:
            self.stdout.write(f"Runner-up: {result.runner_up.label} (${result.runner_up.monthly_cost:,.2f} a month)")
        for sentence in result.changes:
            self.stdout.write(f"Would change: {sentence}")
