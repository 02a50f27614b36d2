"""Reading untrusted JSON and YAML with bounded work: a nesting depth checked before any parser recurses, and
numbers kept as Decimal from their text.

A scenario nests four levels deep and a compose file about eight; 200 KB of `[[[[...` made Python's JSON
parser and PyYAML recurse until they failed with a RecursionError, after seconds of work for YAML. The depth is
counted in one linear pass over the text, so a hostile document costs no more than reading it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

MAX_DEPTH = 32


class TooDeep(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"nests more than {limit} levels deep")


def json_depth_exceeds(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether JSON text opens more than `limit` arrays and objects inside one another (strings skipped)."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def yaml_depth_exceeds(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether YAML text may nest more than `limit` levels: flow collections (`[`, `{`) counted as in JSON
    (quoted text skipped), and block nesting by the distinct indentations in use. Over-counting refuses an odd
    document; under-counting cannot happen, which is what bounds the parser."""
    flow = 0
    indents: set[int] = set()
    for line in text.splitlines():
        stripped = line.lstrip(" -")
        if stripped and not stripped.startswith("#"):
            indents.add(len(line) - len(stripped))
        quote = ""
        for char in line:
            if quote:
                if char == quote:
                    quote = ""
            elif char in "'\"":
                quote = char
            elif char == "#":
                break
            elif char in "[{":
                flow += 1
                if flow + len(indents) > limit:
                    return True
            elif char in "]}":
                flow = max(flow - 1, 0)
    return len(indents) > limit


def load_json(text: str, *, limit: int = MAX_DEPTH) -> Any:
    """Decoded JSON with its numbers as Decimal; TooDeep or json.JSONDecodeError (a ValueError) when refused."""
    if json_depth_exceeds(text, limit):
        raise TooDeep(limit)
    return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")
