"""What every import shares: its result and its one error, the bounded readers of JSON and YAML (CloudFormation's
short-form tags included), and the checks on the numbers a file may carry.

Nothing pasted is executed or fetched: JSON is decoded with a depth bound, YAML with the safe loader, and a
CloudFormation tag such as `!Ref Name` only becomes the mapping `{"Ref": "Name"}` it abbreviates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from compute_advisor.engine.scenario import MAX_REPLICAS, MAX_SERVICES
from compute_advisor.lib.bounded_input import MAX_DEPTH, TooDeep, load_json, yaml_depth_exceeds

# A CDK synthesis of a few services with their VPC is 30-130 KB of JSON; 512 KB is the API's own body limit.
MAX_BYTES = 512 * 1024
MAX_YAML_ALIASES = 50
MAX_EXPONENT = 12  # sizes between 10^-12 and 10^12 units


class ImportProblem(ValueError):
    """The pasted text cannot fill the form; the message says why."""


@dataclass
class Imported:
    """What a file says of the scenario (a part of one, in the contract's shape), and notes for the user."""

    scenario: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def decoded(text: str, *, what: str) -> Any:
    """JSON, else YAML, within the size and depth bounds; `what` names the kind of file in the messages."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ImportProblem(f"That is more than {MAX_BYTES // 1024} KB; paste one {what}.")
    try:
        return load_json(text)
    except TooDeep as exc:
        raise ImportProblem(f"This {exc}: a {what} does not.") from None
    except ValueError:
        return read_yaml(text, what=what)


class _TemplateLoader(yaml.SafeLoader):
    """The safe loader, plus CloudFormation's short forms (`!Ref`, `!GetAtt`, `!Sub`, ...) read as the
    long-form mappings they stand for."""


def _short_form(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = suffix.lstrip("!")
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if name == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)  # !GetAtt Service.Name is ["Service", "Name"]
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name if name in ("Ref", "Condition") else f"Fn::{name}": value}


_TemplateLoader.add_multi_constructor("!", _short_form)


def read_yaml(text: str, *, what: str) -> Any:
    if text.count("*") + text.count("&") > MAX_YAML_ALIASES * 2 and re.search(r"(^|\s)[&*]\w", text):
        raise ImportProblem(f"The YAML has too many anchors and aliases to be a {what}.")
    if yaml_depth_exceeds(text):
        raise ImportProblem(f"The YAML nests more than {MAX_DEPTH} levels deep: a {what} does not.")
    try:
        return yaml.load(text, Loader=_TemplateLoader)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" (line {where.line + 1}, column {where.column + 1})" if where else ""
        raise ImportProblem(f"This is neither valid JSON nor valid YAML{at}.") from None


def camel_keys(value: Any) -> Any:
    """CloudFormation's PascalCase keys as the ECS API's camelCase (`ContainerDefinitions` ->
    `containerDefinitions`, `SizeInGiB` -> `sizeInGiB`), all the way down."""
    if isinstance(value, dict):
        return {(k[:1].lower() + k[1:] if isinstance(k, str) else k): camel_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel_keys(v) for v in value]
    return value


def service_name(text: str) -> str:
    """A name as ECS allows a service's: letters, digits, '-', '_' and '.', at most 63."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-_.")[:63]
    return cleaned or "service"


def whole(value: Any, what: str, *, least: int = 0) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ImportProblem(f"{what} must be a whole number, not {str(value)[:40]!r}.") from None
    if not least <= number <= MAX_REPLICAS:
        raise ImportProblem(f"{what} must be between {least} and {MAX_REPLICAS}.")
    return number


def decimal(value: Any, what: str) -> Decimal:
    """A positive size from a file: its own text as a Decimal, never a float's binary value."""
    text = str(value).strip()
    shown = text[:40] + ("..." if len(text) > 40 else "")
    try:
        number = Decimal(text[:200])
    except InvalidOperation:
        raise ImportProblem(f"{what} {shown!r} is not a number.") from None
    if not number.is_finite() or number <= 0:
        raise ImportProblem(f"{what} must be more than zero, not {shown!r}.")
    # A size of 1E+999999999 would become a billion-digit number on the form: sizes are far smaller.
    if not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        raise ImportProblem(f"{what} {shown!r} is not a size a container can have.")
    return number


def services_imported(services: list[dict[str, Any]], notes: list[str]) -> Imported:
    """One always-on or scheduled service fills the one-service form; several, or one that autoscales (which
    the form does not edit), make an application."""
    names = [s["name"] for s in services]
    for index, name in enumerate(names):
        if names.count(name) > 1:
            services[index]["name"] = f"{name}-{index + 1}"[:63]
    if len(services) == 1 and services[0]["usage"]["kind"] != "autoscaling":
        only = services[0]
        return Imported(
            scenario={"name": only["name"], "workload": only["workload"], "usage": only["usage"]}, notes=notes
        )
    kept = services[:MAX_SERVICES]
    more = [f"Only the first {MAX_SERVICES} services are kept."] if len(services) > MAX_SERVICES else []
    return Imported(scenario={"services": kept}, notes=notes + more)


def mapping(value: Any) -> dict[str, Any]:
    """A value a file should hold as an object, or an empty one: a list or a number there names nothing."""
    return value if isinstance(value, dict) else {}


def items(value: Any) -> list[Any]:
    """A value a file should hold as a list, or an empty one."""
    return value if isinstance(value, list) else []


def listed(items: list[str] | set[str], limit: int = 20) -> str:
    ordered = sorted(items)
    return ", ".join(ordered[:limit]) + (" ..." if len(ordered) > limit else "")
