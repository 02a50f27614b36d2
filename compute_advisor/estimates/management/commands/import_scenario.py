"""`python manage.py import_scenario --input FILE [--metrics EXPORT ...]`: what the import page does, on the command
line. It prints the scenario (docs/CONTRACT.md) a task definition, compose file, CloudFormation or CDK template or
Terraform JSON declares, with one service's demand taken from a CloudWatch export, and the notes on standard
error; `manage.py estimate --input -` prices it:

    manage.py import_scenario --input template.json --metrics cpu.json | manage.py estimate --input -
"""

from __future__ import annotations

import json
from argparse import ArgumentTypeError
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import CommandParser

from compute_advisor.estimates.imports import ImportProblem, MetricsOptions, import_application
from compute_advisor.estimates.imports.common import MAX_BYTES
from compute_advisor.estimates.imports.metrics import MAX_METRICS_BYTES
from compute_advisor.lib.commands import InputCommand


def _positive(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ArgumentTypeError(f"{text[:40]!r} is not a number") from None
    if not value.is_finite() or value <= 0 or value.adjusted() > 7:
        raise ArgumentTypeError(f"{text[:40]!r} is not a positive size")
    return value


class Command(InputCommand):
    help = "Print the scenario a file declares (and the demand a CloudWatch export gives), ready for `estimate`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", help="Task definition, compose file, template or Terraform JSON; - for stdin.")
        parser.add_argument("--metrics", help="A CloudWatch export (get-metric-data JSON or timestamp,value CSV).")
        parser.add_argument("--metric", choices=["cpu", "memory", "requests_per_target"], help="What it measures.")
        parser.add_argument("--service", help="The service of the file the metrics are of.")
        parser.add_argument("--replicas", type=int, help="Tasks running, when the export has no RunningTaskCount.")
        parser.add_argument("--period", type=int, help="Seconds a RequestCountPerTarget value sums.")
        parser.add_argument("--vcpu", type=_positive, help="Task vCPU (without --input).")
        parser.add_argument("--memory-gib", type=_positive, help="Task memory in GiB (without --input).")
        parser.add_argument("--target", type=_positive, help="Target tracking target, for a service without a policy.")
        parser.add_argument("--min", type=int, dest="min_replicas", help="Min replicas (with --target).")
        parser.add_argument("--max", type=int, dest="max_replicas", help="Max replicas (with --target).")
        parser.add_argument("--name", default="service", help="Service name (without --input).")
        parser.add_argument("--region", default="us-east-1", help="The scenario's region.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["input"] and not options["metrics"]:
            self.fail("Give --input FILE, --metrics EXPORT, or both.")
        settings = MetricsOptions(
            metric=options["metric"],
            service=options["service"],
            replicas=options["replicas"],
            period_seconds=options["period"],
            vcpu=options["vcpu"],
            memory_gib=options["memory_gib"],
            target=options["target"],
            min_replicas=options["min_replicas"],
            max_replicas=options["max_replicas"],
            name=options["name"],
        )
        text = self.read_text(options["input"], MAX_BYTES) if options["input"] else ""
        metrics = self.read_text(options["metrics"], MAX_METRICS_BYTES) if options["metrics"] else ""
        try:
            imported = import_application(text, metrics, settings)
        except ImportProblem as exc:
            self.fail(str(exc))
        for note in imported.notes:
            self.stderr.write(f"note: {note}")
        self.stdout.write(json.dumps({"region": options["region"], **imported.scenario}, indent=2, default=str))
