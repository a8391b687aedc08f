"""The typed syntax tree of a parsed expression, and how each node evaluates on a request.

Cloudflare semantics kept here:
- a comparison whose left side is a missing value (an absent map key, an index out of range)
  is false, whatever the operator (`ne` included);
- a function applied to a missing value returns a missing value, and a bare boolean operand
  that is missing counts as false (so `not any(...)` over a missing header is true);
- `[*]` unpacks an array (or a map's values) for the enclosing comparison or function call,
  which then yields an array: only `any()` / `all()` turn it back into one boolean;
- string comparisons are case sensitive and compare bytes.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from .scheme import BOOLEAN, MISSING, IPAddress, Type, Value, array_of


@dataclass(frozen=True)
class Spread:
    """The items `[*]` unpacked, to be mapped over by the enclosing comparison or call."""

    items: tuple[Value, ...]


Result: TypeAlias = "Value | Spread"
Fields: TypeAlias = Mapping[str, Value]


@dataclass(frozen=True, kw_only=True)
class Node:
    """A node, where it starts and its static type (a condition's unless said otherwise);
    `spread` when its value is a `Spread` of that type."""

    position: int
    type: Type = BOOLEAN
    spread: bool = False

    def evaluate(self, fields: Fields) -> Result:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Literal(Node):
    value: Value

    def evaluate(self, fields: Fields) -> Result:
        return self.value

    def describe(self) -> str:
        return f"a {self.type} literal"


@dataclass(frozen=True)
class Const(Literal):
    """`true` or `false`, said as written."""

    value: bool

    def describe(self) -> str:
        return f"`{'true' if self.value else 'false'}`"


@dataclass(frozen=True)
class FieldRef(Node):
    name: str

    def evaluate(self, fields: Fields) -> Result:
        return fields.get(self.name, MISSING)

    def describe(self) -> str:
        return f"field `{self.name}`"


def _lookup(container: Result, key: str | int) -> Value:
    if isinstance(key, str) and isinstance(container, dict):
        return container.get(key, MISSING)
    if isinstance(key, int) and isinstance(container, list):
        return container[key] if 0 <= key < len(container) else MISSING
    return MISSING


@dataclass(frozen=True)
class Index(Node):
    """`base[key]`, or `base[*]` when `key` is None."""

    base: Node
    key: str | int | None

    def evaluate(self, fields: Fields) -> Result:
        container = self.base.evaluate(fields)
        if isinstance(container, Spread):
            assert self.key is not None  # the builder rejects a second [*]
            return Spread(tuple(_lookup(item, self.key) for item in container.items))
        if self.key is not None:
            return _lookup(container, self.key)
        if isinstance(container, list):
            return Spread(tuple(container))
        if isinstance(container, dict):
            return Spread(tuple(container.values()))
        return MISSING

    def describe(self) -> str:
        return f"{self.base.describe()}[...]"


@dataclass(frozen=True)
class Call(Node):
    """A function call; `apply` gets the first argument's value and the other literals."""

    name: str
    args: tuple[Node, ...]
    apply: Callable[..., Value] = field(compare=False)

    def evaluate(self, fields: Fields) -> Result:
        first, *rest = (arg.evaluate(fields) for arg in self.args)
        if isinstance(first, Spread):
            return [MISSING if item is MISSING else self.apply(item, *rest) for item in first.items]
        if first is MISSING:
            return MISSING
        return self.apply(first, *rest)

    def describe(self) -> str:
        return f"function `{self.name}()`"


Test: TypeAlias = Callable[[Value], bool]


@dataclass(frozen=True)
class Comparison(Node):
    """`left <operator> right`, with the right side already turned into a test."""

    left: Node
    operator: str
    test: Test = field(compare=False)

    def evaluate(self, fields: Fields) -> Result:
        value = self.left.evaluate(fields)
        if isinstance(value, Spread):
            return [item is not MISSING and self.test(item) for item in value.items]
        if value is MISSING:
            return MISSING if self.type != BOOLEAN else False
        return self.test(value)

    def describe(self) -> str:
        return f"operator `{self.operator}`"


@dataclass(frozen=True)
class Truthy(Node):
    """A bare Boolean operand used as a condition (`ssl`, `starts_with(...)`)."""

    operand: Node

    def evaluate(self, fields: Fields) -> Result:
        return self.operand.evaluate(fields) is True

    def describe(self) -> str:
        return self.operand.describe()


@dataclass(frozen=True)
class Not(Node):
    arg: Node

    def evaluate(self, fields: Fields) -> Result:
        return self.arg.evaluate(fields) is not True

    def describe(self) -> str:
        return "operator `not`"


@dataclass(frozen=True)
class Logical(Node):
    """`and` / `xor` / `or` over two or more conditions, left to right."""

    operator: str
    items: tuple[Node, ...]

    def evaluate(self, fields: Fields) -> Result:
        values = (item.evaluate(fields) is True for item in self.items)
        if self.operator == "and":
            return all(values)
        if self.operator == "or":
            return any(values)
        result = False
        for value in values:
            result ^= value
        return result

    def describe(self) -> str:
        return f"operator `{self.operator}`"


def comparison_type(left: Node) -> Type:
    return array_of(BOOLEAN) if left.spread else BOOLEAN


# --- Tests built from the right-hand side -------------------------------------------------------

_ORDER: dict[str, Callable[[object, object], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,  # type: ignore[operator]
    "le": lambda a, b: a <= b,  # type: ignore[operator]
    "gt": lambda a, b: a > b,  # type: ignore[operator]
    "ge": lambda a, b: a >= b,  # type: ignore[operator]
}


def _bytes(value: object) -> object:
    # Cloudflare compares strings as bytes; UTF-8 keeps code point order, so only the
    # surrogate-escaped bytes of invalid UTF-8 need care.
    return value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value


def ordered(operator: str, right: Value) -> Test:
    compare = _ORDER[operator]
    expected = _bytes(right)
    return lambda value: compare(_bytes(value), expected)


def contains(right: str) -> Test:
    return lambda value: isinstance(value, str) and right in value


def pattern(regex: re.Pattern[str], *, full: bool) -> Test:
    if full:
        return lambda value: isinstance(value, str) and regex.fullmatch(value) is not None
    return lambda value: isinstance(value, str) and regex.search(value) is not None


IPNetwork: TypeAlias = ipaddress.IPv4Network | ipaddress.IPv6Network
SetItem: TypeAlias = (
    "str | int | IPAddress | IPNetwork | tuple[int, int] | tuple[IPAddress, IPAddress]"
)


def member_of(items: Sequence[SetItem]) -> Test:
    """Membership in an inline set of strings, integers (and ranges) or IPs (CIDRs, ranges)."""
    plain = frozenset(item for item in items if not isinstance(item, tuple | IPNetwork))
    networks = [item for item in items if isinstance(item, IPNetwork)]
    ranges = [item for item in items if isinstance(item, tuple)]

    def test(value: Value) -> bool:
        if value in plain:
            return True
        if isinstance(value, IPAddress):
            if any(value in network for network in networks):
                return True
            return any(
                isinstance(low, IPAddress)
                and isinstance(high, IPAddress)
                and low.version == high.version == value.version
                and low <= value <= high  # type: ignore[operator]
                for low, high in ranges
            )
        if isinstance(value, int) and not isinstance(value, bool):
            return any(
                isinstance(low, int) and isinstance(high, int) and low <= value <= high
                for low, high in ranges
            )
        return False

    return test
