"""What the management commands that take a JSON file share: one reader and one way to refuse bad input
(exit status 2, a message on standard error naming each bad field, nothing on standard output)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from compute_advisor.engine import ScenarioError
from compute_advisor.lib.bounded_input import TooDeep, load_json

INPUT_ERROR = 2
MAX_INPUT_BYTES = 1024 * 1024


class InputCommand(BaseCommand):
    def read_text(self, source: str, limit: int, *, too_large: str = "") -> str:
        """The text of a file, or of standard input for "-", read no further than `limit` characters."""
        try:
            if source == "-":
                text = sys.stdin.read(limit + 1)
            else:
                with Path(source).open(encoding="utf-8") as handle:
                    text = handle.read(limit + 1)
        except (OSError, UnicodeDecodeError) as exc:
            self.fail(f"Cannot read {source}: {exc}")
        if len(text) > limit:
            self.fail(f"{source} is larger than {limit // 1024} KB{too_large}.")
        return text

    def read_json(self, source: str) -> Any:
        """The decoded JSON of a file, or of standard input for "-"; numbers become Decimal from their text,
        so no price or size passes through a binary float."""
        text = self.read_text(source, MAX_INPUT_BYTES, too_large=": give one scenario")
        try:
            return load_json(text)
        except TooDeep as exc:
            self.fail(f"{source} {exc} to be a scenario.")
        except json.JSONDecodeError as exc:
            self.fail(f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).")
        except ValueError as exc:  # NaN, Infinity, or an integer of thousands of digits
            self.fail(f"{source} is not valid JSON: {str(exc)[:200]}.")

    def fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        raise SystemExit(INPUT_ERROR)

    def fail_invalid(self, error: ScenarioError, heading: str = "The scenario is not valid") -> NoReturn:
        self.fail(f"{heading}:\n" + "\n".join(f"  {line}" for line in error.lines()))
