"""How the engine declares its inputs once: strict models whose fields carry bounds, defaults, titles and
descriptions, parsed with a message for each bad field, and read back as plain `FieldSpec`s.

The scenario (`engine.scenario`) and the wizard's answers (`wizard.answers`) are declared with these
pieces. Everything else is derived from the declaration: the API's validation and OpenAPI schema, the web
forms' fields, bounds and defaults, the form <-> scenario <-> URL mapping and the CLI's messages.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from types import MappingProxyType
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError, model_validator
from pydantic.config import JsonDict
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

REQUIRED: Any = ...
# How many digits a number may have in its text (before or after the point): "1E-100000000" or a thousand
# digits are refused before anything computes with them.
MAX_NUMBER_DIGITS = 30


class ScenarioError(ValueError):
    """Invalid input: `errors` maps each bad field's path (e.g. "workload.vcpu") to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{path}: {' '.join(messages)}" for path, messages in errors.items()))

    def lines(self) -> list[str]:
        """One `path: message` line per problem, as the CLI and the pages print them."""
        return [
            f"{path or '(whole input)'}: {message}" for path, messages in self.errors.items() for message in messages
        ]


class FieldErrors(ValueError):
    """Raised by a model validator to blame fields below the model (a check that reads several fields):
    `parse` reports each message at `<the model's path>.<path>`, as if the field had refused it."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{path}: {' '.join(messages)}" for path, messages in errors.items()))


def amount(
    default: Any = REQUIRED,
    *,
    title: str,
    description: str,
    gt: float | None = None,
    ge: float | None = None,
    le: float | None = None,
    example: Any = None,
) -> Any:
    """A decimal field: a JSON number or a decimal string, never a float's binary value."""
    if default is not REQUIRED and default is not None:
        default = Decimal(default)
    return Field(
        default=default,
        gt=gt,
        ge=ge,
        le=le,
        allow_inf_nan=False,
        title=title,
        description=description,
        examples=None if example is None else [str(example)],
    )


def labelled(labels: dict[str, str]) -> JsonDict:
    """The schema's note of what each of a field's values means in words ("x-labels"); forms show them."""
    return {"x-labels": dict[str, JsonValue](labels)}


def choice(default: Any = REQUIRED, *, title: str, description: str, labels: dict[str, str]) -> Any:
    """A field of one of a Literal's values; `labels` say each value in words (forms show them)."""
    return Field(default=default, title=title, description=description, json_schema_extra=labelled(labels))


def _is_number_field(annotation: Any) -> bool:
    return annotation in (Decimal, int, Decimal | None, int | None)


class Declared(BaseModel):
    """A strict, frozen input model: unknown fields, booleans passed as numbers and floats' binary values are
    refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _numbers_are_numbers(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        numbers = _number_fields(cls)
        if numbers.isdisjoint(data):
            return data
        cleaned = dict(data)
        for name in numbers.intersection(data):
            cleaned[name] = number_as_read(data[name])
        return cleaned


@cache
def _number_fields(model: type[BaseModel]) -> frozenset[str]:
    """The names of a model's number fields (a declaration never changes while the process runs)."""
    return frozenset(name for name, field in model.model_fields.items() if _is_number_field(field.annotation))


def number_as_read(value: Any) -> Any:
    """A number as a scenario's numbers are read: JSON true/false must not pass as 1/0 (pydantic is handed
    something it refuses), a JSON number read as a float goes through its shortest text, never its binary
    value, and a number of a million digits is refused before anything computes with it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        # The common case, said without parsing: a text of at most MAX_NUMBER_DIGITS characters and no
        # exponent has at most that many digits, and at most that many after the point.
        if len(value) <= MAX_NUMBER_DIGITS and "e" not in value and "E" not in value:
            return value
        return "too-many-digits" if too_many_digits(value) else value
    if isinstance(value, Decimal) and too_many_digits(value):
        return "too-many-digits"
    return value


def numbers_as_read(values: list[Any]) -> list[Any]:
    """`number_as_read` for each of a list's numbers (a week of hourly demand is 168 of them a service): a list
    of whole numbers and short texts without an exponent, the common case, is checked at C speed as a whole."""
    kinds = set(map(type, values))
    if kinds <= {int, str}:
        texts = values if kinds == {str} else [v for v in values if type(v) is str]
        joined = "".join(texts)
        if "e" not in joined and "E" not in joined and max(map(len, texts), default=0) <= MAX_NUMBER_DIGITS:
            return list(values)
    return [v if type(v) is int else number_as_read(v) for v in values]


def too_many_digits(value: str | Decimal) -> bool:
    """A number whose text, written out in full, would be longer than any real amount (1E-100000000)."""
    if isinstance(value, str):
        if len(value) > 2 * MAX_NUMBER_DIGITS:
            return True
        try:
            value = Decimal(value)
        except ArithmeticError:
            return False  # not a number at all: pydantic says so
    if not value.is_finite():
        return False
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    return len(digits) > MAX_NUMBER_DIGITS or abs(exponent) > MAX_NUMBER_DIGITS


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: Any, *, what: str = "input") -> M:
    """Check `data` (decoded JSON) against `model`; raise ScenarioError naming each bad field."""
    if not isinstance(data, dict):
        raise ScenarioError({"": [f"the {what} must be a JSON object"]})
    nul = _nul_path(data, "") if _holds_nul(data) else None
    if nul is not None:
        # No field can hold one, and PostgreSQL refuses to store one: say so before anything tries.
        raise ScenarioError({nul: ["must not contain NUL (\\u0000) characters"]})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_errors(model, exc)) from None


def _holds_nul(value: Any) -> bool:
    """Whether any string (key or value) holds a NUL character: the check every input passes, without the
    paths `_nul_path` writes out only for the input that fails it."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        if any(isinstance(key, str) and "\x00" in key for key in value):
            return True
        value = value.values()
    elif not isinstance(value, list):
        return False
    for item in value:
        kind = type(item)
        if kind is str:
            if "\x00" in item:
                return True
        elif kind is not int and kind is not bool and _holds_nul(item):
            return True
    return False


def _nul_path(value: Any, path: str) -> str | None:
    """The path of the first string (key or value) holding a NUL character, if any."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and "\x00" in key:
                return path
            found = _nul_path(item, inner)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_path(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


@cache
def _union_tags(model: type[BaseModel]) -> frozenset[str]:
    """The tags pydantic adds to error paths inside discriminated unions ("usage.always_on.replicas")."""
    tags: set[str] = set()
    for field in model.model_fields.values():
        members = _members(field.annotation)
        for member in members:
            # A union told apart by its `kind` (usage) or `type` (a scaling policy); not Trigger | None.
            tag = member.model_fields.get("kind") or member.model_fields.get("type")
            if tag is not None and len(members) > 1:
                tags.update(str(v) for v in get_args(tag.annotation))
            tags |= _union_tags(member)
    return frozenset(tags)


def _members(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation holds: itself, the members of a union, the items of a list or a dict."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _members(get_args(annotation)[0])
    if origin in (Union, types.UnionType, list, tuple, dict):
        return [m for arg in get_args(annotation) for m in _members(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _errors(model: type[BaseModel], exc: ValidationError) -> dict[str, list[str]]:
    tags = _union_tags(model)
    errors: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error["loc"]]
        loc = [part for index, part in enumerate(loc) if not (index > 0 and part in tags)]
        blamed = error.get("ctx", {}).get("error")
        if isinstance(blamed, FieldErrors):
            for path, messages in blamed.errors.items():
                errors.setdefault(".".join([*loc, path]), []).extend(messages)
            continue
        if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc.append(str(error.get("ctx", {}).get("discriminator", "kind")).strip("'"))  # the field at fault
        errors.setdefault(".".join(loc), []).append(_message(error, tags))
    return errors


def _message(error: Any, tags: frozenset[str]) -> str:
    kind = error["type"]
    expected = str(error.get("ctx", {}).get("expected_tags", "")).replace("'", "")
    known = expected or ", ".join(sorted(tags))
    messages = {
        "missing": "is required",
        "extra_forbidden": "is not a known field",
        "union_tag_invalid": f"kind must be one of {known}",
        "union_tag_not_found": f"needs a kind: {known}",
        "bool_type": "must be true or false",
        "bool_parsing": "must be true or false",
        "string_type": "must be a string",
        "list_type": "must be a list",
    }
    if kind in messages:
        return messages[kind]
    if error.get("input") == "too-many-digits":
        return f"must be a number of at most {MAX_NUMBER_DIGITS} digits"
    if kind in {"decimal_parsing", "decimal_type", "float_parsing"}:
        return 'must be a number (a JSON number or a decimal string such as "0.5")'
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "must be a whole number"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return "must be an object"
    message: str = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    message = message.replace("Input should be", "must be").replace("input should be", "must be")
    return message[:1].lower() + message[1:]


@dataclass(frozen=True)
class FieldSpec:
    """One declared field as forms, schemas and tests read it."""

    path: str
    kind: Literal["number", "integer", "choice", "boolean", "text", "list"]
    title: str
    description: str
    required: bool
    default: Any  # None when the field has none
    example: Any  # where a form starts when there is no default
    minimum: Decimal | None
    exclusive_minimum: bool
    maximum: Decimal | None
    choices: tuple[str, ...]
    labels: Mapping[str, str]
    max_length: int | None

    @property
    def initial(self) -> Any:
        """What a form shows before the user types: the default, else the declared example."""
        return self.default if self.default is not None else self.example


@cache
def field_spec(model: type[BaseModel], path: str) -> FieldSpec:
    """The declaration of the field at `path` ("workload.vcpu", "usage.runs_per_day") of `model`.

    Inside a union (usage), the first member that has the field answers. Read once per field: forms map their
    values through it on every request, and a declaration never changes while the process runs.
    """
    head, _, rest = path.partition(".")
    field = model.model_fields.get(head)
    if field is None:
        raise KeyError(f"{model.__name__} has no field {head!r}")
    if rest:
        for member in _members(field.annotation):
            try:
                return field_spec(member, rest)
            except KeyError:
                continue
        raise KeyError(f"{model.__name__}.{head} has no field {rest!r}")
    return _spec(path, field)


def _spec(path: str, field: FieldInfo) -> FieldSpec:
    base = field.annotation
    if get_origin(base) in (Union, types.UnionType):  # X | None: the field is an X that may be left out
        base = next(a for a in get_args(base) if a is not type(None))
    choices: tuple[str, ...] = ()
    if get_origin(base) is Literal:
        kind: Any = "choice"
        choices = tuple(str(v) for v in get_args(base))
    elif base is bool:
        kind = "boolean"
    elif base is int:
        kind = "integer"
    elif base is Decimal:
        kind = "number"
    elif get_origin(base) is list:
        kind = "list"
    else:
        kind = "text"
    bounds: dict[str, Any] = {}
    for item in field.metadata:
        for name in ("gt", "ge", "le", "max_length"):
            value = getattr(item, name, None)
            if value is not None and isinstance(item, annotated_types.BaseMetadata):
                bounds[name] = value
    default = None if field.default is PydanticUndefined else field.default
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    labels = extra.get("x-labels") or {}
    minimum = bounds.get("gt", bounds.get("ge"))
    return FieldSpec(
        path=path,
        kind=kind,
        title=field.title or path.rsplit(".", 1)[-1].replace("_", " "),
        description=field.description or "",
        required=field.is_required(),
        default=default,
        example=(field.examples or [None])[0],
        minimum=None if minimum is None else Decimal(str(minimum)),
        exclusive_minimum="gt" in bounds,
        maximum=None if "le" not in bounds else Decimal(str(bounds["le"])),
        choices=choices,
        labels=MappingProxyType({str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {}),
        max_length=bounds.get("max_length"),
    )
