"""Values in nested mappings by a dotted path (`usage.replicas`), as the scenario's field paths name them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def put(tree: dict[str, Any], path: str, value: Any) -> None:
    """Set `path` in `tree`, making the mappings on the way."""
    *parents, leaf = path.split(".")
    for part in parents:
        tree = tree.setdefault(part, {})
    tree[leaf] = value


def get(tree: Mapping[str, Any], path: str) -> Any:
    """The value at `path`, or None where the path does not lead to one."""
    value: Any = tree
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value
