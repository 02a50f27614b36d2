"""The wizard's answers as a visitor's session keeps them between steps (JSON: decimals as strings)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from compute_advisor.wizard.answers import Answers, parse_answers

SESSION_KEY = "wizard_answers"


def answers_initial(session: Any) -> dict[str, Any]:
    """What the steps show: the declared defaults, under what the visitor answered so far."""
    return {**Answers().to_dict(), **session.get(SESSION_KEY, {})}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def answers_store(session: Any, cleaned: dict[str, Any]) -> None:
    answers = session.get(SESSION_KEY, {})
    answers.update({k: _jsonable(v) for k, v in cleaned.items()})
    session[SESSION_KEY] = answers


def answers_forget(session: Any) -> None:
    session.pop(SESSION_KEY, None)


def answers_from_session(session: Any) -> Answers:
    """The answers so far (defaults for the rest); ScenarioError when they do not fit together."""
    stored = {k: v for k, v in session.get(SESSION_KEY, {}).items() if v is not None and v != ""}
    return parse_answers({**Answers().to_dict(), **stored})
