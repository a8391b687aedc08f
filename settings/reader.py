"""A small typed reader over raw config values that knows where each value came from.

Every accessor checks one thing and, on failure, raises a SettingsError naming the stack file,
the full key (`myhibachi:database.retainedBackups`) and the problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from settings.errors import SettingsError

_MISSING = object()


class Node:
    """One config value plus its key path."""

    def __init__(self, stack_file: str, key: str, value: Any, separator: str = ".") -> None:
        self.stack_file = stack_file
        self.key = key
        self.value = value
        # How a child's key joins this one: `myhibachi:database`, then `...database.tier`.
        self._separator = separator

    def fail(self, problem: str) -> SettingsError:
        """The error for this key."""
        return SettingsError(self.stack_file, self.key, problem)

    # Objects -------------------------------------------------------------------------------

    def fields(self, required: set[str], optional: frozenset[str] = frozenset()) -> Fields:
        """This value as an object with exactly these keys (a typo is an error, not ignored)."""
        if not isinstance(self.value, Mapping):
            raise self.fail(f"must be an object, got {_type_name(self.value)}")
        unknown = sorted(set(self.value) - required - optional)
        if unknown:
            allowed = ", ".join(sorted(required | optional))
            raise self.fail(f"unknown key '{unknown[0]}' (allowed: {allowed})")
        missing = sorted(required - set(self.value))
        if missing:
            raise self.child(missing[0], _MISSING).fail("is required")
        return Fields(self)

    def items(self) -> Iterator[Node]:
        """This value as a list of nodes."""
        if not isinstance(self.value, list):
            raise self.fail(f"must be a list, got {_type_name(self.value)}")
        for index, item in enumerate(self.value):
            yield Node(self.stack_file, f"{self.key}[{index}]", item)

    def entries(self) -> Iterator[tuple[str, Node]]:
        """This value as a mapping of names to nodes."""
        if not isinstance(self.value, Mapping):
            raise self.fail(f"must be an object, got {_type_name(self.value)}")
        for name, item in self.value.items():
            yield str(name), self.child(str(name), item)

    def child(self, name: str, value: Any) -> Node:
        """The node for a key inside this object."""
        return Node(self.stack_file, f"{self.key}{self._separator}{name}", value)

    def at(self, *path: str) -> Node:
        """The node at a path of keys below this one (value absent: `nothing`)."""
        node: Node = self
        for name in path:
            value = node.value.get(name, _MISSING) if isinstance(node.value, Mapping) else _MISSING
            node = node.child(name, value)
        return node

    # Scalars -------------------------------------------------------------------------------

    def text(self, pattern: str | None = None, what: str | None = None) -> str:
        """A non-empty string, optionally matching a full-string pattern."""
        if not isinstance(self.value, str):
            raise self.fail(f"must be a string, got {_type_name(self.value)}")
        if not self.value:
            raise self.fail("must not be empty")
        if pattern is not None and not re.fullmatch(pattern, self.value):
            raise self.fail(f"must be {what or 'of the form ' + pattern}, got '{self.value}'")
        return self.value

    def choice(self, allowed: tuple[str, ...]) -> str:
        """One of a fixed set of strings."""
        value = self.text()
        if value not in allowed:
            raise self.fail(f"must be one of {', '.join(allowed)}, got '{value}'")
        return value

    def integer(self, minimum: int, maximum: int) -> int:
        """An integer within [minimum, maximum]."""
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.fail(f"must be an integer, got {_type_name(self.value)}")
        if not minimum <= self.value <= maximum:
            raise self.fail(f"must be between {minimum} and {maximum}, got {self.value}")
        return self.value

    def number(self, minimum_exclusive: float, maximum: float) -> float:
        """A number in (minimum_exclusive, maximum]."""
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise self.fail(f"must be a number, got {_type_name(self.value)}")
        if not minimum_exclusive < self.value <= maximum:
            raise self.fail(
                f"must be greater than {minimum_exclusive} and at most {maximum}, got {self.value}"
            )
        return float(self.value)

    def boolean(self) -> bool:
        """true or false."""
        if not isinstance(self.value, bool):
            raise self.fail(f"must be true or false, got {_type_name(self.value)}")
        return self.value


class Fields:
    """The keys of a validated object."""

    def __init__(self, node: Node) -> None:
        self._node = node
        self._values: Mapping[str, Any] = node.value

    def __getitem__(self, name: str) -> Node:
        return self._node.child(name, self._values[name])

    def get(self, name: str) -> Node | None:
        """The node for an optional key, or None when the key is absent."""
        if name not in self._values:
            return None
        return self[name]


def _type_name(value: Any) -> str:
    if value is _MISSING:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return "null" if value is None else type(value).__name__
