"""The functions of the subset: their signatures (checked when parsing) and implementations.

`lower()`/`upper()` change ASCII letters only and `len()` counts bytes, as Cloudflare's do.
`starts_with()`/`ends_with()` take a field (not a literal) and a string literal. `any()`/`all()`
reduce the array of booleans a `[*]` comparison yields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from .scheme import BOOLEAN, INTEGER, STRING, Type, Value


def _ascii(value: str, table: dict[int, int]) -> str:
    return value.translate(table)


_LOWER: Final = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}
_UPPER: Final = {code + 32: code for code in range(ord("A"), ord("Z") + 1)}


def _lower(value: Value) -> Value:
    return _ascii(value, _LOWER) if isinstance(value, str) else value


def _upper(value: Value) -> Value:
    return _ascii(value, _UPPER) if isinstance(value, str) else value


def _len(value: Value) -> Value:
    if isinstance(value, str):
        return len(value.encode("utf-8", "surrogateescape"))
    return len(value) if isinstance(value, list | dict) else 0


def _starts_with(value: Value, prefix: Value) -> Value:
    return isinstance(value, str) and isinstance(prefix, str) and value.startswith(prefix)


def _ends_with(value: Value, suffix: Value) -> Value:
    return isinstance(value, str) and isinstance(suffix, str) and value.endswith(suffix)


def _any(values: Value) -> Value:
    return isinstance(values, list) and any(value is True for value in values)


def _all(values: Value) -> Value:
    return isinstance(values, list) and all(value is True for value in values)


@dataclass(frozen=True)
class Function:
    """A function's parameters (`first` accepts these types; `literals` follow as literals)."""

    first: tuple[str, ...]
    literals: tuple[Type, ...]
    result: Type
    apply: Callable[..., Value]
    first_may_spread: bool = True


FUNCTIONS: Final[dict[str, Function]] = {
    "all": Function(("Array<Boolean>",), (), BOOLEAN, _all, first_may_spread=False),
    "any": Function(("Array<Boolean>",), (), BOOLEAN, _any, first_may_spread=False),
    "ends_with": Function(("String",), (STRING,), BOOLEAN, _ends_with),
    "len": Function(("String", "Array"), (), INTEGER, _len),
    "lower": Function(("String",), (), STRING, _lower),
    "starts_with": Function(("String",), (STRING,), BOOLEAN, _starts_with),
    "upper": Function(("String",), (), STRING, _upper),
}
